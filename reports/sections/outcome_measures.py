"""The quarter's outcome measure updates approved by the paper's "as at" date, grouped by
priority, each measure with its trend chart up to the paper's quarter; the measures with no
approved update are listed as not reported rather than left out."""

from plan.selectors import approved_updates_by_priority, measure_charts, measures_not_reported
from reports.sections import register
from reports.sections.kind import ChoosesPriorities
from scrutiny.selectors import end_of_day


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
        plan = report.plan_for_quarter()  # none ticked: every priority of the paper's plan
        before = end_of_day(report.figures_as_at)
        groups = approved_updates_by_priority(
            report.period, priorities, plan=plan, approved_before=before
        )
        charts = measure_charts(
            [update.measure for group in groups for update in group.updates],
            up_to=report.period,
            id_prefix=f"section-{section.pk}-chart",
            approved_before=before,
        )
        return {
            "measures": groups,
            "not_reported": measures_not_reported(
                report.period, priorities, plan=plan, approved_before=before
            ),
            "charts": [
                (update.measure, charts[update.measure_id])
                for group in groups
                for update in group.updates
                if update.measure_id in charts
            ],
        }

    def shows_nothing(self, data: dict) -> str | None:
        if not data.get("measures"):
            return "no outcome measure has an update approved for the quarter by the “as at” date"
        return None
