"""The permissions of papers, by name, for views, services and models to share."""

ADD_REPORT = "reports.add_report"
CHANGE_REPORT = "reports.change_report"
PUBLISH_REPORT = "reports.publish_report"
ADD_SECTION = "reports.add_reportsection"
CHANGE_SECTION = "reports.change_reportsection"
DELETE_SECTION = "reports.delete_reportsection"
