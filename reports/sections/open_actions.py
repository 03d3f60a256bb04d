"""The actions the public may know of that were open on the paper's "as at" date, as they stood
then, due first, those overdue on that date marked so."""

from reports.sections import register
from reports.sections.kind import ChoosesPriorities
from scrutiny.selectors import public_actions_open_on


@register
class OpenActions(ChoosesPriorities):
    value = "open_actions"
    label = "Open and overdue actions"
    position = 50
    template = "reports/sections/open_actions.html"

    def data(self, section, report) -> dict:
        priorities = section.params.get("priorities") or ()
        as_at = report.figures_as_at
        return {
            "actions": public_actions_open_on(as_at, priorities),
            "caption": f"Actions open on {as_at:%-d %B %Y}",
        }

    def shows_nothing(self, data: dict) -> str | None:
        return None if data.get("actions") else "no action was open on the “as at” date"
