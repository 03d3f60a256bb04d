"""The plan's permission names, declared once. Roles grant them (pcc_portal.roles); views,
querysets and services check them."""

# Seeing draft plans and updates not yet approved.
VIEW_DRAFTS = "plan.view_drafts"
ADD_MEASUREUPDATE = "plan.add_measureupdate"
CHANGE_MEASUREUPDATE = "plan.change_measureupdate"
APPROVE_MEASUREUPDATE = "plan.approve_measureupdate"
LOCK_REPORTINGPERIOD = "plan.lock_reportingperiod"
# Publishing a draft plan (an imported one arrives as a draft), or withdrawing it to draft:
# what the public sees of the plan, so approvers do it.
PUBLISH_PLAN = "plan.publish_plan"
# A measure's target, Amber tolerance and lead: the target is public, so approvers set them.
CHANGE_OUTCOMEMEASURE = "plan.change_outcomemeasure"
# Importing areas and plans (their priorities, commitments and measures) from spreadsheets,
# as an office does when it starts with the portal or loads its next plan: an imported plan
# is a draft, and the areas and structure it brings are public, so approvers do it.
IMPORT_AREAS_AND_PLANS = (
    "plan.add_area",
    "plan.change_area",
    *(
        f"plan.{verb}_{model}"
        for model in ("plan", "priority", "commitment", "outcomemeasure")
        for verb in ("add", "change")
    ),
)

# What the office's roles may do here; pcc_portal.roles gathers these from every app.
STAFF = (VIEW_DRAFTS, ADD_MEASUREUPDATE, CHANGE_MEASUREUPDATE)
APPROVER = tuple(
    dict.fromkeys(
        (
            APPROVE_MEASUREUPDATE,
            LOCK_REPORTINGPERIOD,
            PUBLISH_PLAN,
            CHANGE_OUTCOMEMEASURE,
            *IMPORT_AREAS_AND_PLANS,
        )
    )
)  # besides everything staff may do
# Holding any of these, a person's pages may show what the public may not (never cached).
SEES_PRIVATE = (VIEW_DRAFTS,)
