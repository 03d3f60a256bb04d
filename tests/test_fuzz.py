"""Zero server errors from bad input: every form and query parameter of every URL, every role.

The URL map is walked from the resolver; each route's parameters are filled from records built
here with the apps' factories (a route that cannot be filled fails the test by name), and are
fuzzed themselves. Every page is opened as each role. The query parameters a page reads (the
fields of the GET forms aimed at it, those of links to it, `page`, `sort`, `q`, `kind`, and any
other name the view asks request.GET for) are sent every value of the corpus, and every POST
form a role is offered is posted with them in every field. No answer may be a 5xx, and a POST
that is refused must leave every record of the portal as it was.

By default each field meets each value once, the roles that may open the page taking turns
(seconds); PORTAL_FUZZ=full (`make test-fuzz`) sends every value as every role, and also each
value alone in a form otherwise as it stands, which reaches past the form to the save (minutes).

Each request runs in a savepoint rolled back afterwards, so every request meets the same data.
The admin is left out: it is Django's own, reached only by the superuser. WeasyPrint's layout
(about half a second a document) is replaced by one ready-made page: what is fuzzed is the
input handling up to the HTML; reports/tests check the PDFs themselves.
"""

import copy
import datetime
import logging
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import weasyprint
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction
from django.test import Client
from django.urls import resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alerts.models import Alert, Subscriber
from conftest import ROLE_GROUPS, force_login_verified
from decisions.duties import Duty, DutyDocument
from decisions.inspections import Inspection, InspectionRecommendation
from decisions.models import ForwardPlanEntry
from decisions.services import decision_sign, decision_submit
from decisions.tests.factories import make_decision, publish_decision
from funding.tests.factories import make_award, make_fund, make_org
from pcc_portal.models import ImportRequest
from pcc_portal.publication import pending_record
from plan.models import Area
from plan.tests.factories import make_period, make_plan_with_measures, make_update
from reports.models import Pack, Publication
from reports.tests.factories import add_section, make_report
from scrutiny.models import (
    ActionNote,
    AgendaItem,
    Attendance,
    Declaration,
    Minutes,
    PanelMember,
    Recommendation,
    ScrutinyPaper,
)
from scrutiny.tests.factories import (
    make_action,
    make_meeting,
    make_panel_meeting,
    make_task_group,
    make_topic,
)
from search.index import search_rebuild
from tests.fuzzing import (
    CORPUS,
    QUERY_CORPUS,
    WATCHED_GET,
    PageForm,
    WatchedQuery,
    describe,
    materialise,
    page_forms,
    routes,
    shaped,
)

# The marker makes pytest-django set the test database up; the records are the module's own.
pytestmark = pytest.mark.django_db
ROLES = tuple(ROLE_GROUPS)
FULL = os.environ.get("PORTAL_FUZZ") == "full"
LEFT_OUT = {"admin": "Django's own admin, reached only by the superuser"}
EXTRA_QUERY = ("page", "sort", "q", "kind")
# Path parameters: the corpus, and values that fit the converters but name nothing real.
PATH_CORPUS = [value for value in CORPUS if isinstance(value, str)] + [
    "00000000000000000000001",
    "0001-01-01",
    "2021-13-01",
    "2021-13",
    "0000-00",
    "0000/000",
    "9999/9999",
    "9999-q4",
    "0000-q1",
    "updates",
    "new",
    "-",
    "a" * 300,
]
PANEL_DAY = "2021-10-12"


@dataclass
class Site:
    """The records, the signed-in clients and what the fuzzing found."""

    clients: dict
    routes: dict  # route name -> Route
    fills: dict  # route name -> [(path, the records it names, its parameters' values)]
    unfilled: dict  # route name -> why it cannot be filled
    counts: tuple = ()
    states: dict = field(default_factory=dict)
    stats: Counter = field(default_factory=Counter)
    pages: dict = field(default_factory=dict)  # role -> [Page], once crawled
    crawl_failures: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # (route, role) -> status of its first page

    def records_at(self, path: str) -> tuple:
        for paths in self.fills.values():
            for filled, records, _ in paths:
                if filled == path:
                    return records
        return ()


