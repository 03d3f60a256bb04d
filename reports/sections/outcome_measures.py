"""The quarter's approved outcome measure updates, grouped by priority, each measure with its
trend chart up to the paper's quarter."""

from plan.selectors import approved_updates_by_priority, measure_charts
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
        groups = approved_updates_by_priority(report.period, priorities)
        charts = measure_charts(
            [update.measure for group in groups for update in group.updates],
            up_to=report.period,
            id_prefix=f"section-{section.pk}-chart",
        )
        return {
            "measures": groups,
            "charts": [
                (update.measure, charts[update.measure_id])
                for group in groups
                for update in group.updates
                if update.measure_id in charts
            ],
        }
