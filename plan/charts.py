"""A measure's history drawn as a small trend chart: inline SVG made on the server, so the web
page and the PDF papers show the same picture without any script.

Pure functions: they read only what they are given (updates with their quarter already
loaded) and never query. Every piece of text goes through format_html, so a measure's label or
unit can never become markup. Colour is never the only cue: each rating has its own shape and
its letter beside the point, and the chart's text alternative says the same in words.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from pcc_portal.numbers import format_number

# The drawing's own units; the SVG scales to the width it is given (see .portal-chart).
WIDTH = 320
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 50, 10, 34, 62  # margins around the plot
INSET = 12  # keeps the first and last points off the plot's edges
FONT = 13
RATINGS_ONLY_HEIGHT = 112
MAX_SLOTS = 12  # past this span of quarters, points stand side by side without gaps

TEXT = "#0b0c0c"  # GOV.UK text colour
SECONDARY = "#505a5f"  # GOV.UK secondary text
GRID = "#b1b4b6"  # GOV.UK mid-grey
LINE = "#1d70b8"  # GOV.UK blue

# rating -> (letter, word, fill): the shape is drawn by _marker.
RATINGS = {
    "green": ("G", "Green", "#00703c"),
    "amber": ("A", "Amber", "#f47738"),
    "red": ("R", "Red", "#d4351c"),
    "not_rated": ("N", "Not rated", "#ffffff"),
}


@dataclass(frozen=True)
class ChartRow:
    """One quarter of the chart, as its table shows it."""

    quarter: str  # Q1 2021/22
    value: str  # "12%", or "" when none was given
    rating: str  # Green, Amber, Red, Not rated


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    summary: str  # the text alternative, in words
    rows: list[ChartRow]  # oldest first, as drawn
    value_heading: str  # the table's value column: "Value (%)"


@dataclass(frozen=True)
class _Point:
    index: int  # financial year * 4 + quarter - 1: consecutive quarters differ by one
    quarter: int
    year_label: str
    label: str
    value: Decimal | None
    rag: str


def figure(value, unit: str) -> str:
    """A value with its unit as people write it: 12%, 1,250 offences."""
    if value is None:
        return ""
    joiner = "" if unit in ("", "%") else " "
    return f"{format_number(value)}{joiner}{unit}"


def measure_chart(measure, updates, *, id_prefix: str) -> Chart | None:
    """The trend chart of `measure` from its `updates` (each with `period` loaded), or None
    when there is nothing to draw: no update, or neither a value nor a rating in any.
    `id_prefix` makes the ids of the chart's title and description unique in the page."""
    points = sorted(
        (
            _Point(
                index=u.period.financial_year * 4 + u.period.quarter - 1,
                quarter=u.period.quarter,
                year_label=u.period.financial_year_label,
                label=u.period.short_label,
                value=u.value,
                rag=u.rag if u.rag in RATINGS else "not_rated",
            )
            for u in updates
        ),
        key=lambda p: p.index,
    )
    if not points:
        return None
    unit = measure.unit or ""
    has_values = any(p.value is not None for p in points)
    if not has_values and all(p.rag == "not_rated" for p in points):
        return None
    target = measure.target_value if has_values else None
    summary = _summary(points, unit, target)
    # WeasyPrint gives the PDF's Figure the <title> as its Alt text, so the title carries the
    # whole text alternative; the description lists the quarters one by one.
    title = f"Trend of {measure.short_label}. {summary}"
    details = "; ".join(
        f"{p.label}: {figure(p.value, unit) or 'no value'}, {RATINGS[p.rag][1]}" for p in points
    )
    if has_values:
        body, height = _value_chart(points, unit, target), HEIGHT
    else:
        body, height = _ratings_chart(points), RATINGS_ONLY_HEIGHT
    svg = format_html(
        '<svg class="portal-chart" role="img" focusable="false" '
        'aria-labelledby="{0}-title" aria-describedby="{0}-desc" '
        'viewBox="0 0 {1} {2}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'font-size="{3}" fill="{4}">'
        '<title id="{0}-title">{5}</title><desc id="{0}-desc">{6}</desc>{7}</svg>',
        id_prefix,
        WIDTH,
        height,
        FONT,
        TEXT,
        title,
        f"{details}.",
        body,
    )
    rows = [ChartRow(p.label, figure(p.value, unit), RATINGS[p.rag][1]) for p in points]
    value_heading = f"Value ({unit})" if unit else "Value"
    return Chart(svg=svg, summary=summary, rows=rows, value_heading=value_heading)