# --- The records every request meets ---------------------------------------------------


def build_records() -> dict:
    """One of everything, linked as real data is; the route parameters are filled from these."""
    plan, measures = make_plan_with_measures(priorities=2, measures_each=2, slug="2021-2025")
    priority = measures[0].priority
    for measure in measures[:2]:  # a target: the forms offer the rating's explanation
        measure.desired_direction = "increase"
        measure.target_value, measure.amber_tolerance = 80, 5
        measure.save()
    period = make_period(2021, 2)
    update = make_update(measures[0], period, value=70)
    division = Area.objects.create(kind="division", name="Fuzz division", slug="fuzz-division")
    meeting = make_meeting(period=period)
    topic = make_topic(meeting, priorities=[priority])
    paper = ScrutinyPaper.objects.create(
        meeting=meeting, title="A paper", file=ContentFile(b"%PDF-1.4\n%%EOF\n", "paper.pdf")
    )
    action = make_action(meeting=meeting, priority=priority)
    ActionNote.objects.create(action=action, text="Progress.")
    group = make_task_group()
    recommendation = Recommendation.objects.create(task_group=group, number=1, text="Do this.")
    make_action(task_group=group)
    panel = make_panel_meeting(PANEL_DAY)
    fund = make_fund()
    fund.priorities.add(priority)
    award = make_award(fund, organisation=make_org(area=division))
    award.priorities.add(priority)
    award.areas.add(division)
    incoming = make_fund("incoming")
    make_award(incoming, status="bid_submitted")
    held = pending_record(
        root=meeting,
        instance=ScrutinyPaper(meeting=meeting, title="A held paper", link="https://example.org/"),
        user=None,
        m2m={},
    )
    reader = get_user_model().objects.create_user(username="fuzz-reader", email="r@example.org")
    import_request = ImportRequest.objects.create(
        kind="awards", format="csv", file_name="awards.csv", token="0" * 32, sha256="0" * 64
    )
    standard = AgendaItem.objects.create(meeting=panel, position=1, title="Apologies for absence")
    paper_item = AgendaItem.objects.create(meeting=panel, position=2, title="A paper", kind="paper")
    report = make_report(panel, period=period, agenda_item=paper_item)
    pack = Pack.objects.create(
        meeting=panel, audience=Pack.Audience.PUBLIC, number=1, sha256="0" * 64, page_count=1,
        pdf=ContentFile(one_page_pdf(), "pack.pdf"),
    )  # fmt: skip
    member = PanelMember.objects.create(
        name="Member A", council="Preston", term_start=datetime.date(2021, 1, 1), published=True
    )
    declaration = Declaration.objects.create(
        meeting=panel, item=standard, member=member, interest="A relative works for the force."
    )
    Attendance.objects.create(meeting=panel, member=member, status="attended")
    Minutes.objects.create(meeting=panel, text="The panel met.")
    # A paper published twice, so the pages comparing its revisions have two to compare.
    revised = make_report(panel, title="A revised paper", status="published", agenda_order=2)
    for revision, words in ((1, "The first words."), (2, "The second words.")):
        Publication.objects.create(
            report=revised, revision=revision, html=f'<h2>A heading</h2><p id="p1">{words}</p>',
            pdf=ContentFile(one_page_pdf(), "paper.pdf"), sha256="0" * 64, page_count=1,
        )  # fmt: skip
    sections = [
        add_section(report, body="A paragraph."),
        add_section(report, kind="funding_table", params={"direction": "outgoing"}),
        add_section(report, kind="outcome_measures", params={"priorities": [priority.pk]}),
        add_section(report, kind="recommendations", params={"task_group": group.slug}),
    ]
    approver = get_user_model().objects.create_user(username="fuzz-signer")
    approver.groups.add(Group.objects.get(name=ROLE_GROUPS["approver"]))
    published = make_decision(
        decision_date=datetime.date(2021, 10, 1), exempt_text="Who bid.", exemption="3"
    )
    published.priorities.add(priority)
    published.awards.add(award)
    published.papers.add(report)
    published = publish_decision(published, approver)
    # Its notice's PDFs as the render after the commit stores them (for both audiences).
    notice = published.revisions.get()
    notice.public_pdf = ContentFile(one_page_pdf(), "notice.pdf")
    notice.members_pdf = ContentFile(one_page_pdf(), "notice-members.pdf")
    notice.public_sha256 = notice.members_sha256 = "0" * 64
    notice.public_pages = notice.members_pages = 1
    notice.save()
    submitted = decision_submit(decision=make_decision(title="Waiting"), user=approver)
    draft = make_decision(title="A draft decision", decision_date=None)
    signed = decision_sign(
        decision=decision_submit(decision=make_decision(title="Signed"), user=approver),
        user=approver,
    )
    entry = ForwardPlanEntry.objects.create(
        title="A planned decision", summary="What to decide.",
        expected_month=datetime.date(2021, 11, 1), published=True,
    )  # fmt: skip
    ForwardPlanEntry.objects.create(
        title="An unpublished plan", summary="Later.", expected_month=datetime.date(2022, 1, 1)
    )
    inspection = Inspection.objects.create(
        title="A PEEL assessment", kind="peel", published_on=datetime.date(2021, 9, 1)
    )
    inspected = InspectionRecommendation.objects.create(
        inspection=inspection, text="The force should improve.", office_response="Agreed."
    )
    inspected.priorities.add(priority)
    duty = Duty.objects.create(
        slug="spending", title="Spending", legal_basis="An order", frequency="monthly",
        source="document",
    )  # fmt: skip
    Duty.objects.create(
        slug="grants", title="Grants", legal_basis="An order", frequency="monthly",
        source="grants", threshold=500,
    )  # fmt: skip
    documents = [
        DutyDocument.objects.create(
            duty=duty, title="Spending in March", published=True,
            file=ContentFile(b"date,amount\n2021-03-01,600\n", "spending.csv"),
            published_on=datetime.date(2021, 4, 20), covers_from=datetime.date(2021, 3, 1),
            covers_to=datetime.date(2021, 3, 31),
        ),
        DutyDocument.objects.create(
            duty=duty, title="Spending in April", link="https://example.org/april.csv",
            published_on=datetime.date(2021, 5, 20), covers_from=datetime.date(2021, 4, 1),
            covers_to=datetime.date(2021, 4, 30),
        ),
    ]  # fmt: skip
    # The search index of all the above, so that /search/ finds some of it.
    search_rebuild()
    # An address with an alert waiting for confirmation: its links are the alerts' pages.
    subscriber = Subscriber.objects.create(email="fuzz@example.org")
    alert = Alert.objects.create(subscriber=subscriber, what="papers", frequency="daily")
    return {
        # Filled by parameter name, whatever the route.
        "reference": published,
        "rec": inspected,  # a recommendation of the inspection the path names
        "plan": plan,
        "priority": priority,
        "quarter": period,
        "measure": measures[1],  # no update in 2021-q2 yet: its "new update" page
        "date": panel,
        "key": held,  # changes waiting for approval: the key of the one held
        "uidb64": reader,  # a password reset link
        "token": reader,
        "number": pack,  # an earlier agenda reports pack; a decision notice's revision 1 too
        "direction": paper_item,  # an agenda item moves down (up from the first does nothing)
        "month": "2021-03",  # a month of the grants pages
        "kind": "awards",  # a kind of record to import and export, and a spreadsheet format
        "fmt": "xlsx",
        "secret": subscriber,  # the link in an alert email
        # `pk` and `slug`: by the path segment before them, e.g. awards/<int:pk>/.
        "collections": {
            "updates": [update],
            "meetings": [meeting],
            "topics": [topic],
            "papers": [paper],
            "actions": [action],
            "task-groups": [group],
            "recommendations": [recommendation],
            "awards": [award],
            "funds": [fund, incoming],
            "organisations": [award.organisation],
            "reports": [report, revised],
            "sections": sections,
            "agenda": [standard, paper_item],
            "members": [member],
            "declarations": [declaration],
            "requests": [import_request],  # an import sent to an approver
            "decisions": [draft, submitted, signed, published],
            "forward-plan": [entry],
            "inspections": [inspection],
            "duties": [duty],  # the register of duties: a duty and its documents
            "documents": documents,
            "confirm": [alert],  # an alert, by its address's link
            "remove": [alert],
        },
    }


