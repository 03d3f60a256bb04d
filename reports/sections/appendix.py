"""An appendix: after the signature, lettered A, B, C ..., its paragraphs not numbered."""

from reports.sections import register
from reports.sections.kind import SectionKind


@register
class Appendix(SectionKind):
    value = "appendix"
    label = "Appendix (after the signature)"
    position = 70
    after_signature = True
