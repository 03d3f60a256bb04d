"""The quarter's published scrutiny meetings with their topics."""

from reports.sections import register
from reports.sections.kind import SectionKind
from scrutiny.selectors import published_meetings_of_quarter


@register
class ScrutinyMeetings(SectionKind):
    value = "scrutiny_meetings"
    label = "Scrutiny meetings of the quarter"
    position = 40
    template = "reports/sections/scrutiny_meetings.html"
    needs_period = True

    def data(self, section, report) -> dict:
        if not report.period:
            return {}
        return {"meetings": published_meetings_of_quarter(report.period)}
