from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size, Submit
from django import forms

from funding.models import Award, Fund, Organisation
from pcc_portal.forms import DateField, NumberField, checkbox_fieldset
from plan.fields import PrioritiesChoiceField
from plan.models import Area, Priority

MONEY_ERRORS = {
    "invalid": "Enter an amount in pounds, like 13500 or 13500.50",
    "max_decimal_places": "Enter the amount with no more than 2 decimal places",
    "max_digits": "The amount must be £100,000,000 or less",
    "max_whole_digits": "The amount must be £100,000,000 or less",
}


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("save", "Save"))
    return helper


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "is_office_side",
            "charity_number",
            "company_number",
            "org_identifier",
            "area",
            "website",
        ]
        error_messages = {
            "name": {
                "required": "Enter the organisation's name",
                "unique": "An organisation with that name already exists",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field.select("kind"),
            Field.checkbox("is_office_side"),
            Field.text("charity_number", field_width=Fixed.TEN),
            Field.text("company_number", field_width=Fixed.TEN),
            Field.text("org_identifier", field_width=Fixed.TWENTY),
            Field.select("area"),
            Field.text("website"),
        )


class FundForm(forms.ModelForm):
    priorities = PrioritiesChoiceField(
        queryset=Priority.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    opens_on = DateField(label="Opens on", required=False)
    closes_on = DateField(label="Closes on", required=False)

    class Meta:
        model = Fund
        fields = [
            "name",
            "slug",
            "direction",
            "funder",
            "description",
            "priorities",
            "opens_on",
            "closes_on",
            "budget",
        ]
        labels = {"slug": "Web address name", "budget": "Budget (£, optional)"}
        widgets = {"direction": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"budget": NumberField}
        error_messages = {"name": {"required": "Enter the fund's name"}, "budget": MONEY_ERRORS}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.for_choices(user)
        self.fields["slug"].required = False
        self.helper = _helper(
            Field.text("name"),
            Field.text("slug", field_width=Fluid.TWO_THIRDS),
            Field.radios("direction", legend_size=Size.SMALL),
            Field.select("funder"),
            Field.textarea("description"),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
            "opens_on",
            "closes_on",
            Field.text("budget", field_width=Fixed.TEN),
        )


class AwardForm(forms.ModelForm):
    priorities = PrioritiesChoiceField(
        queryset=Priority.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    award_date = DateField(label="Date of the award or bid")
    planned_start = DateField(label="Planned start", required=False)
    planned_end = DateField(label="Planned end", required=False)

    class Meta:
        model = Award
        fields = [
            "fund",
            "organisation",
            "title",
            "purpose",
            "status",
            "amount",
            "amount_per_year",
            "years",
            "award_date",
            "award_date_from_paper",
            "ranking",
            "areas",
            "priorities",
            "beneficiaries",
            "projects",
            "planned_start",
            "planned_end",
            "notes",
            "identifier",
        ]
        labels = {
            "identifier": "Grant identifier (optional)",
            "amount": "Amount (£)",
            "amount_per_year": "Or: amount a year (£)",
            "years": "For how many years",
            "beneficiaries": "People it will help (optional)",
            "projects": "Number of projects (optional)",
        }
        field_classes = {"amount": NumberField, "amount_per_year": NumberField}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
            "ranking": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter a title for the award"},
            "fund": {"required": "Select the fund"},
            "organisation": {"required": "Select the recipient or bidder"},
            "amount": MONEY_ERRORS,
            "amount_per_year": MONEY_ERRORS,
            "years": {"invalid": "Enter the number of years as a whole number, like 2"},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.for_choices(user)
        self.fields["areas"].queryset = Area.objects.order_by("kind", "name")
        self.fields["ranking"].choices = [("", "Not ranked"), *Award.Ranking.choices]
        self.fields["years"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        for name in ("beneficiaries", "projects"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.helper = _helper(
            Field.select("fund"),
            Field.select("organisation"),
            Field.text("title"),
            Field.textarea("purpose"),
            Field.radios("status", legend_size=Size.SMALL),
            Field.text("amount", field_width=Fixed.TEN),
            Field.text("amount_per_year", field_width=Fixed.TEN),
            Field.text("years", field_width=Fixed.TWO),
            "award_date",
            checkbox_fieldset(
                "award_date_from_paper",
                legend="Where the date comes from",
                item_label="The award's own date is not recorded: this is the reporting paper's",
            ),
            Field.radios("ranking", legend_size=Size.SMALL),
            Field.checkboxes("areas", legend_size=Size.SMALL),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
            Field.text("beneficiaries", field_width=Fixed.FIVE),
            Field.text("projects", field_width=Fixed.FIVE),
            "planned_start",
            "planned_end",
            Field.textarea("notes"),
            Field.text("identifier", field_width=Fluid.ONE_HALF),
        )
