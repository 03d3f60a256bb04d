"""The portal's roles, declared in one place.

Each role is a Django group holding model permissions. `sync_roles()` runs after every
`migrate`, so a fresh database has the groups, and a permission added here (or removed) takes
effect on the next migrate. Each app grants its own permissions to the roles in its
`permissions` module; views check them.
"""

import importlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from pcc_portal.permissions import CONFIRM_IMPORT, VIEW_EXEMPT

PANEL_MEMBER = "Panel member"
OPCC_STAFF = "OPCC staff"
OPCC_APPROVER = "OPCC approver"


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: tuple[str, ...]


def granted(name: str) -> tuple[str, ...]:
    """What the portal's apps grant under `name` (STAFF, APPROVER, SEES_PRIVATE) in their own
    `permissions` modules: each app declares its permissions once, and pcc_portal, below the
    apps, names none of them. sync_roles() refuses a name that does not exist."""
    found: list[str] = []
    for app in settings.PORTAL_APPS:
        found += getattr(importlib.import_module(f"{app}.permissions"), name, ())
    return tuple(found)


_staff_permissions = (VIEW_EXEMPT, *granted("STAFF"))
_approver_permissions = (*_staff_permissions, CONFIRM_IMPORT, *granted("APPROVER"))

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
            "quarterly updates, locking quarters, publishing papers, importing areas and "
            "plans, and confirming imports of records that are public once written."
        ),
        permissions=_approver_permissions,
    ),
)


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
