from django.contrib.auth.models import Group

from pcc_portal.roles import OPCC_APPROVER, OPCC_STAFF, PANEL_MEMBER, ROLES, sync_roles


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


def test_a_migrated_database_has_the_three_roles_with_their_declared_permissions(db):
    assert group_permissions() == {role.name: set(role.permissions) for role in ROLES}
    assert {PANEL_MEMBER, OPCC_STAFF, OPCC_APPROVER} == set(group_permissions())


def test_panel_members_staff_and_approvers_see_exempt_items(make_user):
    for role in ("panel member", "staff", "approver"):
        assert make_user(role).has_perm("pcc_portal.view_exempt_items")
    assert not make_user("nobody").has_perm("pcc_portal.view_exempt_items")


def test_sync_puts_back_a_permission_removed_by_hand_and_removes_one_added(db):
    panel = Group.objects.get(name=PANEL_MEMBER)
    panel.permissions.clear()
    staff = Group.objects.get(name=OPCC_STAFF)
    staff.permissions.add(*Group.objects.get(name=OPCC_APPROVER).permissions.all())
    from django.contrib.auth.models import Permission

    staff.permissions.add(Permission.objects.get(codename="delete_user"))
    sync_roles()
    sync_roles()
    assert group_permissions() == {role.name: set(role.permissions) for role in ROLES}
    assert Group.objects.count() == 3
