"""Subscribing, confirming, unsubscribing, and telling subscribers what is new.

What is new for an alert is what first became findable, by the subscriber's audience, after
the alert was confirmed or last sent: the `Found` table keeps that time, written when the
search indexes an object (the `entries_indexed` signal), once per object and audience.
Emails go out through django.tasks once the transaction that made them commits.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass
from email import policy as email_policy
from urllib.parse import urlsplit, urlunsplit

from django.core.mail import mailers
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Found, Subscriber
from pcc_portal.background import background_task
from pcc_portal.models import OfficeProfile
from pcc_portal.notifications import SMTP_LINE_LIMIT, PlainTextEmail, portal_url
from pcc_portal.searchable import PUBLIC, audiences_of, search_kind, search_kinds
from plan.models import Priority
from search.models import SearchEntry
from search.services import search_matching

logger = logging.getLogger(__name__)

CONFIRMATION_GAP = datetime.timedelta(hours=1)  # no second confirmation email sooner
UNCONFIRMED_KEPT = datetime.timedelta(days=7)


class SubscribeStatus:
    CONFIRMED = "confirmed"  # a signed-in subscriber's alert works at once
    SENT = "sent"  # a confirmation email is on its way (or was, within the hour)
    ALREADY = "already"  # the signed-in subscriber has this alert already


# --- Recording what became findable ---------------------------------------------------------


def found_record(sender, *, kind, object_id, audiences, **kwargs) -> int:
    """Records the audiences that may find this object for the first time; returns how many.
    A first finding sends the immediate alerts after the commit."""
    known = set(
        Found.objects.filter(kind=kind, object_id=object_id).values_list("audience", flat=True)
    )
    now = timezone.now()
    rows = [
        Found(kind=kind, object_id=object_id, audience=audience, first_found_at=now)
        for audience in audiences
        if audience not in known
    ]
    Found.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(
            lambda: alerts_send_task.enqueue(Alert.Frequency.IMMEDIATE), robust=True
        )
    return len(rows)


def found_record_rebuilt(sender, *, found, **kwargs) -> None:
    """After a rebuild: what was never recorded (indexed before alerts were kept) is recorded
    as not new, so a rebuild tells nobody of old things; what was recorded keeps its time."""
    now = timezone.now()
    rows = (
        Found(kind=kind, object_id=pk, audience=audience, first_found_at=now, is_news=False)
        for kind, pk, audience in found
    )
    Found.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


# --- What is new for an alert ---------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One new object, as an email lists it."""

    kind: str
    object_id: int
    title: str
    url: str


def subscriber_address(subscriber: Subscriber) -> str:
    """A signed-in subscriber's account address as it is now; the public's as given."""
    return subscriber.user.email if subscriber.user is not None else subscriber.email


def subscriber_audiences(subscriber: Subscriber) -> tuple[str, ...]:
    user = subscriber.user
    return audiences_of(user) if user is not None and user.is_active else (PUBLIC,)


def alert_entries(alert: Alert, audiences, since, until):
    """The index entries of objects new for this alert between `since` and `until`."""
    found = Found.objects.filter(
        kind=OuterRef("kind"),
        object_id=OuterRef("object_id"),
        audience__in=audiences,
        is_news=True,
        first_found_at__gt=since,
        first_found_at__lte=until,
    )
    entries = SearchEntry.objects.filter(Exists(found), audience__in=audiences)
    if alert.what == Alert.What.PAPERS:
        return entries.filter(kind="paper")
    if alert.what == Alert.What.PRIORITY:
        return entries.filter(priority_ids__contains=f"|{alert.priority_id}|")
    if alert.kind:
        entries = entries.filter(kind=alert.kind)
    return search_matching(entries, alert.query)


def items_of(entries) -> list[Item]:
    """Each object of these entries once, by its main title and its own link."""
    items: dict[tuple[str, int], Item] = {}
    rows = entries.order_by("kind", "object_id", "pk").values_list(
        "kind", "object_id", "title", "within", "url"
    )
    for kind, object_id, title, within, url in rows:
        if (kind, object_id) not in items:
            page = urlunsplit(urlsplit(url)._replace(fragment=""))
            items[kind, object_id] = Item(kind, object_id, within or title, portal_url(page))
    return list(items.values())


def subscriber_news(subscriber: Subscriber, alerts, until) -> list[Item]:
    audiences = subscriber_audiences(subscriber)
    found: dict[tuple[str, int], Item] = {}
    for alert in alerts:
        for item in items_of(alert_entries(alert, audiences, alert.since, until)):
            found.setdefault((item.kind, item.object_id), item)
    return list(found.values())


