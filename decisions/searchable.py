"""What of the decisions may be found (pcc_portal/searchable.py): a published decision's
public text by everyone, its exempt part (when it has one) only by those who may see exempt
items, as its page shows them. A decision not yet published gives nothing."""

from django.utils.html import strip_tags

from decisions.models import Decision
from pcc_portal.markdown import render_markdown
from pcc_portal.searchable import EXEMPT, Entry, SearchKind

PUBLIC_FIELDS = (
    "summary",
    "background",
    "options_considered",
    "decision_text",
    "reasons",
    "financial_implications",
    "legal_implications",
    "equality_implications",
)


def _text(markdown: str) -> str:
    return strip_tags(render_markdown(markdown)).strip()


def decision_entries(decision: Decision) -> list[Entry]:
    if not decision.is_published:
        return []
    url = decision.get_absolute_url()
    common = {
        "date": decision.decision_date,
        "priority_ids": tuple(p.pk for p in decision.priorities.all()),
    }
    entries = [
        Entry(
            key="decision",
            title=str(decision),
            body="\n".join(filter(None, (_text(getattr(decision, f)) for f in PUBLIC_FIELDS))),
            url=url,
            **common,
        )
    ]
    if decision.has_exempt_part:
        entries.append(
            Entry(
                key="exempt",
                title=f"{decision} (exempt part)",
                body=_text(decision.exempt_text),
                url=f"{url}#exempt-part",
                audience=EXEMPT,
                **common,
            )
        )
    return entries


DECISIONS = SearchKind(
    name="decision",
    label="Decisions",
    model=Decision,
    entries=decision_entries,
    objects=lambda: Decision.objects.published().prefetch_related("priorities"),
)
