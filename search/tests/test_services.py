"""The search service: the same cases on SQLite (FTS5) and PostgreSQL (tsvector)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from search.services import PER_PAGE, search_query, snippet_html
from search.tests.helpers import make_entry

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def titles(page) -> list[str]:
    return [result.title for result in page.results]


def test_a_word_finds_its_other_forms():
    make_entry(title="Policing plan", body="How the county is policed.")
    make_entry(title="Roads", body="Nothing about it here.")
    assert titles(search_query(ANONYMOUS, "police")) == ["Policing plan"]
    assert titles(search_query(ANONYMOUS, "policing")) == ["Policing plan"]


def test_an_exact_phrase_finds_only_those_words_together():
    make_entry(title="Together", body="Work on knife crime in Burnley.")
    make_entry(title="Apart", body="A knife was found; crime fell.")
    assert titles(search_query(ANONYMOUS, '"knife crime"')) == ["Together"]
    assert sorted(titles(search_query(ANONYMOUS, "knife crime"))) == ["Apart", "Together"]


def test_a_trailing_star_finds_words_that_begin_so():
    make_entry(title="Burnley", body="Safer streets in Burnley.")
    make_entry(title="Blackburn", body="Safer streets in Blackburn.")
    assert titles(search_query(ANONYMOUS, "burnl*")) == ["Burnley"]
    assert titles(search_query(ANONYMOUS, "burnl")) == []


def test_a_title_match_ranks_above_a_body_match():
    make_entry(title="Annual report", body="The panel heard about burglary in Preston today.")
    make_entry(title="Burglary", body="The panel heard about crime in Preston today.")
    assert titles(search_query(ANONYMOUS, "burglary")) == ["Burglary", "Annual report"]


def test_the_snippet_marks_the_word_and_escapes_the_rest():
    make_entry(title="Escaping", body="Costs <script>alert(1)</script> & the burglary figures.")
    (result,) = search_query(ANONYMOUS, "burglary").results
    assert "<mark>burglary</mark>" in result.snippet
    assert "<script>" not in result.snippet
    assert "&amp;" in result.snippet


def test_the_snippet_escapes_whatever_the_database_gives_back():
    assert snippet_html("<b>5 < 6</b> \x02burglary\x03") == (
        "&lt;b&gt;5 &lt; 6&lt;/b&gt; <mark>burglary</mark>"
    )


def test_exempt_entries_are_found_only_by_those_who_may_see_exempt_items(make_user):
    make_entry(title="Open burglary", audience="public", kind="decision")
    make_entry(title="Closed burglary", audience="exempt", kind="decision")
    public = search_query(ANONYMOUS, "burglary")
    assert titles(public) == ["Open burglary"]
    assert public.total == 1
    assert [(f.value, f.count) for f in public.kinds] == [("decision", 1)]
    for role in ("panel member", "staff"):
        members = search_query(make_user(role), "burglary")
        assert sorted(titles(members)) == ["Closed burglary", "Open burglary"]
        assert members.total == 2


def test_counts_by_kind_and_year_and_the_filters():
    make_entry(kind="paper", title="Burglary paper", date=datetime.date(2021, 5, 1))
    make_entry(kind="paper", title="Burglary paper two", date=datetime.date(2022, 5, 1))
    make_entry(
        kind="award", title="Burglary award", date=datetime.date(2022, 6, 1),
        priority_ids=(3, 7), area_ids=(12,),
    )  # fmt: skip
    everything = search_query(ANONYMOUS, "burglary")
    assert everything.total == 3
    assert {f.value: f.count for f in everything.kinds} == {"paper": 2, "award": 1}
    assert [(f.value, f.count) for f in everything.years] == [("2022", 2), ("2021", 1)]
    papers = search_query(ANONYMOUS, "burglary", kind="paper")
    assert papers.total == 2
    # The kinds' counts stay those of every kind, to choose another.
    assert {f.value: f.count for f in papers.kinds} == {"paper": 2, "award": 1}
    assert [(f.value, f.count) for f in papers.years] == [("2022", 1), ("2021", 1)]
    assert titles(search_query(ANONYMOUS, "burglary", year=2021)) == ["Burglary paper"]
    assert titles(search_query(ANONYMOUS, "burglary", priority=7)) == ["Burglary award"]
    assert titles(search_query(ANONYMOUS, "burglary", priority=3, area=12)) == ["Burglary award"]
    assert titles(search_query(ANONYMOUS, "burglary", area=1)) == []


def test_an_unknown_kind_is_ignored():
    make_entry(kind="paper", title="Burglary")
    assert search_query(ANONYMOUS, "burglary", kind="nonsense").total == 1


def test_results_come_twenty_a_page_and_a_page_past_the_last_gives_the_last():
    for n in range(PER_PAGE + 5):
        make_entry(title=f"Burglary {n}")
    first = search_query(ANONYMOUS, "burglary")
    assert (first.total, len(first.results), first.page_obj.has_next()) == (25, 20, True)
    last = search_query(ANONYMOUS, "burglary", page=99)
    assert (last.page_obj.number, len(last.results)) == (2, 5)
    assert not set(titles(first)) & set(titles(last))


def test_newest_first_when_asked():
    make_entry(title="Old burglary", date=datetime.date(2019, 1, 1))
    make_entry(title="Burglary burglary new", date=datetime.date(2023, 1, 1))
    make_entry(title="Undated burglary")
    assert titles(search_query(ANONYMOUS, "burglary", newest=True))[:2] == [
        "Burglary burglary new",
        "Old burglary",
    ]


@pytest.mark.parametrize(
    "odd", ['"', "*", "NEAR(", "AND", "OR NOT", '"unclosed', "a" * 5000, "ünïcödé 漢字", "\x00x"]
)
def test_odd_input_never_fails(odd):
    make_entry(title="AND OR NOT near", body="ünïcödé 漢字")
    page = search_query(ANONYMOUS, odd)
    assert page.total == len(page.results)


def test_a_search_runs_the_same_queries_over_ten_times_the_entries(
    django_assert_num_queries, make_user
):
    def entries(count):
        for n in range(count):
            make_entry(
                title=f"Burglary {n}", body="Burglary in Preston", date=datetime.date(2021, 1, 1)
            )
            make_entry(title=f"Exempt {n}", body="Burglary", audience="exempt", kind="decision")

    user = make_user("panel member")
    user.has_perm("a.b")  # its permissions read once, as any page does
    entries(3)
    with django_assert_num_queries(3):
        search_query(user, "burglary preston", year=2021)
    entries(30)
    with django_assert_num_queries(3):
        page = search_query(user, "burglary", page=2)
    assert page.total == 66
