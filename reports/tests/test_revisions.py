"""What changed between two revisions of a paper: the comparison itself, and its pages."""

import pytest
from django.test import TestCase

from pcc_portal.services import record_save
from reports.models import Publication, Report
from reports.revisions import revisions_compare
from reports.services import report_publish
from reports.tests.factories import add_section, make_report
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import ROLES, soup, text


def paper(*parts: str) -> str:
    return (
        '<article class="paper"><h1 class="paper-title">A paper</h1>'
        + "".join(parts)
        + "</article>"
    )


def para(number: int, words: str) -> str:
    return f'<p id="p{number}"><span class="paper-para__number">{number}.</span> {words}</p>'


def funding(*rows: tuple[str, str]) -> str:
    body = "".join(
        f'<tr><td><span class="portal-table__label" aria-hidden="true">Funding</span>{name}</td>'
        f"<td>{amount}</td></tr>"
        for name, amount in rows
    )
    return (
        "<table><caption>Funding awarded in 2021/22</caption><thead><tr><th>Funding</th>"
        f"<th>Amount</th></tr></thead><tbody>{body}</tbody></table>"
    )


SUMMARY = '<h2 class="paper-heading">Executive summary</h2>'
CRIME = "Recorded crime fell by 4% in the quarter, with burglary the largest fall."


# -- The comparison itself ---------------------------------------------------------------


def test_the_same_revision_twice_shows_nothing():
    html = paper(SUMMARY, para(1, CRIME), funding(("Street pastors", "£1,000")))
    comparison = revisions_compare(html, html)
    assert comparison.unchanged
    assert comparison.summary == "No changes"


def test_an_added_paragraph_is_not_every_later_paragraph_renumbered():
    older = paper(SUMMARY, para(1, CRIME), para(2, "The panel is asked to note the report."))
    newer = paper(
        SUMMARY, para(1, "A new opening paragraph."), para(2, CRIME),
        para(3, "The panel is asked to note the report."),
    )  # fmt: skip
    comparison = revisions_compare(older, newer)
    [added] = comparison.changes
    assert added.change == "added"
    assert added.new.text == "A new opening paragraph."
    assert added.new.anchor == "p1" and added.block.label == "Paragraph 1"
    assert added.section == "Executive summary"
    assert comparison.summary == "1 paragraph added"


def test_a_removed_paragraph():
    older = paper(SUMMARY, para(1, CRIME), para(2, "A sentence dropped later."))
    comparison = revisions_compare(older, paper(SUMMARY, para(1, CRIME)))
    [removed] = comparison.changes
    assert (removed.change, removed.old.text, removed.new) == (
        "removed", "A sentence dropped later.", None,
    )  # fmt: skip


def test_a_changed_paragraph_marks_the_words_that_differ():
    newer_text = CRIME.replace("4%", "6%")
    comparison = revisions_compare(
        paper(SUMMARY, para(1, CRIME)), paper(SUMMARY, para(1, newer_text))
    )
    [changed] = comparison.changes
    assert changed.change == "changed"
    assert [(w.op, w.text) for w in changed.old_words if w.op != "same"] == [("del", "4%")]
    assert [(w.op, w.text) for w in changed.new_words if w.op != "same"] == [("ins", "6%")]
    assert comparison.summary == "1 paragraph changed"


def test_a_rewritten_paragraph_is_removed_and_added():
    comparison = revisions_compare(
        paper(SUMMARY, para(1, CRIME)),
        paper(SUMMARY, para(1, "Nothing at all alike remains here now.")),
    )
    assert [change.change for change in comparison.changes] == ["removed", "added"]


def test_headings_and_list_items_are_compared_and_group_the_changes():
    older = paper(SUMMARY, "<ul><li>Burglary</li><li>Robbery</li></ul>", "<h2>Finance</h2>")
    newer = paper(
        SUMMARY, "<ul><li>Burglary</li><li>Robbery</li><li>Fraud</li></ul>", "<h2>Funding</h2>"
    )
    comparison = revisions_compare(older, newer)
    assert [(c.change, c.block.label, c.block.text) for c in comparison.changes] == [
        ("added", "List item", "Fraud"), ("removed", "Heading", "Finance"),
        ("added", "Heading", "Funding"),
    ]  # fmt: skip
    assert [section for section, _ in comparison.by_section] == [
        "Executive summary", "Finance", "Funding",
    ]  # fmt: skip


