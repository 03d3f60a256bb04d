"""Open and overdue actions the public may know of, due first."""

from reports.sections import register
from reports.sections.kind import ChoosesPriorities
from scrutiny.selectors import public_open_actions


@register
class OpenActions(ChoosesPriorities):
    value = "open_actions"
    label = "Open and overdue actions"
    position = 50
    template = "reports/sections/open_actions.html"

    def data(self, section, report) -> dict:
        return {"actions": public_open_actions(section.params.get("priorities") or ())}