def _summary(points: list[_Point], unit: str, target) -> str:
    """Value over 6 quarters, from 12% in Q1 2021/22 to 15% in Q2 2022/23; target 10%;
    latest rating Amber."""
    valued = [p for p in points if p.value is not None]
    parts = []
    if len(valued) > 1:
        first, last = valued[0], valued[-1]
        parts.append(
            f"Value over {len(valued)} quarters, from {figure(first.value, unit)} in "
            f"{first.label} to {figure(last.value, unit)} in {last.label}"
        )
        low = min(valued, key=lambda p: p.value)
        high = max(valued, key=lambda p: p.value)
        if low.value != high.value:
            parts.append(
                f"lowest {figure(low.value, unit)} in {low.label}, "
                f"highest {figure(high.value, unit)} in {high.label}"
            )
    elif valued:
        parts.append(f"Value {figure(valued[0].value, unit)} in {valued[0].label}")
    else:
        first, last = points[0], points[-1]
        words = RATINGS[first.rag][1], RATINGS[last.rag][1]
        if len(points) > 1:
            parts.append(
                f"Ratings over {len(points)} quarters, from {words[0]} in {first.label} "
                f"to {words[1]} in {last.label}; no values given"
            )
        else:
            parts.append(f"Rated {words[0]} in {first.label}; no value given")
    if target is not None:
        parts.append(f"target {figure(target, unit)}")
    if valued:
        parts.append(f"latest rating {RATINGS[points[-1].rag][1]}")
    return "; ".join(parts) + "."


def _xs(points: list[_Point]) -> list[float]:
    """Each point's x: quarters keep their distance (a missing quarter leaves a gap) unless
    they span too many to read, when they stand side by side."""
    span = points[-1].index - points[0].index
    if span >= MAX_SLOTS:
        slots = list(range(len(points)))
        span = len(points) - 1
    else:
        slots = [p.index - points[0].index for p in points]
    left, right = LEFT + INSET, WIDTH - RIGHT - INSET
    if span == 0:
        return [(left + right) / 2 for _ in points]
    return [left + (right - left) * s / span for s in slots]


def _ticks(low: Decimal, high: Decimal, count: int = 4) -> list[Decimal]:
    """Round figures from at or below `low` to at or above `high`, about `count` steps."""
    if low == high:
        pad = abs(low) / 10 if low else Decimal(1)
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, Decimal("2.5"), 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    steps = int((end - start) / step)
    return [start + i * step for i in range(steps + 1)]


def _marker(rag: str, x: float, y: float, *, lettered: bool = True) -> SafeString:
    """The rating's shape (circle Green, triangle Amber, square Red, diamond Not rated) with
    its letter beside it."""
    letter, _, fill = RATINGS[rag]
    if rag == "green":
        shape = format_html('<circle cx="{}" cy="{}" r="6.5"', _n(x), _n(y))
    elif rag == "amber":
        shape = format_html(
            '<polygon points="{},{} {},{} {},{}"',
            *map(_n, (x, y - 8, x + 7.5, y + 5.5, x - 7.5, y + 5.5)),
        )
    elif rag == "red":
        shape = format_html('<rect x="{}" y="{}" width="12" height="12"', _n(x - 6), _n(y - 6))
    else:
        shape = format_html(
            '<polygon points="{},{} {},{} {},{} {},{}"',
            *map(_n, (x, y - 7.5, x + 7.5, y, x, y + 7.5, x - 7.5, y)),
        )
    shape = format_html('{} fill="{}" stroke="{}" stroke-width="1.5"/>', shape, fill, TEXT)
    if not lettered:
        return shape
    return format_html(
        '{}<text x="{}" y="{}" font-weight="bold" font-size="12">{}</text>',
        shape,
        _n(x + 7),
        _n(y - 7),
        letter,
    )