# --- Describing an alert ----------------------------------------------------------------------


def alerts_described(alerts) -> list[tuple[Alert, str]]:
    """Each alert with what it follows, in words (one query for the priorities named)."""
    ids = {a.priority_id for a in alerts if a.what == Alert.What.PRIORITY}
    priorities = Priority.objects.in_bulk(ids) if ids else {}
    return [(alert, _described(alert, priorities)) for alert in alerts]


def _described(alert: Alert, priorities) -> str:
    if alert.what == Alert.What.PAPERS:
        return "New papers for panel meetings"
    if alert.what == Alert.What.PRIORITY:
        priority = priorities.get(alert.priority_id)
        return f"Anything new about the priority “{priority}”" if priority else "A priority"
    kind = search_kind(alert.kind) if alert.kind else None
    among = f" ({kind.label.lower()})" if kind else ""
    return f"New results for the search “{alert.query}”{among}"


# --- The emails -----------------------------------------------------------------------------


def manage_url(subscriber: Subscriber) -> str:
    return portal_url(reverse("alerts:manage_public", args=[subscriber.secret]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return portal_url(reverse("alerts:unsubscribe", args=[subscriber.secret]))


def _footer(subscriber: Subscriber) -> str:
    return (
        "\n\n--\n"
        f"Manage your alerts: {manage_url(subscriber)}\n"
        f"Stop all alert emails to this address: {unsubscribe_url(subscriber)}\n"
    )


def news_body(subscriber: Subscriber, items: list[Item], described) -> str:
    labels = {k.name: k.label for k in search_kinds()}
    by_kind: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    order = [name for name in labels if name in by_kind] + sorted(set(by_kind) - set(labels))
    lines = ["Published since our last email, for your alerts:"]
    lines += [f"- {text}" for _, text in described]
    for name in order:
        lines += ["", labels.get(name, name), ""]
        for item in sorted(by_kind[name], key=lambda item: item.title.lower()):
            lines += [item.title, item.url, ""]
    return "\n".join(lines).rstrip() + _footer(subscriber)


@background_task
def alert_email_send(*, to: str, subject: str, body: str, unsubscribe: str) -> int:
    """One plain-text email, with the one-click unsubscribe headers (RFC 8058)."""
    return _send(to, subject, body, unsubscribe)


def _send(to: str, subject: str, body: str, unsubscribe: str) -> int:
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    message = AlertEmail(subject, body, to=[to], headers=headers)
    return mailers.default.send_messages([message]) or 0


class AlertEmail(PlainTextEmail):
    """Its headers are folded only past SMTP's line limit: the unsubscribe link, longer than 78
    characters and without a space, would otherwise be written as encoded words, which mail
    clients do not read as a link."""

    def message(self, *, policy=email_policy.default):
        return super().message(policy=policy.clone(max_line_length=SMTP_LINE_LIMIT))


@background_task
def alerts_send_task(frequency: str) -> int:
    return alerts_send(frequency)


def alerts_send(frequency: str, *, now=None) -> int:
    """Emails each subscriber what is new for their confirmed alerts of this frequency, once:
    each alert is then marked sent up to `now`. Returns the emails sent."""
    now = now or timezone.now()
    alerts = (
        Alert.objects.filter(frequency=frequency, confirmed_at__isnull=False)
        .select_related("subscriber__user")
        .order_by("subscriber_id", "pk")
    )
    by_subscriber: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_subscriber[alert.subscriber_id].append(alert)
    service = OfficeProfile.load().service_name
    sent = 0
    for subscriber_alerts in by_subscriber.values():
        try:
            sent += _subscriber_send(subscriber_alerts, now, service)
        except Exception:
            # Nothing marked sent for them: their news waits for the next run; others go on.
            logger.exception("Alert email failed: %s", subscriber_alerts[0].subscriber_id)
    return sent


@transaction.atomic
def _subscriber_send(subscriber_alerts: list[Alert], now, service: str) -> int:
    subscriber = subscriber_alerts[0].subscriber
    # Locked and marked sent in the same transaction as the sending: a second run at once
    # waits, then finds nothing left; a failed sending marks nothing.
    locked = Alert.objects.select_for_update().filter(pk__in=[a.pk for a in subscriber_alerts])
    fresh = [a for a in locked if a.since and a.since < now]
    items = subscriber_news(subscriber, fresh, now)
    Alert.objects.filter(pk__in=[a.pk for a in fresh]).update(last_sent_at=now)
    address = subscriber_address(subscriber)
    if not items or not address:
        return 0
    count = len(items)
    subject = f"{count} new item{'s' if count != 1 else ''} on the {service}"
    body = news_body(subscriber, items, alerts_described(fresh))
    return _send(address, subject, body, unsubscribe_url(subscriber))


def confirmation_send(alert: Alert, description: str) -> None:
    subscriber = alert.subscriber
    service = OfficeProfile.load().service_name
    link = portal_url(reverse("alerts:confirm", args=[subscriber.secret, alert.pk]))
    body = (
        f"Someone, we hope you, asked for email alerts from the {service} to this address:\n\n"
        f"{description}\n\n"
        f"To start them, open this link and press “Confirm”:\n{link}\n\n"
        "If you did not ask for them, ignore this email: nothing will be sent, and the address "
        "is deleted within 7 days." + _footer(subscriber)
    )
    arguments = {
        "to": subscriber.email,
        "subject": f"Confirm your email alerts from the {service}",
        "body": body,
        "unsubscribe": unsubscribe_url(subscriber),
    }
    transaction.on_commit(lambda: alert_email_send.enqueue(**arguments), robust=True)


# --- Subscribing and leaving ----------------------------------------------------------------


def _same(subscriber, *, what, priority_id, query, kind):
    return subscriber.alerts.filter(what=what, priority_id=priority_id, query=query, kind=kind)


@transaction.atomic
def alert_subscribe(*, user, email, what, frequency, priority_id=None, query="", kind=""):
    """Adds an alert; returns (alert, status). A signed-in user's works at once, with their
    account's address; anyone else's waits for the confirmation the email asks for."""
    now = timezone.now()
    fields = {"what": what, "priority_id": priority_id, "query": query, "kind": kind}
    if user is not None and user.is_authenticated:
        subscriber, _ = Subscriber.objects.get_or_create(user=user, defaults={"email": user.email})
        if subscriber.email != user.email:
            Subscriber.objects.filter(pk=subscriber.pk).update(email=user.email)
        alert = _same(subscriber, **fields).first()
        if alert is not None:
            if not alert.confirmed_at:
                alert.confirmed_at = now
            alert.frequency = frequency
            alert.save(update_fields=["confirmed_at", "frequency"])
            return alert, SubscribeStatus.ALREADY
        alert = Alert.objects.create(
            subscriber=subscriber, frequency=frequency, confirmed_at=now, **fields
        )
        return alert, SubscribeStatus.CONFIRMED
    address = email.strip().lower()
    subscriber, _ = Subscriber.objects.get_or_create(email=address, user=None)
    alert = _same(subscriber, **fields).first()
    if alert is not None and (
        alert.confirmed_at
        or (alert.confirmation_sent_at and now - alert.confirmation_sent_at < CONFIRMATION_GAP)
    ):
        # Said the same way whatever the case, so the page tells nobody what an address follows.
        return alert, SubscribeStatus.SENT
    if alert is None:
        alert = Alert.objects.create(subscriber=subscriber, frequency=frequency, **fields)
    alert.confirmation_sent_at = now
    alert.save(update_fields=["confirmation_sent_at"])
    confirmation_send(alert, alerts_described([alert])[0][1])
    return alert, SubscribeStatus.SENT


def alert_confirm(alert: Alert) -> Alert:
    if alert.confirmed_at is None:
        alert.confirmed_at = timezone.now()
        alert.save(update_fields=["confirmed_at"])
    return alert


@transaction.atomic
def alert_remove(alert: Alert) -> None:
    alert.delete()


@transaction.atomic
def subscriber_unsubscribe(subscriber: Subscriber) -> int:
    """Stops every alert email to this address; returns the alerts removed."""
    removed, _ = Alert.objects.filter(subscriber=subscriber).delete()
    return removed


@transaction.atomic
def subscriber_delete(subscriber: Subscriber) -> None:
    """Deletes the address and all its alerts."""
    subscriber.delete()


@transaction.atomic
def alerts_expire(*, now=None) -> int:
    """Deletes alerts never confirmed within 7 days, and the addresses of the public left with
    no alert; returns the alerts deleted."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_KEPT
    deleted, _ = Alert.objects.filter(confirmed_at=None, created_at__lt=cutoff).delete()
    Subscriber.objects.filter(Q(user=None), alerts=None, created_at__lt=cutoff).delete()
    return deleted
