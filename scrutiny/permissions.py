"""Scrutiny's permission names, declared once. Roles grant them (pcc_portal.roles); views,
models and services check them."""

# Seeing meetings, panel meetings and task groups before they are published.
VIEW_UNPUBLISHED = "scrutiny.view_unpublished_meetings"

ADD_SCRUTINYMEETING = "scrutiny.add_scrutinymeeting"
CHANGE_SCRUTINYMEETING = "scrutiny.change_scrutinymeeting"
PUBLISH_SCRUTINYMEETING = "scrutiny.publish_scrutinymeeting"

ADD_SCRUTINYTOPIC = "scrutiny.add_scrutinytopic"
CHANGE_SCRUTINYTOPIC = "scrutiny.change_scrutinytopic"
DELETE_SCRUTINYTOPIC = "scrutiny.delete_scrutinytopic"

ADD_SCRUTINYPAPER = "scrutiny.add_scrutinypaper"
DELETE_SCRUTINYPAPER = "scrutiny.delete_scrutinypaper"

ADD_ACTION = "scrutiny.add_action"
CHANGE_ACTION = "scrutiny.change_action"
ADD_ACTIONNOTE = "scrutiny.add_actionnote"

ADD_PANELMEETING = "scrutiny.add_panelmeeting"
CHANGE_PANELMEETING = "scrutiny.change_panelmeeting"
PUBLISH_PANELMEETING = "scrutiny.publish_panelmeeting"

ADD_TASKGROUP = "scrutiny.add_taskgroup"
CHANGE_TASKGROUP = "scrutiny.change_taskgroup"
PUBLISH_TASKGROUP = "scrutiny.publish_taskgroup"

ADD_RECOMMENDATION = "scrutiny.add_recommendation"
CHANGE_RECOMMENDATION = "scrutiny.change_recommendation"

ADD_AGENDAITEM = "scrutiny.add_agendaitem"
CHANGE_AGENDAITEM = "scrutiny.change_agendaitem"
DELETE_AGENDAITEM = "scrutiny.delete_agendaitem"

ADD_PANELMEMBER = "scrutiny.add_panelmember"
CHANGE_PANELMEMBER = "scrutiny.change_panelmember"
PUBLISH_PANELMEMBER = "scrutiny.publish_panelmember"
CHANGE_ATTENDANCE = "scrutiny.change_attendance"
ADD_DECLARATION = "scrutiny.add_declaration"
DELETE_DECLARATION = "scrutiny.delete_declaration"
CHANGE_MINUTES = "scrutiny.change_minutes"
APPROVE_MINUTES = "scrutiny.approve_minutes"

# What the office's roles may do here; pcc_portal.roles gathers these from every app.
_STAFF_EDITS = ("scrutinymeeting", "scrutinytopic", "scrutinypaper", "action", "panelmeeting",
                "taskgroup", "recommendation", "agendaitem", "panelmember", "attendance",
                "declaration", "minutes")  # fmt: skip
STAFF = (
    VIEW_UNPUBLISHED,
    *(f"scrutiny.{verb}_{model}" for model in _STAFF_EDITS for verb in ("add", "change", "delete")),
    ADD_ACTIONNOTE,
)
APPROVER = (
    PUBLISH_SCRUTINYMEETING,
    PUBLISH_PANELMEETING,
    PUBLISH_TASKGROUP,
    PUBLISH_PANELMEMBER,
    APPROVE_MINUTES,
)
# Holding any of these, a person's pages may show what the public may not (never cached).
SEES_PRIVATE = (VIEW_UNPUBLISHED,)
