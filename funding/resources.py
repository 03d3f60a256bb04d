"""Organisations, funds and awards as spreadsheet rows (see pcc_portal.transfer).

Natural keys, so a file imports again without change: an organisation by its identifier
(org-id.guide form), or its name where it has none; a fund by its web address name (slug); an
award by its 360Giving grant identifier (the `identifier` column): the one stored with it, or,
for an award without one, the one the portal gives it (the 360Giving prefix and its number, as
an export writes it). An unknown identifier makes a new award that keeps it; a blank one, a new
award the portal gives an identifier.
The examples are illustrative, for the templates only.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from import_export.fields import Field

from funding.models import (
    GRANT_ID_MESSAGE,
    GRANT_ID_PATTERN,
    Award,
    Fund,
    Organisation,
    portal_grant_identifier,
)
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

    keyed_by = {"identifier": "org_identifier", "name": "name"}

    def find(self, row):
        """By identifier, else by name: a row can give an organisation its identifier."""
        return self.find_by(("identifier", row.get("identifier")), ("name", row.get("name")))


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


class GrantIdentifierWidget(TextWidget):
    """A 360Giving grant identifier, like 360G-pcc-lancs-0012; blank for a new award."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and not GRANT_ID_PATTERN.match(text):
            raise ValueError(f"{GRANT_ID_MESSAGE}, not “{text}”")
        return text


class AwardResource(TransferResource):
    identifier = Field("identifier", "identifier", GrantIdentifierWidget())
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
        "identifier": "360G-example-0001",
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
            "identifier",
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
        import_id_fields = ("identifier",)

    # The stored identifier, else (an award without one) the one the portal gives it.
    keyed_by = {
        "identifier": "identifier",
        "portal": lambda award: "" if award.identifier else portal_grant_identifier(award.pk),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen: set[str] = set()

    def get_queryset(self):
        return Award.objects.select_related("fund", "organisation")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._seen = set()

    def find(self, row):
        try:
            identifier = self.fields["identifier"].clean(row)
        except ValueError:
            return None  # the cell's error is reported when the row is read
        return self.find_by(("identifier", identifier), ("portal", identifier))

    def dehydrate_identifier(self, award):
        return award.grant_identifier

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # An award without an identifier of its own keeps it so when the row gives the one
        # the portal gives it: a re-imported export changes nothing.
        if (
            field.attribute == "identifier"
            and instance.pk is not None
            and field.clean(row) == instance.grant_identifier
        ):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "identifier" not in errors:
            identifier = self._key_text(self.fields["identifier"].clean(row))
            if identifier and identifier in self._seen:
                errors["identifier"] = [
                    f"The grant identifier “{row.get('identifier')}” is on a row above too: "
                    "give each award once in a file"
                ]
            self._seen.add(identifier)
        if errors:
            raise ValidationError(errors)
