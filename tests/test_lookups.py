"""The database lookup that every app's filters use: ids too large for the database find
nothing instead of failing (pcc_portal.lookups, on a plan's records)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("huge", [10**20, -(10**20), 2**63])
def test_ids_too_large_for_the_database_find_nothing_and_leave_the_rest(huge):
    from plan.models import Plan
    from plan.tests.factories import make_plan

    plan = make_plan()
    assert list(Plan.objects.filter(pk__in=[huge, plan.pk])) == [plan]
    assert not Plan.objects.filter(pk__in=[huge]).exists()
    assert list(Plan.objects.exclude(pk__in=[huge])) == [plan]
