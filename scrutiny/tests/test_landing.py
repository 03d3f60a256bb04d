"""Scrutiny's landing page, /scrutiny/: its parts at a glance, as each role sees them."""

import datetime

from django.utils import timezone

from scrutiny.tests.factories import (
    at,
    make_action,
    make_meeting,
    make_panel_meeting,
    make_task_group,
)
from tests.helpers import soup, text


def landing(client):
    response = client.get("/scrutiny/")
    assert response.status_code == 200
    return soup(response)


def test_the_landing_page_shows_what_the_reader_may_see_with_counts_and_links(client_for, db):
    published = make_meeting(title="Published meeting", starts_at=at("2021-09-21"))
    make_meeting(title="Unpublished meeting", published=False, starts_at=at("2021-12-01"))
    for n in range(4):
        make_meeting(title=f"Older meeting {n}", starts_at=at(f"2020-0{n + 1}-10"))
    make_action(
        published, description="Publish the response times", due_date=datetime.date(2021, 12, 1)
    )
    make_action(published, description="Closed action", status="done")
    make_panel_meeting("2021-10-12")
    make_panel_meeting("2021-06-01", published=False)
    make_task_group(title="Neighbourhood policing")
    make_task_group(title="Draft group", published=False)

    page = landing(client_for("anonymous"))
    main = text(page.main)
    assert page.h1.text == "Scrutiny"
    assert "Published meeting" in main and "Unpublished meeting" not in main
    assert "The 3 newest of 5 meetings" in main and "Older meeting 0" not in main
    assert "1 of 2 actions still open, 1 of them overdue" in main
    assert "Publish the response times" in main and "Closed action" not in main
    assert "The 1 latest of 1 panel meeting" in main and "12 October 2021" in main
    assert "Neighbourhood policing" in main and "Draft group" not in main
    links = {a.text.strip(): a["href"] for a in page.main.find_all("a")}
    assert links["See all 5 scrutiny meetings"] == "/scrutiny/meetings/"
    assert links["See all 1 open action"] == "/scrutiny/actions/?status=still_open"
    assert links["See the 1 overdue action"] == "/scrutiny/actions/?overdue=on"
    assert links["See all 1 panel meeting"] == "/scrutiny/panel/"
    assert links["See all 1 task group"] == "/scrutiny/task-groups/"

    staff = text(landing(client_for("staff")).main)
    assert "Unpublished meeting" in staff and "Not published" in staff
    assert "The 3 newest of 6 meetings" in staff and "Draft group" in staff
    assert "The 2 latest of 2 panel meetings" in staff


def test_the_landing_page_names_the_next_panel_meeting(client, db):
    next_year = timezone.localdate().year + 1
    make_panel_meeting(f"{next_year}-09-01")
    make_panel_meeting(f"{next_year}-06-01")
    page = landing(client)
    inset = page.main.find(class_="govuk-inset-text")
    assert text(inset).startswith(f"Next meeting: 1 June {next_year}")
    assert inset.a["href"] == f"/scrutiny/panel/{next_year}-06-01/"


def test_an_empty_landing_page_says_so_in_words(client_for, db):
    main = text(landing(client_for("anonymous")).main)
    for empty in (
        "No scrutiny meetings have been published yet.",
        "No actions have been published yet.",
        "No panel meetings have been published yet.",
        "No task groups have been published yet.",
    ):
        assert empty in main
    assert "No scrutiny meetings have been recorded yet." in text(landing(client_for("staff")).main)


def test_the_header_s_scrutiny_link_leads_to_the_landing_page(client, db):
    page = landing(client)
    nav = page.find("nav", attrs={"aria-label": "Menu"})
    link = next(a for a in nav.find_all("a") if text(a) == "Scrutiny")
    assert link["href"] == "/scrutiny/" and link["aria-current"] == "true"
