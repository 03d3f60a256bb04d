from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funding.models import Award, Fund, Organisation
from pcc_portal.admin_mixins import WorkflowReadOnlyAdmin


@admin.register(Organisation)
class OrganisationAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_office_side", "org_identifier", "area"]
    list_filter = ["kind", "is_office_side"]
    search_fields = ["name", "charity_number", "company_number", "org_identifier"]


@admin.register(Fund)
class FundAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "direction", "funder", "budget"]
    list_filter = ["direction"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["priorities"]


@admin.register(Award)
class AwardAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "fund", "organisation", "amount", "award_date", "status"]
    list_filter = ["status", "fund__direction", "fund"]
    search_fields = ["title", "purpose", "organisation__name"]
    date_hierarchy = "award_date"
    filter_horizontal = ["areas", "priorities"]
    list_select_related = ["fund", "organisation"]
