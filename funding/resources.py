"""Organisations, funds and awards as spreadsheet rows (see pcc_portal.transfer).

Natural keys, so a file imports again without change: an organisation by its identifier
(org-id.guide form), or its name where it has none; a fund by its web address name (slug); an
award by its number in the portal (the `id` column an export writes; blank for a new award).
The examples are illustrative, for the templates only.
"""

from django.utils.text import slugify
from import_export.fields import Field

from funding.models import Award, Fund, Organisation
from pcc_portal.transfer import TransferResource
from pcc_portal.transfer_widgets import (
    AmountWidget,
    ChoiceWidget,
    DateWidget,
    KeyWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
)
from plan.models import Area

ORGANISATION_HINT = ": add it with the organisations import first, or correct the name"


def organisation_widget() -> KeyWidget:
    return KeyWidget(
        Organisation,
        ("org_identifier", "name"),
        shown="name",
        noun="organisation",
        hint=ORGANISATION_HINT,
    )


class OrganisationResource(TransferResource):
    identifier = Field("org_identifier", "identifier", TextWidget())
    name = Field("name", "name", TextWidget())
    kind = Field("kind", "kind", ChoiceWidget(Organisation.Kind.choices))
    office_side = Field("is_office_side", "office_side", YesNoWidget())
    charity_number = Field("charity_number", "charity_number", TextWidget())
    company_number = Field("company_number", "company_number", TextWidget())
    area = Field(
        "area",
        "area",
        KeyWidget(Area, ("slug", "gss_code", "name"), shown="slug", noun="area"),
    )
    website = Field("website", "website", TextWidget())

    example = {
        "identifier": "GB-CHC-1234567",
        "name": "Example Community Trust (illustrative)",
        "kind": "Charity",
        "office_side": "no",
        "charity_number": "1234567",
        "company_number": "",
        "area": "",
        "website": "https://www.example.org/",
    }

    class Meta(TransferResource.Meta):
        model = Organisation
        fields = (
            "identifier",
            "name",
            "kind",
            "office_side",
            "charity_number",
            "company_number",
            "area",
            "website",
        )
        import_id_fields = ("identifier", "name")

    def find(self, row):
        """By identifier, else by name: a row can give an organisation its identifier."""
        existing = self.existing()
        identifier = self._key_text(row.get("identifier"))
        name = self._key_text(row.get("name"))
        if identifier and (found := existing["identifier"].get(identifier)):
            return found
        return existing["name"].get(name) if name else None

    def existing(self) -> dict:
        if self._existing is None:
            self._existing = {"identifier": {}, "name": {}}
            for organisation in self.get_queryset().order_by("pk"):
                if organisation.org_identifier:
                    key = self._key_text(organisation.org_identifier)
                    self._existing["identifier"].setdefault(key, organisation)
                self._existing["name"][self._key_text(organisation.name)] = organisation
        return self._existing


class FundResource(TransferResource):
    slug = Field("slug", "slug", TextWidget())
    name = Field("name", "name", TextWidget())
    direction = Field("direction", "direction", ChoiceWidget(Fund.Direction.choices))
    funder = Field("funder", "funder", organisation_widget())
    opens_on = Field("opens_on", "opens_on", DateWidget())
    closes_on = Field("closes_on", "closes_on", DateWidget())
    budget = Field("budget", "budget", AmountWidget())
    description = Field("description", "description", TextWidget())

    example = {
        "slug": "example-small-grants",
        "name": "Example Small Grants Fund (illustrative)",
        "direction": "The Commissioner's own grants",
        "funder": "",
        "opens_on": "01/04/2021",
        "closes_on": "2021-06-30",
        "budget": "£250,000",
        "description": "",
    }

    class Meta(TransferResource.Meta):
        model = Fund
        fields = (
            "slug",
            "name",
            "direction",
            "funder",
            "opens_on",
            "closes_on",
            "budget",
            "description",
        )
        import_id_fields = ("slug",)

    def find(self, row):
        """By slug; a row without one by the slug its name makes (as a new fund gets)."""
        slug = self._key_text(row.get("slug")) or slugify(str(row.get("name") or "").strip())[:100]
        return self.existing().get((slug,)) if slug else None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.slug and instance.name:
            instance.slug = slugify(instance.name)[:100]


class AwardResource(TransferResource):
    id = Field(
        "id", "id", WholeNumberWidget(what="the award's number in the portal, or leave it blank")
    )
    fund = Field(
        "fund",
        "fund",
        KeyWidget(
            Fund,
            ("slug", "name"),
            shown="slug",
            noun="fund",
            hint=": add it with the funds import first, or correct the name",
        ),
    )
    organisation = Field("organisation", "organisation", organisation_widget())
    title = Field("title", "title", TextWidget())
    amount = Field("amount", "amount", AmountWidget())
    amount_per_year = Field("amount_per_year", "amount_per_year", AmountWidget())
    years = Field("years", "years", WholeNumberWidget(what="a number of years"))
    award_date = Field("award_date", "award_date", DateWidget())
    status = Field("status", "status", ChoiceWidget(Award.Status.choices))
    ranking = Field("ranking", "ranking", ChoiceWidget(Award.Ranking.choices))
    beneficiaries = Field("beneficiaries", "beneficiaries", WholeNumberWidget())
    projects = Field("projects", "projects", WholeNumberWidget())
    planned_start = Field("planned_start", "planned_start", DateWidget())
    planned_end = Field("planned_end", "planned_end", DateWidget())
    purpose = Field("purpose", "purpose", TextWidget())
    notes = Field("notes", "notes", TextWidget())

    example = {
        "id": "",
        "fund": "example-small-grants",
        "organisation": "Example Community Trust (illustrative)",
        "title": "Example youth diversion project (illustrative)",
        "amount": "£12,500",
        "amount_per_year": "",
        "years": "",
        "award_date": "31/03/2021",
        "status": "Awarded",
        "ranking": "",
        "beneficiaries": "120",
        "projects": "",
        "planned_start": "2021-04-01",
        "planned_end": "2022-03-31",
        "purpose": "",
        "notes": "",
    }

    class Meta(TransferResource.Meta):
        model = Award
        fields = (
            "id",
            "fund",
            "organisation",
            "title",
            "amount",
            "amount_per_year",
            "years",
            "award_date",
            "status",
            "ranking",
            "beneficiaries",
            "projects",
            "planned_start",
            "planned_end",
            "purpose",
            "notes",
        )
        import_id_fields = ("id",)

    def get_queryset(self):
        return Award.objects.select_related("fund", "organisation")
