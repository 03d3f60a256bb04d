"""The "Get email alerts" links other apps' pages show, through their slots."""

from django.urls import reverse
from django.utils.http import urlencode

from alerts.models import Alert
from pcc_portal.slots import DONE, Part

TEMPLATE = "alerts/includes/_offer.html"


def _new_url(**parameters) -> str:
    return f"{reverse('alerts:new')}?{urlencode(parameters)}"


def priority_offer(priority, *, user) -> Part:
    return Part(
        TEMPLATE,
        {
            "url": _new_url(what=Alert.What.PRIORITY, priority=priority.pk),
            "text": "Get email alerts about this priority",
            "hint": "An email when a paper, decision, update or scrutiny about it is published.",
        },
        group=DONE,
        position=1000,  # after what was done about it
    )


def papers_offer(meeting, *, user) -> Part:
    return Part(
        TEMPLATE,
        {
            "url": _new_url(what=Alert.What.PAPERS),
            "text": "Get email alerts for new panel papers",
            "hint": "An email when papers for a panel meeting are published.",
        },
    )


def search_offer(q, kind, *, user) -> Part | None:
    if not q:
        return None
    parameters = {"what": Alert.What.SEARCH, "q": q}
    if kind:
        parameters["kind"] = kind
    return Part(
        TEMPLATE,
        {
            "url": _new_url(**parameters),
            "text": "Get email alerts for this search",
            "hint": "An email when something new matches it.",
        },
    )
