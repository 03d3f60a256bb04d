"""The quarter's approved outcome measure updates, grouped by priority."""

from plan.selectors import approved_updates_by_priority
from reports.sections import register
from reports.sections.kind import ChoosesPriorities


@register
class OutcomeMeasures(ChoosesPriorities):
    value = "outcome_measures"
    label = "Outcome measures for the quarter"
    position = 30
    template = "reports/sections/outcome_measures.html"
    needs_period = True

    def data(self, section, report) -> dict:
        if not report.period:
            return {}
        priorities = section.params.get("priorities") or ()
        return {"measures": approved_updates_by_priority(report.period, priorities)}
