"""Text: numbered paragraphs and nothing else."""

from reports.sections import register
from reports.sections.kind import SectionKind


@register
class Text(SectionKind):
    value = "text"
    label = "Text"
    position = 10