PARAMETER_VALUES = {
    "plan": lambda plan: plan.slug,
    "priority": lambda priority: priority.slug,
    "quarter": lambda period: period.slug,
    "measure": lambda measure: measure.pk,
    "date": lambda meeting: meeting.date.isoformat(),
    "key": lambda change: change.operations[0]["key"],
    "uidb64": lambda user: urlsafe_base64_encode(force_bytes(user.pk)),
    "token": lambda user: default_token_generator.make_token(user),
    "direction": lambda item: "down",
    "number": lambda pack: pack.number,
    "kind": lambda key: key,
    "fmt": lambda fmt: fmt,
    "reference": lambda decision: decision.reference,
    "rec": lambda recommendation: recommendation.pk,
    "month": lambda month: month,
    "secret": lambda subscriber: subscriber.secret,
}


def fill(route, records) -> list[tuple[str, tuple, dict]]:
    """The route's paths with real records in them: (path, the records it names, its values)."""
    if not route.understood:
        raise LookupError("its parameters are a regular expression")
    generic = {name: records[name] for name in route.parameters if name in PARAMETER_VALUES}
    values = {name: PARAMETER_VALUES[name](record) for name, record in generic.items()}
    # The records the path names (a kind of import or a format is a word, not a record).
    listed = tuple(record for record in generic.values() if hasattr(record, "_meta"))
    named = [name for name in route.parameters if name not in PARAMETER_VALUES]
    if not named:
        return [(route.path(values), listed, values)]
    if any(name not in ("pk", "slug") for name in named):
        raise LookupError(f"nothing fills its parameter(s) {named}")
    found = re.search(r"([^/]+)/<(?:\w+:)?(?:pk|slug)>", route.route)
    collection = found[1] if found else ""
    if collection not in records["collections"]:
        raise LookupError(f"no records for {collection or 'its parameters'!r}")
    filled = []
    for record in records["collections"][collection]:
        own = {**values, **{name: getattr(record, name) for name in named}}
        filled.append((route.path(own), (*listed, record), own))
    return filled


