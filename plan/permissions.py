"""The plan's permission names, declared once. Roles grant them (pcc_portal.roles); views,
querysets and services check them."""

# Seeing draft plans and updates not yet approved.
VIEW_DRAFTS = "plan.view_drafts"
ADD_MEASUREUPDATE = "plan.add_measureupdate"
CHANGE_MEASUREUPDATE = "plan.change_measureupdate"
APPROVE_MEASUREUPDATE = "plan.approve_measureupdate"
LOCK_REPORTINGPERIOD = "plan.lock_reportingperiod"
# A measure's target, Amber tolerance and lead: the target is public, so approvers set them.
CHANGE_OUTCOMEMEASURE = "plan.change_outcomemeasure"

# What the office's roles may do here; pcc_portal.roles gathers these from every app.
STAFF = (VIEW_DRAFTS, ADD_MEASUREUPDATE, CHANGE_MEASUREUPDATE)
APPROVER = (
    APPROVE_MEASUREUPDATE,
    LOCK_REPORTINGPERIOD,
    CHANGE_OUTCOMEMEASURE,
)  # besides everything staff may do
# Holding any of these, a person's pages may show what the public may not (never cached).
SEES_PRIVATE = (VIEW_DRAFTS,)