def test_a_changed_figure_is_matched_by_table_row_and_column():
    older = paper(SUMMARY, funding(("Street pastors", "£1,000"), ("Youth club", "£500")))
    newer = paper(SUMMARY, funding(("Street pastors", "£1,200"), ("Victim support", "£300")))
    comparison = revisions_compare(older, newer)
    assert comparison.changes == []
    assert [(f.change, f.table, f.row, f.column, f.old, f.new) for f in comparison.figures] == [
        ("changed", "Funding awarded in 2021/22", "Street pastors", "Amount", "£1,000", "£1,200"),
        ("added", "Funding awarded in 2021/22", "Victim support", "", "", "Amount: £300"),
        ("removed", "Funding awarded in 2021/22", "Youth club", "", "Amount: £500", ""),
    ]
    assert comparison.summary == "1 figure changed, 1 table row added, 1 table row removed"


def test_a_table_without_a_caption_is_named_by_its_heading():
    table = "<table><thead><tr><th>Measure</th><th>Value</th></tr></thead><tbody>{}</tbody></table>"
    older = paper("<h2>Performance</h2>", table.format("<tr><td>Calls</td><td>10</td></tr>"))
    newer = paper("<h2>Performance</h2>", table.format("<tr><td>Calls</td><td>12</td></tr>"))
    [figure] = revisions_compare(older, newer).figures
    assert (figure.table, figure.row, figure.column) == ("Performance", "Calls", "Value")


# -- The pages ----------------------------------------------------------------------------


def revise(report: Report, *bodies: str) -> None:
    """Stores revisions of the paper as published HTML, one per body (no PDF is read)."""
    start = report.publications.count()
    for n, body in enumerate(bodies, start=start + 1):
        Publication.objects.create(
            report=report, revision=n, html=paper(SUMMARY, para(1, body)),
            pdf=f"reports/{report.pk}/revision-{n}.pdf", sha256="0" * 64, page_count=3,
            pdf_size=20480,
        )  # fmt: skip


@pytest.fixture
def papers(db):
    meeting = make_panel_meeting("2021-03-08")
    made = {}
    for name, status, exempt in [
        ("published", "published", False), ("exempt", "published", True),
        ("withdrawn", "withdrawn", False), ("draft", "draft", False),
    ]:  # fmt: skip
        made[name] = make_report(meeting, title=f"The {name} paper", status=status,
                                 is_exempt=exempt)  # fmt: skip
        if status != "draft":
            revise(made[name], CRIME, CRIME.replace("4%", "6%"))
    return made