def one_page_pdf() -> bytes:
    return weasyprint.HTML(string="<p>A page.</p>").write_pdf()


def signed_in_client(role: str) -> Client:
    client = Client(raise_request_exception=False)
    if ROLE_GROUPS[role]:
        user = get_user_model().objects.create_user(username=f"fuzz-{role.replace(' ', '-')}")
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        force_login_verified(client, user)  # two-factor passed, as staff must have
    return client


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The records and clients, built once for the module and rolled back at its end."""
    pdf = one_page_pdf()
    # Every 404, 500 and refused redirect would be logged: the test counts them itself.
    quiet = [logging.getLogger(name) for name in ("django.request", "django.security")]
    with (
        mock.patch.object(quiet[0], "disabled", True),
        mock.patch.object(quiet[1], "disabled", True),
        django_db_blocker.unblock(),
        transaction.atomic(),
        mock.patch.object(weasyprint.HTML, "write_pdf", lambda self, **kwargs: pdf),
        mock.patch.object(WSGIRequest, "GET", WATCHED_GET),
    ):
        records = build_records()
        fills, unfilled, named = {}, {}, {}
        for route in routes():
            if route.name.partition(":")[0] in LEFT_OUT:
                continue
            named[route.name] = route
            try:
                fills[route.name] = fill(route, records)
            except LookupError as why:
                unfilled[route.name] = f"/{route.route}: {why}"
        clients = {role: signed_in_client(role) for role in ROLES}
        found = Site(clients=clients, routes=named, fills=fills, unfilled=unfilled)
        found.counts = row_counts()
        found.states = {
            (type(record), record.pk): record_state(record)
            for paths in fills.values()
            for _, listed, _ in paths
            for record in listed
        }
        yield found
        transaction.set_rollback(True)


# --- What must not change ---------------------------------------------------------------


def portal_models():
    """Every model of the portal's own apps (history and many-to-many tables included)."""
    root = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if config.path.startswith(root) and "site-packages" not in config.path:
            yield from config.get_models(include_auto_created=True)