def _n(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _join(parts) -> SafeString:
    return mark_safe("".join(parts))  # each part already escaped by format_html


def _quarter_labels(points: list[_Point], xs: list[float], y: float) -> SafeString:
    """Q1, Q2 ... under each point, the financial year under the first point and each Q1."""
    labels, last_year = [], None
    for point, x in zip(points, xs, strict=True):
        labels.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">Q{}</text>', _n(x), _n(y), point.quarter
            )
        )
        if point.year_label != last_year:
            labels.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                    _n(x),
                    _n(y + 15),
                    SECONDARY,
                    point.year_label,
                )
            )
            last_year = point.year_label
    return _join(labels)


def _legend(points: list[_Point], y: float) -> SafeString:
    """The shapes used, each with its rating in words."""
    shown = [rag for rag in RATINGS if any(p.rag == rag for p in points)]
    parts, x = [], 4
    for rag in shown:
        word = RATINGS[rag][1]
        parts.append(_marker(rag, x + 7, y - 4, lettered=False))
        parts.append(format_html('<text x="{}" y="{}">{}</text>', _n(x + 18), _n(y), word))
        x += 30 + len(word) * 7
    return _join(parts)


def _value_chart(points: list[_Point], unit: str, target) -> SafeString:
    values = [p.value for p in points if p.value is not None]
    low, high = min(values), max(values)
    if target is not None:
        low, high = min(low, target), max(high, target)
    ticks = _ticks(Decimal(low), Decimal(high))
    bottom, top = float(ticks[0]), float(ticks[-1])
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    def y_of(value) -> float:
        return plot_bottom - (float(value) - bottom) / (top - bottom) * (plot_bottom - plot_top)

    xs = _xs(points)
    suffix = "%" if unit == "%" else ""
    parts = [
        format_html(
            '<text x="{}" y="{}" fill="{}">{}</text>',
            4,
            14,
            SECONDARY,
            f"Value ({unit})" if unit else "Value",
        )
    ]
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>'
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                _n(y),
                WIDTH - RIGHT,
                _n(y),
                TEXT if tick == 0 or tick == ticks[0] else GRID,
                1.5 if tick == 0 else 1,
                LEFT - 6,
                _n(y + 4),
                f"{format_number(tick)}{suffix}",
            )
        )
    if target is not None:
        # The target's key stands at the top right, clear of any point.
        y = y_of(target)
        label = f"Target {figure(target, unit)}"
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="6 4"/>'
                '<line x1="{}" y1="10" x2="{}" y2="10" stroke="{}" stroke-width="2" '
                'stroke-dasharray="6 4"/>'
                '<text x="{}" y="14" text-anchor="end" font-weight="bold">{}</text>',
                LEFT,
                _n(y),
                WIDTH - RIGHT,
                _n(y),
                TEXT,
                _n(WIDTH - RIGHT - len(label) * 8 - 28),
                _n(WIDTH - RIGHT - len(label) * 8 - 8),
                TEXT,
                WIDTH - RIGHT,
                label,
            )
        )
    # The line joins quarters next to each other that both have a value.
    run: list[str] = []
    runs = []
    for i, (point, x) in enumerate(zip(points, xs, strict=True)):
        joined = i and points[i - 1].index == point.index - 1 and points[i - 1].value is not None
        if point.value is None or not joined:
            if len(run) > 1:
                runs.append(run)
            run = []
        if point.value is not None:
            run.append(f"{_n(x)},{_n(y_of(point.value))}")
    if len(run) > 1:
        runs.append(run)
    for run in runs:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
                " ".join(run),
                LINE,
            )
        )
    for point, x in zip(points, xs, strict=True):
        # A quarter rated without a value shows its rating on the axis.
        y = y_of(point.value) if point.value is not None else plot_bottom
        parts.append(_marker(point.rag, x, y))
    parts.append(_quarter_labels(points, xs, plot_bottom + 18))
    parts.append(_legend(points, HEIGHT - 6))
    return _join(parts)


def _ratings_chart(points: list[_Point]) -> SafeString:
    """No values, only ratings: the ratings along the quarters' axis."""
    xs = _xs(points)
    axis = 44
    parts = [
        format_html('<text x="{}" y="{}" fill="{}">Rating</text>', 4, 14, SECONDARY),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            LEFT,
            axis,
            WIDTH - RIGHT,
            axis,
            GRID,
        ),
    ]
    parts += [_marker(point.rag, x, axis) for point, x in zip(points, xs, strict=True)]
    parts.append(_quarter_labels(points, xs, axis + 22))
    parts.append(_legend(points, RATINGS_ONLY_HEIGHT - 6))
    return _join(parts)
