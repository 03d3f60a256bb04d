"""A priority's page shows each measure's latest quarters; the measure's history page shows all
of them, a page at a time; the commentary is shown from the HTML stored when it was saved."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from plan.models import MeasureUpdate
from plan.selectors import HISTORY_PAGE_SIZE, RECENT_QUARTERS
from plan.tests.factories import make_measure, make_period, make_plan, make_priority, make_update
from tests.helpers import median_seconds

pytestmark = pytest.mark.django_db


def quarters(count: int) -> list:
    """`count` quarters from Q1 2000/01 on, oldest first."""
    return [make_period(2000 + i // 4, i % 4 + 1) for i in range(count)]


def approved_history(measure, count: int) -> list[MeasureUpdate]:
    return [
        make_update(measure, period, status="approved", commentary=f"Commentary of {period}.")
        for period in quarters(count)
    ]


@pytest.fixture
def measure():
    plan = make_plan(slug="2021-2025", status="published")
    return make_measure(make_priority(plan, title="Safer streets"), short_label="Burglary")


def history_url(measure, page: int | None = None) -> str:
    priority = measure.priority
    url = reverse(
        "plan:measure_history",
        kwargs={"plan": priority.plan.slug, "priority": priority.slug, "measure": measure.pk},
    )
    return url if page is None else f"{url}?page={page}"


def test_the_priority_page_shows_the_latest_quarters_and_links_to_all_of_them(client, measure):
    approved_history(measure, 10)
    page = client.get(measure.priority.get_absolute_url()).content.decode()
    assert "Commentary of Q2 2002/03." in page  # the newest
    assert "Commentary of Q3 2001/02." in page  # the fourth newest
    assert "Commentary of Q2 2001/02." not in page
    assert "Commentary of Q1 2000/01." not in page
    assert RECENT_QUARTERS == 4
    assert f'href="{history_url(measure)}">All 10 quarters of Burglary</a>' in page


def test_the_priority_page_needs_no_link_while_every_quarter_is_shown(client, measure):
    approved_history(measure, RECENT_QUARTERS)
    page = client.get(measure.priority.get_absolute_url()).content.decode()
    assert "Commentary of Q1 2000/01." in page
    assert "quarters of Burglary" not in page


def test_the_history_page_shows_every_quarter_a_page_at_a_time(client, measure):
    approved_history(measure, HISTORY_PAGE_SIZE + 5)
    first = client.get(history_url(measure))
    page = first.content.decode()
    assert first.status_code == 200
    assert "<h1" in page and "All quarters of Burglary" in page
    assert "Approved updates, newest first: 1 to 20 of 25" in page
    assert "Commentary of Q1 2006/07." in page  # the newest
    assert "Commentary of Q2 2001/02." in page  # the 20th newest
    assert "Commentary of Q1 2001/02." not in page
    assert 'class="govuk-pagination"' in page and 'href="?page=2"' in page
    # Breadcrumbs lead back up to the priority.
    assert f'href="{measure.priority.get_absolute_url()}">Safer streets</a>' in page

    second = client.get(history_url(measure, 2)).content.decode()
    assert "Approved updates, newest first: 21 to 25 of 25" in second
    assert "Commentary of Q1 2001/02." in second
    assert "Commentary of Q1 2000/01." in second
    assert "Commentary of Q1 2006/07." not in second
    assert client.get(history_url(measure, 3)).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff", "approver"])
def test_every_reader_sees_only_approved_updates_on_the_history_page(client_for, role, measure):
    first, second = quarters(2)
    make_update(measure, first, status="approved", commentary="Approved words.")
    make_update(measure, second, status="draft", commentary="Draft words.")
    response = client_for(role).get(history_url(measure))
    assert response.status_code == 200
    assert "Approved words." in response.content.decode()
    assert "Draft words." not in response.content.decode()


@pytest.mark.parametrize(
    "role, status", [("anonymous", 404), ("panel member", 404), ("staff", 200), ("approver", 200)]
)
def test_a_draft_plans_history_pages_are_for_staff_only(client_for, role, status):
    plan = make_plan(slug="draft-plan", status="draft")
    measure = make_measure(make_priority(plan))
    assert client_for(role).get(history_url(measure)).status_code == status


def test_no_history_page_for_a_measure_its_priority_does_not_list(client, measure):
    other = make_measure(make_priority(measure.priority.plan))
    retired = make_measure(measure.priority, active=False)
    priority = measure.priority
    elsewhere = reverse(
        "plan:measure_history",
        kwargs={"plan": priority.plan.slug, "priority": priority.slug, "measure": other.pk},
    )
    assert client.get(elsewhere).status_code == 404
    assert client.get(history_url(retired)).status_code == 404
    assert client.get(history_url(measure, "not-a-number")).status_code == 404


SCRIPT = 'Fine. <script>alert("x")</script> [click](javascript:alert(1)) **well**'


def test_a_script_in_the_commentary_never_reaches_a_page(client, measure):
    update = make_update(measure, make_period(2021, 1), status="approved", commentary=SCRIPT)
    assert "<script" not in update.commentary_html
    assert "javascript:" not in update.commentary_html
    assert "<strong>well</strong>" in update.commentary_html
    for url in (measure.priority.get_absolute_url(), history_url(measure)):
        page = client.get(url).content.decode()
        assert "<strong>well</strong>" in page, url
        assert '<script>alert("x")' not in page, url
        assert "&lt;script&gt;" in page, url  # typed HTML is shown as text
        assert "javascript:alert" not in page, url


def test_the_html_follows_the_commentary_on_every_save(measure):
    update = make_update(measure, make_period(2021, 1), commentary="First")
    assert "First" in update.commentary_html
    update.commentary = "**Second**"
    update.save(update_fields=["commentary"])
    update.refresh_from_db()
    assert "<strong>Second</strong>" in update.commentary_html
    update.commentary = ""
    update.save()
    update.refresh_from_db()
    assert update.commentary_html == ""


def test_the_html_is_not_part_of_the_updates_history(measure):
    update = make_update(measure, make_period(2021, 1), commentary="Words")
    fields = {f.name for f in update.history.model._meta.get_fields()}
    assert "commentary" in fields
    assert "commentary_html" not in fields


def test_the_migration_fills_the_html_of_updates_saved_before_it(measure):
    saved = [
        make_update(measure, period, commentary=f"**Quarter {n}**")
        for n, period in enumerate(quarters(3))
    ]
    MeasureUpdate.objects.update(commentary_html="")  # as they were before the migration
    migration = importlib.import_module("plan.migrations.0008_measureupdate_commentary_html")
    migration.commentary_html_fill(apps, None)
    for n, update in enumerate(saved):
        update.refresh_from_db()
        assert update.commentary_html.startswith('<p class="govuk-body"><strong>Quarter')
        assert f"Quarter {n}" in update.commentary_html


# --- The pages do not grow with the quarters -------------------------------------------------

LONG_COMMENTARY = (
    "Burglary **fell** against the same quarter last year.\n\n"
    "- Two operations in the north division\n- A new service for victims\n\n"
    "The [force's report](https://example.org/report) gives the figures by area. "
) * 3


def add_quarters(measures, start: int, count: int) -> None:
    """An approved update of each measure in each of `count` quarters from the `start`th."""
    updates = [
        MeasureUpdate(
            measure=measure, period=period, rag="amber", direction="stable",
            status="approved", commentary=LONG_COMMENTARY,
        )
        for period in quarters(start + count)[start:]
        for measure in measures
    ]  # fmt: skip
    for update in updates:  # a bulk write does not save, so makes no HTML of its own
        update.commentary_render()
    MeasureUpdate.objects.bulk_create(updates)


def timed(client, url) -> tuple[float, int]:
    """The median time of a few requests for `url`, and the queries one of them runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds = median_seconds(client, url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return seconds, len(queries)


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_the_priority_and_history_pages_take_as_long_with_ten_times_the_quarters(
    client_for, role, measure
):
    client = client_for(role)
    measures = [measure, make_measure(measure.priority), make_measure(measure.priority)]
    add_quarters(measures, 0, 8)
    pages = [measure.priority.get_absolute_url(), history_url(measure)]
    before = {url: timed(client, url) for url in pages}

    add_quarters(measures, 8, 72)  # ten times the quarters
    after = {url: timed(client, url) for url in pages}
    for url in pages:
        (time_before, queries_before), (time_after, queries_after) = before[url], after[url]
        print(f"{url}: {time_before * 1000:.0f} ms, then {time_after * 1000:.0f} ms")
        assert queries_after == queries_before, url
        # Generous, so a busy machine does not fail it: rendering every quarter took ten times
        # as long.
        assert time_after <= 3 * time_before, (url, time_before, time_after)


def test_an_update_loaded_from_a_fixture_gets_its_html(measure):
    from django.core import serializers

    update = make_update(measure, make_period(2021, 1), commentary="Old")
    data = serializers.serialize("json", [update]).replace('"Old"', '"**Loaded**"')
    MeasureUpdate.objects.filter(pk=update.pk).update(commentary_html="")
    for item in serializers.deserialize("json", data):
        item.save()  # a raw save, as loaddata and the demo command make
    update.refresh_from_db()
    assert "<strong>Loaded</strong>" in update.commentary_html