SEES = {  # role -> the papers whose revisions it may see and compare
    "anonymous": {"published"},
    "panel member": {"published", "exempt"},
    "staff": {"published", "exempt", "withdrawn", "draft"},
    "approver": {"published", "exempt", "withdrawn", "draft"},
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_compare_revisions_is_who_may_see_the_paper(client_for, papers, role):
    client = client_for(role)
    for name, report in papers.items():
        expected = 200 if name in SEES[role] else 404
        for url in (f"/reports/{report.pk}/revisions/", f"/reports/{report.pk}/changes/"):
            assert client.get(url).status_code == expected, (role, name, url)
        if name in SEES[role] and name != "draft":
            page = soup(client.get(f"/reports/{report.pk}/changes/"))
            assert "Revision 1" in text(page.main) and "6%" in text(page.main.find("ins"))


def test_the_paper_page_links_what_changed_and_all_revisions(client, papers):
    report = papers["published"]
    page = soup(client.get(report.get_absolute_url()))
    links = {text(a): a["href"] for a in page.main.find_all("a")}
    assert links["What changed since revision 1"] == f"/reports/{report.pk}/changes/?from=1&to=2"
    assert links["All revisions of The published paper"] == f"/reports/{report.pk}/revisions/"


def test_a_paper_of_one_revision_has_nothing_to_compare(client, db):
    report = make_report(status="published")
    revise(report, CRIME)
    page = text(soup(client.get(report.get_absolute_url())).main)
    assert "What changed" not in page and "All revisions" in page
    for url in (f"/reports/{report.pk}/changes/", f"/reports/{report.pk}/revisions/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "This paper has one revision; there is nothing to compare yet." in text(
            soup(response).main
        )


def test_the_revisions_page_lists_each_revision_and_links_its_changes(client, papers):
    report = papers["published"]
    response = client.get(f"/reports/{report.pk}/revisions/")
    assert b"label-size=" not in response.content  # the form's layout options stay out
    page = soup(response)
    rows = [[text(cell) for cell in row.find_all(["th", "td"])]
            for row in page.main.find("table").tbody.find_all("tr")]  # fmt: skip
    assert [row[0] for row in rows] == ["Revision 2", "Revision 1"]
    assert rows[0][2:] == ["3", "20 KB", "What changed since revision 1"]
    assert rows[1][-1] == "First published"
    form = page.main.find("form")
    assert form["method"] == "get" and form["action"] == f"/reports/{report.pk}/changes/"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=abc&to=2", "Choose a revision of this paper from the list"),
        ("?from=1&to=9", "Choose a revision of this paper from the list"),
        ("?from=2&to=2", "Choose a different revision to compare with"),
        ("?to=2", "Choose the revision to compare from"),
        ("?from=1&to=" + "9" * 400, "Choose a revision of this paper from the list"),
    ],
)
def test_bad_parameters_are_named_in_the_error_summary(client, papers, query, message):
    report = papers["published"]
    response = client.get(f"/reports/{report.pk}/changes/{query}")
    assert response.status_code == 200
    page = soup(response)
    summary = page.find(class_="govuk-error-summary")
    assert message in text(summary)
    assert summary.find("a")["href"].startswith("#id_")
    assert page.title.string.startswith("Error:")
    assert page.main.find("ins") is None


def test_revisions_are_compared_in_either_order(client, papers):
    report = papers["published"]
    revise(report, "A third revision says something else entirely, nothing alike.")
    page = soup(client.get(f"/reports/{report.pk}/changes/?from=3&to=1"))
    assert "Revision 1 (" in text(page.main.h2) and "to revision 3" in text(page.main.h2)
    # Without parameters: the latest two.
    page = soup(client.get(f"/reports/{report.pk}/changes/"))
    assert "Revision 2 (" in text(page.main.h2) and "to revision 3" in text(page.main.h2)


@pytest.mark.parametrize("revisions", [2, 20])
def test_the_pages_run_a_fixed_number_of_queries(client, db, django_assert_num_queries,
                                                 revisions):  # fmt: skip
    report = make_report(status="published")
    revise(report, *[f"{CRIME} Revision {n}." for n in range(revisions)])
    with django_assert_num_queries(QUERIES["revisions"]):
        assert client.get(f"/reports/{report.pk}/revisions/").status_code == 200
    with django_assert_num_queries(QUERIES["changes"]):
        assert client.get(f"/reports/{report.pk}/changes/?from=1&to=2").status_code == 200
    print(f"revisions pages at {revisions} revisions: {QUERIES} queries")


# The session and the office's profile (the layout), the paper, its revisions (without their
# HTML), and the two compared.
QUERIES = {"revisions": 3, "changes": 4}


def test_a_paper_published_twice_shows_the_edited_paragraph(client, db, settings, tmp_path,
                                                            make_user):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    approver, staff = make_user("approver"), make_user("staff")
    report = make_report(make_panel_meeting("2021-06-14"), title="Performance report")
    add_section(report, heading="Burglary", body=f"{CRIME}\n\nThe second paragraph stays.")
    add_section(
        report, kind="funding_table", heading="Funding",
        params={"direction": "incoming"},
    )  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_publish(report=report, user=approver, render_pack=False)
    section = report.sections.get(heading="Burglary")
    section.body = f"{CRIME.replace('4%', '7%')}\n\nThe second paragraph stays."
    record_save(instance=section, user=staff, expected_version=section.version)
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_publish(report=report, user=approver, render_pack=False)
    page = soup(client.get(f"/reports/{report.pk}/changes/"))
    main = text(page.main)
    assert "1 paragraph changed." in main
    assert "Burglary" in [text(h) for h in page.main.find_all("h3")]
    assert text(page.main.find("del")) == "[removed: 4% ]"
    assert text(page.main.find("ins")) == "[added: 7% ]"
    assert "The second paragraph stays." not in main