def row_counts() -> tuple:
    tables = [model._meta.db_table for model in portal_models()]
    quoted = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quoted(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def record_state(record) -> dict:
    model = type(record)
    state = model._default_manager.filter(pk=record.pk).values().first() or {}
    for relation in model._meta.many_to_many:
        state[relation.name] = sorted(getattr(record, relation.name).values_list("pk", flat=True))
    return state


# --- Sending --------------------------------------------------------------------------


@dataclass
class Sent:
    role: str
    method: str
    path: str
    what: str  # the bad input, in a few words
    status: int
    error: str = ""
    reads: frozenset = frozenset()  # the query parameters the view read ("*": all)


# Every page, with good input and bad, is checked for these too: an ARIA reference to
# nothing, and a select starting with Django's generic blank choice rather than a prompt.
EMPTY_DESCRIBEDBY = b'aria-describedby=""'
GENERIC_BLANKS = (b"- Select an option -", b">---------<")


def send(site, role, method, path, data, what, records=()) -> tuple[Sent, object]:
    """One request, rolled back afterwards; a 5xx, or a refused POST that wrote, is an error."""
    client = site.clients[role]
    cookies = copy.deepcopy(client.cookies)
    WatchedQuery.reads = set()
    with transaction.atomic():
        response = getattr(client, method)(path, data)
        site.stats[method] += 1
        sent = Sent(role, method, path, what, response.status_code)
        sent.reads = frozenset(WatchedQuery.reads)
        if response.status_code >= 500:
            site.stats["5xx"] += 1
            exc = response.exc_info[1] if getattr(response, "exc_info", None) else None
            sent.error = f"{type(exc).__name__}: {str(exc)[:200]}" if exc else "a 5xx answer"
        elif method == "post" and refused(response):
            sent.error = half_saved(site, records)
        if not sent.error and EMPTY_DESCRIBEDBY in getattr(response, "content", b""):
            sent.error = 'an empty aria-describedby="" (invalid HTML)'
        if not sent.error and any(b in getattr(response, "content", b"") for b in GENERIC_BLANKS):
            sent.error = 'a select starting "- Select an option -", not a prompt'
        transaction.set_rollback(True)
    client.cookies = cookies  # a sign-out, rolled back, must not sign the client out
    return sent, response


def refused(response) -> bool:
    if response.status_code != 302:
        return True
    return response["Location"].startswith(settings.LOGIN_URL)


def half_saved(site, records) -> str:
    counts = row_counts()
    changed = [
        f"{table}: {before} -> {after}"
        for (table, before), (_, after) in zip(site.counts, counts, strict=True)
        if before != after
    ]
    for record in records:
        if record_state(record) != site.states[(type(record), record.pk)]:
            changed.append(f"{type(record).__name__} {record.pk} changed")
    return ("refused, yet saved: " + "; ".join(changed)) if changed else ""


def report(failures) -> str:
    lines = [
        f"{f.status} {f.method.upper()} {f.path[:100]} as {f.role}, {f.what}: {f.error}"
        for f in failures[:40]
    ]
    more = f"\n... and {len(failures) - 40} more" if len(failures) > 40 else ""
    return f"{len(failures)} failures:\n" + "\n".join(lines) + more


def tally(site) -> tuple[int, int, float]:
    return site.stats["get"] + site.stats["post"], site.stats["5xx"], time.monotonic()


def say(figures, site, before, what: str, failures) -> None:
    """One line of figures, for the run's summary."""
    requests, errors, seconds = (now - then for now, then in zip(tally(site), before, strict=True))
    figures(f"fuzz, {what}: {requests:,} requests, {errors} answered 5xx, "
            f"{len(failures)} failures, {seconds:.1f} s")  # fmt: skip


# --- The tests ---------------------------------------------------------------------------


def test_the_half_saved_check_sees_a_new_row_and_a_changed_record(site):
    """A guard against a silent no-op: writes within a request's savepoint must be seen."""
    award = site.fills["funding:award_edit"][0][1][-1]
    with transaction.atomic():
        type(award).objects.filter(pk=award.pk).update(title="Changed")
        assert half_saved(site, [award]) == f"refused, yet saved: Award {award.pk} changed"
        make_org()
        assert "funding_organisation: " in half_saved(site, [])
        transaction.set_rollback(True)
    assert half_saved(site, [award]) == ""


def test_every_route_of_the_url_map_is_filled_from_records(site):
    """A new route the fuzz cannot reach must be taught to it, not silently skipped."""
    assert site.fills, "no routes found"
    assert not site.unfilled, (
        "The fuzz test cannot fill these routes; add their records to build_records() in "
        "tests/test_fuzz.py:\n" + "\n".join(f"{n} ({why})" for n, why in site.unfilled.items())
    )


# --- Every page, as every role -------------------------------------------------------------


@dataclass
class Page:
    route: str
    path: str  # with a query string when a GET form led to it
    records: tuple
    forms: list[PageForm]
    links: list[str]  # the page's links that carry a query string
    descriptions: list[str] | None = None  # its <meta name="description">s, if it is HTML


LINK_WITH_QUERY = re.compile(rb'href="(/[^"?#]*\?[^"#]*)"')
META_DESCRIPTION = re.compile(rb'<meta name="description" content="([^"]*)"')


def crawl(site) -> dict[str, list[Page]]:
    """Each filled route opened as each role, and where its GET forms lead; once a module."""
    if not site.pages:
        for role in ROLES:
            pages = []
            for name, paths in site.fills.items():
                for path, records, _ in paths:
                    pages += open_page(site, role, name, path, records)
            for page in list(pages):
                for form in page.forms:
                    if form.method == "get" and form.path != urlsplit(page.path).path:
                        pages += follow(site, role, form)
            site.pages[role] = pages
    return site.pages


def open_page(site, role, name, path, records) -> list[Page]:
    """The page as the role sees it, if it answers 200: its forms and its links."""
    sent, response = send(site, role, "get", path, {}, "as it stands", records)
    site.answers.setdefault((name, role), response.status_code)
    if sent.error:
        site.crawl_failures.append(sent)
    if response.status_code != 200:
        return []
    forms, links, descriptions = [], [], None
    if response.get("Content-Type", "").startswith("text/html"):
        forms = page_forms(response.content, path)
        descriptions = [d.decode() for d in META_DESCRIPTION.findall(response.content)]
        links = [
            link.decode().replace("&amp;", "&")
            for link in LINK_WITH_QUERY.findall(response.content)
        ]
    return [Page(name, path, records, forms, links, descriptions)]


def follow(site, role, form) -> list[Page]:
    """A GET form that leads to another page (e.g. "add a section" of a kind): each choice."""
    found = []
    name = resolve(form.path).view_name
    for choice in [f for f in form.fuzzed if f.kind in ("choice", "multi")]:
        for option in choice.options:
            query = urlencode({**form.as_sent(), choice.name: option}, doseq=True)
            records = site.records_at(form.path)
            found += open_page(site, role, name, f"{form.path}?{query}", records)
    return found


def test_every_page_opens_as_every_role_without_server_error(site, figures):
    before = tally(site)
    pages = crawl(site)
    opened = sum(len(found) for found in pages.values())
    say(figures, site, before, f"every page as each role ({opened} answered 200)",
        site.crawl_failures)  # fmt: skip
    assert not site.crawl_failures, report(site.crawl_failures)


def test_every_page_has_one_meta_description(site):
    """Search engines and shared links show it: one, saying something, on every HTML page."""
    pages = crawl(site)
    wrong = sorted(
        {
            f"{page.path} ({role}): {page.descriptions or 'none'}"
            for role, found in pages.items()
            for page in found
            if page.descriptions is not None
            and (len(page.descriptions) != 1 or not page.descriptions[0].strip())
        }
    )
    assert not wrong, "\n".join(wrong)


# --- Query parameters ---------------------------------------------------------------------


def query_names(pages) -> dict[str, set]:
    """Per path: the names its GET forms send and its links carry, and the usual extras."""
    names = {}
    for page in pages:
        names.setdefault(urlsplit(page.path).path, set()).update(EXTRA_QUERY)
        for form in page.forms:
            if form.method == "get":
                names.setdefault(form.path, set()).update(f.name for f in form.fuzzed)
        for link in page.links:
            parts = urlsplit(link)
            pairs = parse_qsl(parts.query, keep_blank_values=True)
            names.setdefault(parts.path, set()).update(name for name, _ in pairs)
    return names


PART = re.compile(r"_[0-9]+$")  # date_0, date_1, date_2: the day, month and year of one field


def rotations(names, corpus):
    """len(corpus) sets of values in which each name meets each value once (a Latin square).

    The parts of one field take the same value, so that a number too large for a date gets
    past each part's own check to the date itself.
    """
    fields = sorted({PART.sub("", name) for name in names})
    size = len(corpus)
    for turn in range(size):
        yield {name: corpus[(fields.index(PART.sub("", name)) + turn) % size] for name in names}


def taking_turns(turn: int, roles: list[str]) -> list[str]:
    """Every role in a full run; otherwise the roles take turns, one request each turn."""
    return roles if FULL else [roles[turn % len(roles)]]


def pinpoint(site, role, method, path, base, values, records):
    """Which of the values of a failing request fail on their own."""
    alone = []
    for name, value in values.items():
        data = {**base, name: materialise(value)}
        sent, _ = send(site, role, method, path, data, f"{name}={describe(value)}", records)
        if sent.error:
            alone.append(sent)
    return alone


def paginates(route) -> bool:
    return bool(getattr(getattr(route.view, "view_class", None), "paginate_by", None))


def test_query_parameters_of_every_page_give_no_server_error(site, figures):
    failures, before = [], tally(site)
    pages = crawl(site)
    names = query_names([page for found in pages.values() for page in found])
    targets = {}  # route -> its first page and the roles that may open it
    for role, found in pages.items():
        for page in found:
            target = targets.setdefault(page.route, (page, []))
            if role not in target[1]:
                target[1].append(role)
    quiet = 0  # pages that read none of the names
    for route, (page, roles) in targets.items():
        parts = urlsplit(page.path)
        own = dict(parse_qsl(parts.query, keep_blank_values=True))
        read = set()
        for role in roles if FULL else roles[-1:]:  # every name, empty: which are read?
            data = {**dict.fromkeys(names[parts.path], ""), **own}
            sent, _ = send(site, role, "get", parts.path, data, "every name empty", page.records)
            failures += [sent] if sent.error else []
            read |= sent.reads
        fuzzed = (names[parts.path] if "*" in read else set()) | (read - {"*"})
        quiet += not fuzzed
        batches = []
        if paginates(site.routes[route]) and "page" in fuzzed:
            # A wrong page is "not found" before the rest of the page is made: alone.
            fuzzed.discard("page")
            batches = [{"page": value} for value in QUERY_CORPUS]
        if fuzzed:
            batches += rotations(fuzzed, QUERY_CORPUS)
        for turn, values in enumerate(batches):
            for role in taking_turns(turn, roles):
                data = {**own, **values}
                sent, _ = send(site, role, "get", parts.path, data, "query", page.records)
                if sent.error:
                    failures += pinpoint(
                        site, role, "get", parts.path, own, values, page.records
                    ) or [sent]
    say(figures, site, before, f"query parameters of {len(targets)} pages ({quiet} read none)",
        failures)  # fmt: skip
    assert not failures, report(failures)


# --- Forms -------------------------------------------------------------------------------


@dataclass
class Offer:
    form: PageForm
    records: tuple
    roles: list[str]  # the roles whose pages offer the form


def offered_forms(pages) -> list[Offer]:
    """Each POST form once (by its route and its fields), with the roles it is offered to."""
    offers = {}
    for role, found in pages.items():
        for page in found:
            for form in page.forms:
                if form.method != "post":
                    continue
                key = (resolve(form.path).view_name, tuple(f.name for f in form.fields))
                records = site_records(page, form)
                offer = offers.setdefault(key, Offer(form, records, []))
                if role not in offer.roles:
                    offer.roles.append(role)
    return list(offers.values())


def site_records(page, form) -> tuple:
    return page.records if form.path == urlsplit(page.path).path else ()


def test_every_form_refuses_bad_input_without_server_error_or_half_saving(site, figures):
    offers = offered_forms(crawl(site))
    assert len(offers) > 20, "the pages' forms could not be read"
    failures, before = [], tally(site)
    for offer in offers:
        for role in ROLES:  # saved by those it is offered to; refused to the others
            sent, _ = post(site, offer, role, offer.form.as_sent(), "the form as it stands")
            failures += [sent] if sent.error else []
        form, records = offer.form, records_of(site, offer)
        fields = {f.name: f for f in form.fields}
        names = [f.name for f in form.fuzzed]
        token = {name: list(fields[name].initial) for name in fields if name not in names}
        for turn, values in enumerate(rotations(names, CORPUS) if names else []):
            for role in taking_turns(turn, offer.roles):
                data = {
                    **token,
                    **{n: shaped(fields[n], materialise(v)) for n, v in values.items()},
                }
                sent, _ = post(site, offer, role, data, "every field")
                if sent.error:
                    alone = pinpoint(
                        site, role, "post", form.action, form.as_sent(), values, records
                    )
                    failures += alone or [sent]
    if FULL:  # one bad field in a form otherwise as it stands: past the form, to the save
        for offer in offers:
            for role in offer.roles:
                for one in offer.form.fuzzed:
                    for value in CORPUS:
                        data = {**offer.form.as_sent(), one.name: shaped(one, materialise(value))}
                        sent, _ = post(site, offer, role, data, f"{one.name}={describe(value)}")
                        failures += [sent] if sent.error else []
    say(figures, site, before, f"{len(offers)} forms", failures)
    assert not failures, report(failures)


def records_of(site, offer) -> tuple:
    return site.records_at(offer.form.path) or offer.records


def post(site, offer, role, data, what) -> tuple:
    return send(site, role, "post", offer.form.action, data, what, records_of(site, offer))


# --- Path parameters -----------------------------------------------------------------------


def path_values(converter) -> list[str]:
    return [value for value in PATH_CORPUS if re.fullmatch(converter.regex, value)]


def test_odd_path_parameters_give_no_server_error(site, figures):
    """Every parameter of every route given values that fit its pattern but name nothing."""
    crawl(site)  # which routes answer GET at all
    failures, before, unfuzzable = [], tally(site), []
    for name, paths in site.fills.items():
        route = site.routes[name]
        _, records, real = paths[0]
        for parameter in route.parameters:
            values = path_values(route.converters[parameter])
            if not values:
                unfuzzable.append(f"{name}: <{parameter}>")
            for turn, value in enumerate(values):
                odd = route.path({**real, parameter: value})
                # GET as the roles in turn; a route that refuses GET is sent a POST by the
                # approver, whom no permission stops.
                sends = [(role, "get") for role in taking_turns(turn, list(ROLES))]
                if site.answers.get((name, "approver")) == 405:
                    sends.append(("approver", "post"))
                for role, method in sends:
                    sent, _ = send(site, role, method, odd, {}, f"<{parameter}>", records)
                    if sent.error:
                        failures.append(sent)
    say(figures, site, before, "path parameters", failures)
    assert not unfuzzable, f"No corpus value fits these parameters: {unfuzzable}"
    assert not failures, report(failures)
