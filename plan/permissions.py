"""The plan's permission names, declared once. Roles grant them (pcc_portal.roles); views,
querysets and services check them."""

# Seeing draft plans and updates not yet approved.
VIEW_DRAFTS = "plan.view_drafts"
ADD_MEASUREUPDATE = "plan.add_measureupdate"
CHANGE_MEASUREUPDATE = "plan.change_measureupdate"
APPROVE_MEASUREUPDATE = "plan.approve_measureupdate"
LOCK_REPORTINGPERIOD = "plan.lock_reportingperiod"
