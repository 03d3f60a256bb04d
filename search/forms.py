from django import forms

from search.query import MAX_LENGTH


class SearchForm(forms.Form):
    """The search page's parameters. A wrong one (kind=nonsense, year=x) is left out, not an
    error: the search runs with the rest."""

    q = forms.CharField(label="Search the portal", required=False, strip=True)
    kind = forms.ChoiceField(required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)
    # Any id, so a link naming a priority keeps working; the page offers those that exist.
    priority = forms.IntegerField(required=False, min_value=1, max_value=2**31)
    area = forms.IntegerField(required=False, min_value=1, max_value=2**31)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, kinds=(), priorities=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Everything"), *kinds]
        self.priority_choices = [("", "Any priority"), *priorities]
        self.area_choices = [("", "Any area"), *areas]

    def parameters(self) -> dict:
        """The valid parameters (each wrong one dropped)."""
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "q": cleaned.get("q") or "",
            "kind": cleaned.get("kind") or None,
            "year": cleaned.get("year"),
            "priority": cleaned.get("priority"),
            "area": cleaned.get("area"),
            "page": cleaned.get("page") or 1,
        }

    @property
    def shortened(self) -> bool:
        return len(self.data.get("q") or "") > MAX_LENGTH
