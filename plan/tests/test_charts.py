"""A measure's trend chart: the SVG for typical and awkward histories, its text alternative,
and the chart with its table on the priority page and in papers (HTML and PDF), drawn from
approved updates only, in a fixed number of queries."""

import os
import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from plan.charts import measure_chart
from plan.models import ReportingPeriod
from plan.selectors import measures_chart_history
from plan.tests.factories import make_measure, make_period, make_plan, make_priority, make_update


def quarters(count, start=(2021, 1)):
    year, quarter = start
    periods = []
    for _ in range(count):
        periods.append(ReportingPeriod(financial_year=year, quarter=quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return periods


def history(values, ratings=None, start=(2021, 1)):
    """Unsaved updates, as a chart is given them: a value (or None) and a rating a quarter."""
    ratings = ratings or ["green"] * len(values)
    return [
        SimpleNamespace(period=p, value=None if v is None else Decimal(v), rag=r)
        for p, v, r in zip(quarters(len(values), start), values, ratings, strict=True)
    ]


def measure(unit="%", target=None, label="Victims satisfied"):
    return SimpleNamespace(
        unit=unit, short_label=label, target_value=None if target is None else Decimal(target)
    )


def svg(chart) -> BeautifulSoup:
    return BeautifulSoup(str(chart.svg), "html.parser").svg


def markers(drawing) -> list:
    """The rating marks, those on the line or axis first, then the legend's."""
    return drawing.find_all(["circle", "polygon", "rect"])


# --- The SVG ------------------------------------------------------------------------------


def test_six_quarters_with_a_target_draw_a_line_six_marks_and_a_dashed_target():
    values = ["12", "13", "11.5", "14", "16", "15"]
    ratings = ["red", "amber", "red", "amber", "amber", "amber"]
    chart = measure_chart(measure(target="10"), history(values, ratings), id_prefix="c")
    drawing = svg(chart)
    assert drawing["role"] == "img"
    assert drawing["viewbox"].startswith("0 0 ")
    assert drawing["width"] == "100%"
    # One line through six points; the target dashed, labelled with its value and unit.
    (line,) = drawing.find_all("polyline")
    assert len(line["points"].split()) == 6
    dashed = [el for el in drawing.find_all("line") if el.get("stroke-dasharray")]
    assert dashed, "the target is a dashed line"
    assert drawing.find("text", string="Target 10%") is not None
    # Each point has its rating's shape and letter; the legend says the words.
    texts = [t.get_text() for t in drawing.find_all("text")]
    assert texts.count("R") == 2 and texts.count("A") == 4
    assert {"Red", "Amber"} <= set(texts) and "Green" not in texts
    assert "Value (%)" in texts and "10%" in texts  # the axis says the unit
    assert [t for t in texts if re.fullmatch(r"Q\d", t)] == ["Q1", "Q2", "Q3", "Q4", "Q1", "Q2"]


def test_the_text_alternative_says_the_trend_in_words():
    values = ["12", "13", "11.5", "14", "16", "15"]
    ratings = ["red", "amber", "red", "amber", "amber", "amber"]
    chart = measure_chart(measure(target="10"), history(values, ratings), id_prefix="m7")
    assert chart.summary == (
        "Value over 6 quarters, from 12% in Q1 2021/22 to 15% in Q2 2022/23; "
        "lowest 11.5% in Q3 2021/22, highest 16% in Q1 2022/23; target 10%; "
        "latest rating Amber."
    )
    drawing = svg(chart)
    assert drawing["aria-labelledby"] == "m7-title"
    assert drawing["aria-describedby"] == "m7-desc"
    assert drawing.find("title", id="m7-title").get_text() == (
        f"Trend of Victims satisfied. {chart.summary}"
    )
    assert (
        drawing.find("desc", id="m7-desc")
        .get_text()
        .startswith("Q1 2021/22: 12%, Red; Q2 2021/22: 13%, Amber;")
    )
    assert [(r.quarter, r.value, r.rating) for r in chart.rows][:2] == [
        ("Q1 2021/22", "12%", "Red"),
        ("Q2 2021/22", "13%", "Amber"),
    ]
    assert chart.value_heading == "Value (%)"


def test_a_hostile_unit_and_label_are_text_never_markup():
    hostile = '<script>alert(1)</script>"><b onmouseover="x">'
    chart = measure_chart(
        measure(unit=hostile, target="5", label=f"Label {hostile}"),
        history(["3", "4"]),
        id_prefix="c",
    )
    markup = str(chart.svg)
    assert "<script" not in markup and "<b " not in markup
    assert "&lt;script&gt;" in markup
    drawing = svg(chart)
    assert drawing.find(["script", "b"]) is None
    assert f"Value ({hostile})" in [t.get_text() for t in drawing.find_all("text")]
    assert hostile in drawing.title.get_text()


def test_an_update_sorted_out_of_order_is_drawn_in_quarter_order():
    updates = history(["1", "2", "3"])
    chart = measure_chart(measure(), list(reversed(updates)), id_prefix="c")
    assert [r.quarter for r in chart.rows] == ["Q1 2021/22", "Q2 2021/22", "Q3 2021/22"]


def test_one_point_stands_in_the_middle_with_round_figures_either_side():
    chart = measure_chart(measure(unit="offences"), history(["1250"]), id_prefix="c")
    drawing = svg(chart)
    assert drawing.find("polyline") is None
    assert drawing.find("circle")["cx"] == "180"  # the middle of the plot
    assert chart.summary == "Value 1,250 offences in Q1 2021/22; latest rating Green."
    ticks = [t.get_text() for t in drawing.find_all("text", attrs={"text-anchor": "end"})]
    assert ticks == ["1,100", "1,200", "1,300", "1,400"]


def test_equal_values_still_get_an_axis_and_a_flat_line():
    chart = measure_chart(measure(), history(["7", "7", "7"]), id_prefix="c")
    drawing = svg(chart)
    ys = {point.split(",")[1] for point in drawing.find("polyline")["points"].split()}
    assert len(ys) == 1
    assert "lowest" not in chart.summary
    ticks = [t.get_text() for t in drawing.find_all("text", attrs={"text-anchor": "end"})]
    assert ticks == ["6%", "6.5%", "7%", "7.5%", "8%"]


def test_zero_alone_gets_an_axis_around_it():
    chart = measure_chart(measure(unit=""), history(["0", "0"]), id_prefix="c")
    ticks = [t.get_text() for t in svg(chart).find_all("text", attrs={"text-anchor": "end"})]
    assert "0" in ticks and ticks[0].startswith("-")


def test_negative_values_are_plotted_below_a_zero_line():
    chart = measure_chart(measure(unit=""), history(["-20", "5", "-3"]), id_prefix="c")
    drawing = svg(chart)
    ticks = [t.get_text() for t in drawing.find_all("text", attrs={"text-anchor": "end"})]
    assert ticks[0] == "-20" and "0" in ticks
    points = [tuple(map(float, p.split(","))) for p in drawing.find("polyline")["points"].split()]
    assert points[0][1] > points[1][1] < points[2][1]  # lower on the page is a smaller value
    assert "from -20 in Q1 2021/22 to -3 in Q3 2021/22" in chart.summary


def test_a_missing_quarter_leaves_a_gap_in_the_line():
    updates = history(["5", "6", "8", "9"])
    del updates[2]  # no update for Q3
    drawing = svg(measure_chart(measure(), updates, id_prefix="c"))
    lines = drawing.find_all("polyline")
    assert [len(line["points"].split()) for line in lines] == [2]  # Q1-Q2 joined; Q4 alone


def test_a_quarter_rated_without_a_value_shows_its_rating_on_the_axis():
    chart = measure_chart(
        measure(), history(["5", None, "6"], ["green", "red", "amber"]), id_prefix="c"
    )
    assert [r.value for r in chart.rows] == ["5%", "", "6%"]
    assert "R" in [t.get_text() for t in svg(chart).find_all("text")]
    assert chart.summary.startswith("Value over 2 quarters, from 5% in Q1 2021/22 to 6%")


def test_ratings_only_are_shown_along_the_axis():
    chart = measure_chart(
        measure(target="10"), history([None] * 3, ["green", "amber", "red"]), id_prefix="c"
    )
    drawing = svg(chart)
    assert drawing.find("polyline") is None
    assert not [el for el in drawing.find_all("line") if el.get("stroke-dasharray")]
    texts = [t.get_text() for t in drawing.find_all("text")]
    assert {"G", "A", "R", "Green", "Amber", "Red", "Rating"} <= set(texts)
    assert chart.summary == (
        "Ratings over 3 quarters, from Green in Q1 2021/22 to Red in Q3 2021/22; no values given."
    )


@pytest.mark.parametrize(
    "updates",
    [[], history([None, None], ["not_rated", "not_rated"])],
    ids=["no updates", "neither values nor ratings"],
)
def test_no_chart_when_there_is_nothing_to_draw(updates):
    assert measure_chart(measure(), updates, id_prefix="c") is None


def test_each_rating_has_its_own_shape_so_colour_is_never_the_only_cue():
    chart = measure_chart(
        measure(),
        history(["1", "2", "3", "4"], ["green", "amber", "red", "not_rated"]),
        id_prefix="c",
    )
    drawing = svg(chart)
    shapes = [(m.name, len(m.get("points", "").split())) for m in markers(drawing)][:4]
    assert shapes == [("circle", 0), ("polygon", 3), ("rect", 0), ("polygon", 4)]
    assert [r.rating for r in chart.rows] == ["Green", "Amber", "Red", "Not rated"]


# --- The selector -------------------------------------------------------------------------


@pytest.fixture
def measures(db):
    plan = make_plan(start_year=2019, end_year=2025)
    priority = make_priority(plan)
    return [make_measure(priority, unit="%") for _ in range(3)]


def add_quarters(measure, count, *, status="approved", start=(2019, 1), value=None):
    for i, period in enumerate(quarters(count, start)):
        period = make_period(period.financial_year, period.quarter)
        make_update(measure, period, status=status, value=value if value is not None else i + 1)


def test_the_history_is_the_last_eight_approved_quarters_in_one_query(
    measures, django_assert_num_queries
):
    first, second, third = measures
    add_quarters(first, 12)  # Q1 2019/20 .. Q4 2021/22
    add_quarters(second, 3)
    make_update(second, make_period(2019, 4), status="submitted", value=Decimal("99"))
    make_update(third, make_period(2020, 1), status="draft", value=Decimal("98"))
    with django_assert_num_queries(1):
        got = measures_chart_history([m.pk for m in measures])
    assert got[first.pk][0].period.short_label == "Q1 2020/21"
    assert [u.value for u in got[first.pk]] == list(range(5, 13))
    assert [u.value for u in got[second.pk]] == [1, 2, 3]
    assert third.pk not in got


def test_the_history_stops_at_the_quarter_asked(measures):
    first = measures[0]
    add_quarters(first, 12)
    got = measures_chart_history([first.pk], up_to=make_period(2020, 2))
    assert [u.period.short_label for u in got[first.pk]] == [
        "Q1 2019/20", "Q2 2019/20", "Q3 2019/20", "Q4 2019/20", "Q1 2020/21", "Q2 2020/21",
    ]  # fmt: skip


# --- The priority page --------------------------------------------------------------------


def test_the_priority_page_shows_each_chart_and_its_table_from_approved_updates_only(
    client_for, db
):
    plan = make_plan(start_year=2021, end_year=2025)
    priority = make_priority(plan)
    rated = make_measure(priority, unit="%", short_label="Victims satisfied", target_value=80)
    unrated = make_measure(priority, short_label="Nothing yet")
    for (year, quarter), value, rag in [((2021, 1), "71.5", "amber"), ((2021, 2), "83", "green")]:
        make_update(rated, make_period(year, quarter), status="approved", value=Decimal(value),
                    rag=rag)  # fmt: skip
    make_update(rated, make_period(2021, 3), status="submitted", value=Decimal("12345.67"))
    make_update(unrated, make_period(2021, 2), status="draft", value=Decimal("7654.32"))
    for role in ("anonymous", "staff"):
        response = client_for(role).get(priority.get_absolute_url())
        page = BeautifulSoup(response.content, "html.parser")
        charts = page.select("svg.portal-chart")
        assert len(charts) == 1, role
        assert (
            charts[0]
            .title.get_text()
            .startswith(
                "Trend of Victims satisfied. Value over 2 quarters, "
                "from 71.5% in Q1 2021/22 to 83% in Q2 2021/22"
            )
        )
        details = page.find("span", string="Figures for Victims satisfied as a table")
        table = details.find_parent("details").table
        assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
            "Quarter", "Value (%)", "Rating",
        ]  # fmt: skip
        assert [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
                for tr in table.tbody.find_all("tr")] == [
            ["Q1 2021/22", "71.5%", "Amber"], ["Q2 2021/22", "83%", "Green"],
        ]  # fmt: skip
        html = response.content.decode()
        assert "12,345.67" not in html and "12345.67" not in html
        assert "7,654.32" not in html and "7654.32" not in html


def grow(priority, measures: int, quarter_count: int, start=(2015, 1)):
    for _ in range(measures):
        m = make_measure(priority, unit="%", target_value=50)
        for i, period in enumerate(quarters(quarter_count, start)):
            period = make_period(period.financial_year, period.quarter)
            status = "approved" if i % 3 else "draft"
            make_update(m, period, status=status, value=Decimal(i * 3 % 17), rag="amber")


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_priority_page_runs_the_same_queries_with_ten_times_the_measures_and_quarters(
    client, db
):
    plan = make_plan(start_year=2015, end_year=2040)
    priority = make_priority(plan)
    grow(priority, 2, 3)
    before = count(client, priority.get_absolute_url())
    grow(priority, 18, 30)
    after = count(client, priority.get_absolute_url())
    page = BeautifulSoup(client.get(priority.get_absolute_url()).content, "html.parser")
    assert len(page.select("svg.portal-chart")) == 20
    print(f"priority page: {before} queries with 2 measures, {after} with 20")
    assert after == before


# --- Papers -------------------------------------------------------------------------------


@pytest.fixture
def paper(db, make_user):
    from reports.tests.factories import add_section, make_report

    plan = make_plan(start_year=2021, end_year=2025)
    priority = make_priority(plan, title="Tackling violence")
    m = make_measure(priority, unit="%", short_label="Repeat victims", target_value=Decimal("20"))
    figures = [((2021, 1), "24", "red"), ((2021, 2), "22.5", "amber"), ((2021, 3), "19", "green")]
    for (year, quarter), value, rag in figures:
        make_update(m, make_period(year, quarter), status="approved", value=Decimal(value),
                    rag=rag)  # fmt: skip
    # Later than the paper's quarter, and not approved: neither may appear.
    make_update(m, make_period(2021, 4), status="approved", value=Decimal("4444.44"))
    make_update(m, make_period(2022, 1), status="submitted", value=Decimal("5555.55"))
    report = make_report(title="Performance", period=make_period(2021, 3))
    add_section(report, kind="outcome_measures", heading="Outcome measures",
                params={"priorities": [priority.pk]})  # fmt: skip
    return report


def test_the_paper_shows_the_chart_and_its_figures_up_to_its_quarter(paper):
    from reports import rendering

    html = rendering.paper_fragment(rendering.paper_context(paper))
    page = BeautifulSoup(html, "html.parser")
    (chart,) = page.select("svg.portal-chart")
    assert "from 24% in Q1 2021/22 to 19% in Q3 2021/22; " in chart.title.get_text()
    assert "target 20%; latest rating Green." in chart.title.get_text()
    table = page.find("caption", string=re.compile("Figures for Repeat victims")).parent
    assert table.find_parent("details") is None  # printed papers show it
    assert [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
            for tr in table.tbody.find_all("tr")] == [
        ["Q1 2021/22", "24%", "Red"], ["Q2 2021/22", "22.5%", "Amber"],
        ["Q3 2021/22", "19%", "Green"],
    ]  # fmt: skip
    assert "4,444.44" not in html and "5,555.55" not in html


def structure(pdf: bytes) -> list[tuple[str, str]]:
    """The PDF's structure tree as (tag, alt text) pairs, in reading order."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S"):
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(PdfReader(BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_pdf_tags_the_chart_as_a_figure_with_its_words_and_the_figures_as_a_table(paper):
    from reports import rendering

    pdf = rendering.render_paper_pdf(paper)
    tags = structure(pdf)
    figures = [alt for tag, alt in tags if tag == "/Figure"]
    assert len(figures) == 1
    assert figures[0].startswith("Trend of Repeat victims. Value over 3 quarters, from 24%")
    assert "target 20%" in figures[0]
    assert sum(tag == "/Table" for tag, _ in tags) >= 2  # the quarter's table and the chart's
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert "Figures for Repeat victims" in text and "22.5%" in text
    assert "4,444.44" not in text and "5,555.55" not in text


def test_the_draft_paper_page_runs_the_same_queries_with_ten_times_the_measures(client_for, paper):
    from plan.models import Priority

    client = client_for("staff")
    url = paper.get_absolute_url()
    priority = Priority.objects.get(title="Tackling violence")
    before = count(client, url)
    grow(priority, 10, 30, start=(2010, 1))
    # The paper's quarter gets an approved update for each new measure.
    for m in priority.measures.exclude(short_label="Repeat victims"):
        make_update(m, make_period(2021, 3), status="approved", value=Decimal("10"))
    after = count(client, url)
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert len(page.select("svg.portal-chart")) == 11
    print(f"paper page: {before} queries with 1 measure, {after} with 11")
    assert after == before


def nu_checker() -> list[str] | None:
    """The Nu HTML checker's command, where this machine has it (`vnu`, or java with the jar
    named by VNU_JAR)."""
    if shutil.which("vnu"):
        return ["vnu"]
    jar = os.environ.get("VNU_JAR")
    if jar and shutil.which("java") and os.path.exists(jar):
        return ["java", "-jar", jar]
    return None


def nu_run(*files, timeout: int = 180) -> subprocess.CompletedProcess:
    """The Nu checker over these files, errors only; the caller asserts on what it says."""
    command = [*nu_checker(), "--errors-only", *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_priority_page_and_the_paper_are_valid_html(client, paper, tmp_path):
    from plan.models import Priority
    from reports import rendering

    priority = Priority.objects.get(title="Tackling violence")
    page = tmp_path / "priority.html"
    page.write_bytes(client.get(priority.get_absolute_url()).content)
    document = tmp_path / "paper.html"
    document.write_text(rendering.paper_document(rendering.paper_context(paper)))
    result = nu_run(str(page), str(document), timeout=120)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
