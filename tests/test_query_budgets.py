"""Every page runs a fixed number of SQL queries, whatever the data: counted with some data,
then again with ten times as much (and more), and the counts must be the same."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plan.models import MeasureUpdate, OutcomeMeasure, Priority, ReportingPeriod
from plan.tests.factories import make_measure, make_period, make_plan, make_priority
from tests.helpers import median_seconds, soup, text

SOME_WORDS_HTML = '<p class="govuk-body">Some words.</p>'


def grow_plan(plan, *, priorities: int, measures_each: int, quarters: int) -> None:
    """Adds priorities and measures, and an update (of every status) per measure per quarter."""
    for _ in range(priorities):
        priority = make_priority(plan)
        for _ in range(measures_each):
            make_measure(priority)
    periods = [
        ReportingPeriod.objects.get_or_create(financial_year=2000 + i // 4, quarter=i % 4 + 1)[0]
        for i in range(quarters)
    ]
    statuses = ["approved", "approved", "draft", "submitted", "returned"]
    measures = OutcomeMeasure.objects.filter(priority__plan=plan)
    existing = set(MeasureUpdate.objects.values_list("measure_id", "period_id"))
    MeasureUpdate.objects.bulk_create(
        MeasureUpdate(
            measure=m,
            period=p,
            rag="amber",
            direction="stable",
            status=statuses[(m.pk + p.pk) % 5],
            commentary="Some words.",
            commentary_html=SOME_WORDS_HTML,  # a bulk write does not save, so makes no HTML
        )
        for m in measures
        for p in periods
        if (m.pk, p.pk) not in existing
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def plan_pages(plan):
    priority = plan.priorities.order_by("pk").first()
    update = MeasureUpdate.objects.filter(measure__priority__plan=plan).order_by("pk").first()
    return {
        "plans": reverse("plan:plans"),
        "overview": plan.get_absolute_url(),
        "priority": priority.get_absolute_url(),
        "measure history": reverse(
            "plan:measure_history",
            kwargs={
                "plan": plan.slug,
                "priority": priority.slug,
                "measure": priority.measures.order_by("pk").first().pk,
            },
        ),
        "quarter": reverse("plan:quarter", kwargs={"plan": plan.slug, "quarter": "2001-q2"}),
        "update": update.get_absolute_url(),
    }


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff", "approver"])
def test_plan_pages_run_the_same_queries_with_ten_times_the_data(client_for, role):
    client = client_for(role)
    plan = make_plan(start_year=2000, end_year=2030, slug="budget")
    grow_plan(plan, priorities=2, measures_each=3, quarters=10)
    pages = plan_pages(plan)
    if role in ("anonymous", "panel member"):
        pages.pop("update")  # staff only
    before = {name: count_queries(client, url) for name, url in pages.items()}

    # Ten times the priorities and measures, ten times the quarters; more updates' history.
    grow_plan(plan, priorities=18, measures_each=3, quarters=100)
    for i in range(20):
        make_plan(slug=f"other-{i}")
    first = MeasureUpdate.objects.get(pk=MeasureUpdate.objects.order_by("pk").first().pk)
    for n in range(12):
        first.commentary = f"Edit {n}"
        first.save()
    after = {name: count_queries(client, url) for name, url in pages.items()}
    assert MeasureUpdate.objects.count() >= 10 * 60
    print(f"{role}: {after}")
    assert after == before
    # The priority page's parts from other apps (scrutiny, funding, decisions and its HMICFRS
    # recommendations, the papers reporting on it) each run theirs.
    assert max(after.values()) <= 19, after


def grow_scrutiny(priority, *, meetings: int) -> None:
    from scrutiny.models import PanelMeeting
    from scrutiny.tests.factories import (
        make_action,
        make_meeting,
        make_panel_meeting,
        make_task_group,
        make_topic,
    )

    for i in range(meetings):
        meeting = make_meeting(published=i % 3 != 0)
        for _ in range(3):
            make_topic(meeting, priorities=[priority])
        for _ in range(2):
            action = make_action(meeting, priority=priority)
            action.notes.create(text="Progress")
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=PanelMeeting.objects.count())
        make_panel_meeting(day.isoformat())
        group = make_task_group()
        group.recommendations.create(number=1, text="Do it")
        make_action(task_group=group, priority=priority)


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_the_plan_overview_and_a_priority_take_no_longer_with_ten_times_the_quarters(
    client_for, role
):
    """The same measures with ten times the quarters reported: each measure still shows its
    latest quarters, read without the commentary of every past one."""
    client = client_for(role)
    plan = make_plan(start_year=2000, end_year=2030, slug="quarters-budget")
    grow_plan(plan, priorities=3, measures_each=3, quarters=10)
    pages = plan_pages(plan)
    pages = {name: pages[name] for name in ("overview", "priority")}
    queries = {name: count_queries(client, url) for name, url in pages.items()}
    before = {name: median_seconds(client, url) for name, url in pages.items()}
    grow_plan(plan, priorities=0, measures_each=0, quarters=100)
    assert MeasureUpdate.objects.filter(measure__priority__plan=plan).count() == 9 * 100
    after = {name: median_seconds(client, url) for name, url in pages.items()}
    print({name: f"{before[name] * 1000:.1f} ms -> {after[name] * 1000:.1f} ms" for name in pages})
    assert {name: count_queries(client, url) for name, url in pages.items()} == queries
    # Generous, so that a busy machine does not fail it.
    for name in pages:
        assert after[name] <= 3 * before[name], (name, before[name], after[name])


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff", "approver"])
def test_scrutiny_pages_run_the_same_queries_with_ten_times_the_data(client_for, role):
    from scrutiny.models import Action, PanelMeeting, ScrutinyMeeting, TaskGroup

    client = client_for(role)
    plan = make_plan(slug="scrutiny-budget")
    priority = make_priority(plan)
    grow_scrutiny(priority, meetings=3)

    def pages():
        meeting = ScrutinyMeeting.objects.published().order_by("pk").first()
        return {
            "landing": "/scrutiny/",
            "meetings": "/scrutiny/meetings/",
            "meeting": meeting.get_absolute_url(),
            "filtered": f"/scrutiny/meetings/?priority={priority.pk}&year=2021",
            "actions": "/scrutiny/actions/?status=still_open",
            "action": meeting.actions.first().get_absolute_url(),
            "panel": "/scrutiny/panel/",
            "panel_meeting": PanelMeeting.objects.first().get_absolute_url(),
            "task_groups": "/scrutiny/task-groups/",
            "task_group": TaskGroup.objects.first().get_absolute_url(),
            "calendar": "/scrutiny/calendar.ics",
            "priority": priority.get_absolute_url(),
        }

    before = {name: count_queries(client, url) for name, url in pages().items()}
    meetings_before = median_seconds(client, "/scrutiny/meetings/")
    grow_scrutiny(priority, meetings=30)
    assert Action.objects.count() >= 90
    after = {name: count_queries(client, url) for name, url in pages().items()}
    meetings_after = median_seconds(client, "/scrutiny/meetings/")
    print(f"{role}: {after}; meetings list {meetings_before:.3f} s, then {meetings_after:.3f} s")
    assert after == before
    # Nor does its time grow with the meetings: a generous bound, for a busy machine and for a
    # page of 20 meetings where there were 3.
    assert meetings_after <= 4 * meetings_before, (meetings_before, meetings_after)
    # The panel meeting's page also shows its attendance, declarations and minutes (three
    # queries, scrutiny.selectors.meeting_record).
    assert after.pop("panel_meeting") <= 15, after
    # The priority page also lists its published decisions, its HMICFRS recommendations and
    # the papers reporting on it (one query each, decisions' and reports' parts).
    assert after.pop("priority") <= 17, after
    assert max(after.values()) <= 14, after


def grow_funding(count: int) -> None:
    """Adds awards (and their priorities and areas) in bulk until there are `count`."""
    from funding.models import Award, Fund, Organisation
    from plan.models import Area

    funds = list(Fund.objects.all())
    orgs = list(Organisation.objects.all())
    priority = Priority.objects.first()
    area = Area.objects.first()
    start = Award.objects.count()
    awards = Award.objects.bulk_create(
        Award(
            fund=funds[i % len(funds)],
            organisation=orgs[i % len(orgs)],
            title=f"Award {i}",
            amount=Decimal(1000 + i),
            award_date=datetime.date(2016 + i % 6, i % 12 + 1, 1),
            status="awarded" if i % 4 else "bid_submitted",
        )
        for i in range(start, count)
    )
    Award.priorities.through.objects.bulk_create(
        Award.priorities.through(award_id=a.pk, priority_id=priority.pk) for a in awards
    )
    Award.areas.through.objects.bulk_create(
        Award.areas.through(award_id=a.pk, area_id=area.pk) for a in awards
    )


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_funding_pages_run_the_same_queries_with_10000_awards_as_with_100(client_for, role):
    from django.core.management import call_command

    for name in (
        "020_areas_lancashire",
        "025_reporting_periods",
        "030_plan_lancashire_2021_2025",
        "050_funding_lancashire",
    ):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    client = client_for(role)
    pages = {
        "summary": "/funding/",
        "awards": "/funding/awards/",
        "filtered": "/funding/awards/?direction=outgoing&priority=1&area=101&sort=-amount",
        "award": "/funding/awards/1/",
        "fund": "/funding/funds/street-pastors-fund/",
        "organisations": "/funding/organisations/",
        "priority": "/plan/2021-2025/getting-tough-on-anti-social-behaviour/",
    }
    grow_funding(100)
    before = {name: count_queries(client, url) for name, url in pages.items()}
    grow_funding(10_000)
    after = {name: count_queries(client, url) for name, url in pages.items()}
    print(f"{role}: {after}")
    assert after == before
    assert max(after.values()) <= 20, after


@pytest.mark.parametrize("role", ["staff", "approver"])
def test_pages_with_changes_waiting_run_the_same_queries_with_ten_times_the_data(
    client_for, make_user, role
):
    """A published meeting with changes waiting (to its note, a topic, a new topic): its page
    and its publication page, before and after ten times as many meetings and topics."""
    from pcc_portal.services import record_save
    from scrutiny.models import ScrutinyMeeting, ScrutinyTopic
    from scrutiny.tests.factories import make_meeting, make_topic

    client = client_for(role)
    priority = make_priority(make_plan(slug="pending-budget"))
    meeting = make_meeting(title="Watched meeting")
    make_topic(meeting, priorities=[priority], title="A topic")
    editor = make_user("staff")
    meeting.note = "Changed."
    record_save(instance=meeting, user=editor)
    topic = meeting.topics.get()
    topic.summary = "Changed too."
    record_save(instance=topic, user=editor, m2m={"priorities": []})
    record_save(instance=ScrutinyTopic(meeting=meeting, title="New"), user=editor)
    pages = {"meeting": meeting.get_absolute_url(), "publication": meeting.get_publication_url()}

    before = {name: count_queries(client, url) for name, url in pages.items()}
    for _ in range(10):
        other = make_meeting()
        for n in range(10):
            make_topic(other, priorities=[priority], title=f"Topic {n}")
    assert ScrutinyMeeting.objects.count() >= 11
    after = {name: count_queries(client, url) for name, url in pages.items()}
    print(f"{role}, changes waiting: {after}")
    assert after == before, (before, after)
    assert max(after.values()) <= 20, after


def grow_papers(count: int) -> None:
    """Panel meetings a week apart going back from 2023, each with a published paper, until
    there are `count`: the older ones more than two years ago."""
    from reports.tests.factories import make_report
    from scrutiny.models import PanelMeeting
    from scrutiny.tests.factories import make_panel_meeting

    for n in range(PanelMeeting.objects.count(), count):
        day = datetime.date(2023, 1, 3) - datetime.timedelta(weeks=n)
        make_report(make_panel_meeting(day.isoformat()), status="published")


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_the_papers_list_runs_the_same_queries_and_time_with_ten_times_the_meetings(
    client_for, role
):
    from scrutiny.models import PanelMeeting

    client = client_for(role)
    grow_papers(20)
    before = count_queries(client, "/reports/")
    seconds_before = median_seconds(client, "/reports/")
    grow_papers(200)
    assert PanelMeeting.objects.count() == 200
    assert count_queries(client, "/reports/") == before
    assert median_seconds(client, "/reports/") <= 3 * seconds_before
    # The meeting filter offers the latest meetings, not every one ever held.
    options = soup(client.get("/reports/")).find("select", attrs={"name": "meeting"})("option")
    assert len(options) < 200


def grow_ratings(plan, *, measures: int, quarters: int, since) -> None:
    """Measures with `quarters` quarters of approved updates, all approved before `since`, and
    one more quarter approved after it for every third measure, rated worse (Green to Red)."""
    from django.utils import timezone

    priority = make_priority(plan)
    periods = [make_period(2000 + i // 4, i % 4 + 1) for i in range(quarters + 1)]
    long_ago = since - datetime.timedelta(days=400)
    latest = since + datetime.timedelta(days=1)
    updates = []
    for n in range(measures):
        measure = make_measure(priority)
        for period in periods[:-1]:
            updates.append(
                MeasureUpdate(measure=measure, period=period, rag="green", direction="stable",
                              status="approved", approved_at=long_ago)
            )  # fmt: skip
        if n % 3 == 0:
            updates.append(
                MeasureUpdate(measure=measure, period=periods[-1], rag="red", direction="worse",
                              status="approved", approved_at=latest)
            )  # fmt: skip
    MeasureUpdate.objects.bulk_create(updates)
    assert latest < timezone.now()


def test_a_panel_members_home_page_runs_the_same_queries_and_time_with_ten_times_the_data(
    client_for,
):
    """The ratings worsened since the last panel meeting: ten times the measures and quarters."""
    from django.utils import timezone

    from scrutiny.tests.factories import make_panel_meeting

    client = client_for("panel member")
    last = make_panel_meeting((timezone.localdate() - datetime.timedelta(days=30)).isoformat())
    plan = make_plan(slug="home-budget")
    grow_ratings(plan, measures=3, quarters=4, since=last.starts_at)
    before = count_queries(client, "/")
    seconds_before = median_seconds(client, "/")
    assert text(soup(client.get("/")).main).count("rating worsened from Green") == 1

    for _ in range(9):
        grow_ratings(make_plan(), measures=3, quarters=40, since=last.starts_at)
    assert MeasureUpdate.objects.count() > 10 * 12
    assert text(soup(client.get("/")).main).count("rating worsened from Green") == 10
    assert count_queries(client, "/") == before
    assert median_seconds(client, "/") <= 3 * seconds_before


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff"])
def test_every_page_reads_the_office_profile_from_the_cache_not_the_database(client_for, role):
    """The office profile, in every page's header and footer, is one query on a cold cache and
    none after: each page runs one query fewer than it did."""
    from django.core.cache import cache
    from django.core.management import call_command

    for name in (
        "010_office_profile",
        "020_areas_lancashire",
        "025_reporting_periods",
        "030_plan_lancashire_2021_2025",
        "040_scrutiny_lancashire",
    ):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    client = client_for(role)
    pages = ["/", "/reports/", "/scrutiny/meetings/", "/decisions/",
             "/plan/2021-2025/getting-tough-on-anti-social-behaviour/"]  # fmt: skip
    for url in pages:
        client.get(url)  # the session's first visit may write to it
        cache.clear()
        cold = count_queries(client, url)
        warm = count_queries(client, url)
        print(f"{role} {url}: {cold} queries with the cache empty, {warm} from it")
        assert warm == cold - 1, url
