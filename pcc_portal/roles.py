"""The portal's roles, declared in one place.

Each role is a Django group holding model permissions. `sync_roles()` runs after every
`migrate`, so a fresh database has the groups, and a permission added here (or removed) takes
effect on the next migrate. Later apps add their permissions to ROLES; views check them.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction

PANEL_MEMBER = "Panel member"
OPCC_STAFF = "OPCC staff"
OPCC_APPROVER = "OPCC approver"

# Seeing exempt ("Part II") items is the one thing panel members may do that the public may not.
VIEW_EXEMPT = "pcc_portal.view_exempt_items"


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: tuple[str, ...]


# The apps' permissions are declared in their own `permissions` modules (plan.permissions,
# scrutiny.permissions, funding.permissions, ...). They are named here as strings because
# pcc_portal sits below the apps and imports none of them; sync_roles() refuses a name that
# does not exist, so a typo cannot pass unnoticed.
_staff_permissions: tuple[str, ...] = (
    VIEW_EXEMPT,
    "plan.view_drafts",
    "plan.add_measureupdate",
    "plan.change_measureupdate",
    "scrutiny.view_unpublished_meetings",
    *(
        f"scrutiny.{verb}_{model}"
        for model in (
            "scrutinymeeting",
            "scrutinytopic",
            "scrutinypaper",
            "action",
            "panelmeeting",
            "taskgroup",
            "recommendation",
        )
        for verb in ("add", "change", "delete")
    ),
    "scrutiny.add_actionnote",
    *(
        f"funding.{verb}_{model}"
        for model in ("organisation", "fund", "award")
        for verb in ("add", "change")
    ),
    *(
        f"reports.{verb}_{model}"
        for model in ("report", "reportsection")
        for verb in ("add", "change", "delete")
    ),
)
_approver_permissions: tuple[str, ...] = (
    *_staff_permissions,
    "plan.approve_measureupdate",
    "plan.lock_reportingperiod",
    "scrutiny.publish_scrutinymeeting",
    "scrutiny.publish_panelmeeting",
    "scrutiny.publish_taskgroup",
    "reports.publish_report",
)

ROLES: tuple[Role, ...] = (
    Role(
        name=PANEL_MEMBER,
        description=(
            "Councillors and independent members of the Police and Crime Panel. They read "
            "everything published, including exempt (Part II) items, and download papers."
        ),
        permissions=(VIEW_EXEMPT,),
    ),
    Role(
        name=OPCC_STAFF,
        description=(
            "Officers of the Office of the Police and Crime Commissioner. They create and edit "
            "drafts and submit quarterly updates for approval."
        ),
        permissions=_staff_permissions,
    ),
    Role(
        name=OPCC_APPROVER,
        description=(
            "The Director and Chief Executive. Everything staff can do, plus approving "
            "quarterly updates, locking quarters and publishing papers."
        ),
        permissions=_approver_permissions,
    ),
)


def role_named(name: str) -> Role:
    return next(role for role in ROLES if role.name == name)


def roles_of(user) -> list[Role]:
    """The roles a user holds, in the order ROLES declares them."""
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [role for role in ROLES if role.name in names]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist as exc:
        raise LookupError(f"Role permission {dotted!r} does not exist; is it declared?") from exc


@transaction.atomic
def sync_roles() -> None:
    """Make each role's group hold exactly the permissions ROLES declares."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        group.permissions.set([_permission(dotted) for dotted in role.permissions])
