"""Open-data downloads: safe to open in a spreadsheet, and whole or visibly failed."""

import csv
import io
import json

import pytest
from django.db import DatabaseError, connection

from funding import exports
from funding.tests.factories import make_award, make_fund
from tests.helpers import soup, text


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(
    "title",
    [
        "=1+1",
        "+1+1",
        "-2+3",
        "@SUM(1,1)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "\t-1",
        '＝HYPERLINK("http://evil.example")',  # full-width equals sign
        "＋1+1",
        "－1+1",
        "＠SUM(1,1)",
    ],
)
def test_csv_neutralises_every_cell_a_spreadsheet_would_run(client, db, title):
    make_award(make_fund(), title=title)
    rows = csv_rows(client.get("/funding/awards.csv"))
    assert rows[1][1] == "'" + title


@pytest.mark.parametrize("value", ["-12.50", "-3", "12.50", "0", "Blackpool", "", "1 - 2"])
def test_csv_keeps_plain_numbers_and_text_as_they_are(value):
    assert exports.csv_cell(value) == value


def test_csv_download_says_its_length_and_is_whole(client, db):
    fund = make_fund()
    for n in range(3):
        make_award(fund, title=f"Award {n}")
    response = client.get("/funding/awards.csv")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(body)
    assert response["Content-Disposition"] == 'attachment; filename="awards.csv"'
    assert len(body.decode().splitlines()) == 4


def fail_on(table: str, *, occurrence: int):
    """A query wrapper that raises DatabaseError on the nth query reading `table`."""
    seen = {"count": 0}

    def wrapper(execute, sql, params, many, context):
        if f'"{table}"' in sql:
            seen["count"] += 1
            if seen["count"] == occurrence:
                raise DatabaseError("the database went away")
        return execute(sql, params, many, context)

    return wrapper


def assert_visibly_failed(response):
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Content-Disposition" not in response
    page = text(soup(response))
    assert "Sorry, the download is not available" in page
    assert "Try again in a few minutes" in page


def test_csv_is_a_503_page_not_a_cut_short_file_when_the_database_fails_midway(
    client, db, monkeypatch
):
    fund = make_fund()
    for n in range(5):
        make_award(fund, title=f"Award {n}")
    monkeypatch.setattr(exports, "CSV_CHUNK_ROWS", 2)
    # The areas of the second chunk of rows: two rows are written before the failure.
    with connection.execute_wrapper(fail_on("funding_award_areas", occurrence=2)):
        response = client.get("/funding/awards.csv")
    assert_visibly_failed(response)


def test_360giving_is_a_503_page_when_the_database_fails_midway(client, db):
    fund = make_fund()
    for n in range(3):
        make_award(fund, title=f"Grant {n}")
    assert len(json.loads(client.get("/funding/360giving.json").content)["grants"]) == 3
    with connection.execute_wrapper(fail_on("funding_award_areas", occurrence=1)):
        response = client.get("/funding/360giving.json")
    assert_visibly_failed(response)


def test_360giving_and_csv_ids_are_the_awards_grant_identifiers(client, db, settings):
    fund = make_fund()
    plain = make_award(fund, title="Plain")
    named = make_award(fund, title="Named", identifier="360G-other-0042")
    grants = json.loads(client.get("/funding/360giving.json").content)["grants"]
    assert sorted(grant["id"] for grant in grants) == sorted(
        [f"{settings.THREESIXTYGIVING_PREFIX}-{plain.pk}", "360G-other-0042"]
    )
    response = client.get("/funding/awards.csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row["id"] for row in rows} == {plain.grant_identifier, named.grant_identifier}
