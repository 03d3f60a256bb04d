"""The permissions of papers, by name, for views, services and models to share."""

ADD_REPORT = "reports.add_report"
CHANGE_REPORT = "reports.change_report"
DELETE_REPORT = "reports.delete_report"
PUBLISH_REPORT = "reports.publish_report"
ADD_SECTION = "reports.add_reportsection"
CHANGE_SECTION = "reports.change_reportsection"
DELETE_SECTION = "reports.delete_reportsection"

# What the office's roles may do here; pcc_portal.roles gathers these from every app.
STAFF = (ADD_REPORT, CHANGE_REPORT, DELETE_REPORT, ADD_SECTION, CHANGE_SECTION, DELETE_SECTION)
APPROVER = (PUBLISH_REPORT,)
# Holding any of these, a person's pages may show what the public may not (never cached).
SEES_PRIVATE = (CHANGE_REPORT,)
