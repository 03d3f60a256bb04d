"""The fact fixtures hold only what their seed documents say.

`fixtures/sources.toml` names the seed each fact record comes from. For every such record, each
amount (amount fields, and "£..." in its text) and each date (date fields, meeting days, and
"9 February 2022" in its text) must be in one of its seeds, in the seed's own forms: "£1,275,000",
"1,275,000", "£1.18 million", "£165k", "£319.391m"; "25th March 2021", "9th February 2022".
"""

import datetime
import json
import re
import tomllib
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SOURCES = FIXTURES / "sources.toml"
# The seeds are kept beside the repository, not in it.
SEEDS = Path(settings.BASE_DIR).resolve().parent / "shared" / "seeds"
LONDON = zoneinfo.ZoneInfo("Europe/London")

AMOUNT_FIELDS = ("amount_per_year", "budget")  # `amount` is checked apart (see below)
DATE_FIELDS = ("award_date", "opens_on", "closes_on", "planned_start", "planned_end",
               "published_on", "comments_published_on")  # fmt: skip
TEXT_FIELDS = (
    "introduction", "summary", "text", "description", "purpose", "notes", "note", "title",
    "executive_summary", "body", "reason", "findings", "reschedule_reason", "background",
    "options_considered", "decision_text", "reasons", "financial_implications",
)  # fmt: skip
# Records whose facts come from a seed: each must name its seed in sources.toml.
SOURCED_MODELS = (
    "plan.plan", "plan.commitment", "funding.fund", "funding.award", "scrutiny.scrutinymeeting",
    "scrutiny.panelmeeting", "scrutiny.taskgroup", "scrutiny.recommendation", "reports.report",
    "reports.reportsection", "decisions.decision", "decisions.inspection",
)  # fmt: skip

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
MONTH_RE = "|".join(MONTHS)
DAY_RE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_RE})\s+(\d{{4}})\b")
# £1,275,000 · 1,275,000 · £62,000 · £1000 · £1.18 million · £1,1million · £165k · £319.391m
MONEY_RE = re.compile(
    r"(£)?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\d,\d)\s?(million|m\b|k\b)?", re.IGNORECASE
)
TEXT_MONEY_RE = re.compile(r"£\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(million|m\b|k\b)?", re.I)


def money(number: str, scale: str | None) -> Decimal | None:
    if re.fullmatch(r"\d,\d", number):  # "£1,1million": a typing slip for 1.1 million
        number = number.replace(",", ".")
    value = Decimal(number.replace(",", ""))
    multiplier = {"million": 1_000_000, "m": 1_000_000, "k": 1_000}.get((scale or "").lower(), 1)
    return value * multiplier


def seed_facts(text: str) -> tuple[set[Decimal], set[datetime.date]]:
    amounts = {money(m.group(2), m.group(3)) for m in MONEY_RE.finditer(text)}
    days = {
        datetime.date(int(year), MONTHS.index(month) + 1, int(day))
        for day, month, year in DAY_RE.findall(text)
    }
    return amounts, days


def record_facts(fields: dict) -> list[tuple[str, object]]:
    """(where, value) for every amount and date a fixture record carries."""
    facts = []
    if fields.get("amount_per_year") is None and fields.get("amount") is not None:
        facts.append(("amount", Decimal(fields["amount"])))  # else derived: per year x years
    for name in AMOUNT_FIELDS:
        if fields.get(name) is not None:
            facts.append((name, Decimal(fields[name])))
    for name in DATE_FIELDS:
        if fields.get(name):
            facts.append((name, datetime.date.fromisoformat(fields[name])))
    if fields.get("starts_at"):
        moment = datetime.datetime.fromisoformat(fields["starts_at"].replace("Z", "+00:00"))
        facts.append(("starts_at", moment.astimezone(LONDON).date()))
    for line in (fields.get("meeting_dates") or "").splitlines():
        if line.strip():
            facts.append(("meeting_dates", datetime.date.fromisoformat(line.strip())))
    for name in TEXT_FIELDS:
        text = fields.get(name) or ""
        for number, scale in TEXT_MONEY_RE.findall(text):
            facts.append((f"{name} (£{number}{scale})", money(number, scale)))
        for day, month, year in DAY_RE.findall(text):
            when = datetime.date(int(year), MONTHS.index(month) + 1, int(day))
            facts.append((f"{name} ({day} {month} {year})", when))
    return facts


def fact_records() -> dict[tuple[str, int], dict]:
    records = {}
    for path in sorted(FIXTURES.glob("0*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            records[(record["model"], record["pk"])] = record["fields"]
    return records


def sources() -> tuple[dict[tuple[str, int], list[str]], dict[str, str]]:
    data = tomllib.loads(SOURCES.read_text(encoding="utf-8"))
    exceptions = data.pop("not_in_seed", {})
    named: dict[tuple[str, int], list[str]] = {}
    for seed, models in data.items():
        for model, pks in models.items():
            for pk in pks:
                named.setdefault((model, pk), []).append(seed)
    return named, exceptions


def test_every_fact_record_names_its_seed_and_every_named_record_exists():
    records = fact_records()
    named, _ = sources()
    unnamed = sorted(key for key in records if key[0] in SOURCED_MODELS and key not in named)
    assert unnamed == [], f"fact records naming no seed in fixtures/sources.toml: {unnamed}"
    missing = sorted(key for key in named if key not in records)
    assert missing == [], f"fixtures/sources.toml names records not in the fixtures: {missing}"


@pytest.mark.skipif(
    not SEEDS.is_dir(),
    reason="the seed documents (../shared/seeds/ beside the repository) are not on this machine",
)
def test_every_amount_and_date_of_a_fact_record_is_in_its_seed():
    records = fact_records()
    named, exceptions = sources()
    seeds = {path.name: seed_facts(path.read_text(encoding="utf-8")) for path in SEEDS.iterdir()}
    unknown = sorted({seed for names in named.values() for seed in names} - set(seeds))
    assert unknown == [], f"fixtures/sources.toml names seeds that are not there: {unknown}"
    unmatched, checked = [], 0
    for (model, pk), names in sorted(named.items()):
        for where, value in record_facts(records[(model, pk)]):
            checked += 1
            kind = 1 if isinstance(value, datetime.date) else 0
            if any(value in seeds[name][kind] for name in names):
                continue
            if f"{model} {pk} {where}" in exceptions:
                continue
            unmatched.append(f"{model} {pk} {where}: {value} (not in {', '.join(names)})")
    assert checked > 100  # the check reads the records it should
    assert unmatched == [], "not found in the named seeds:\n" + "\n".join(unmatched)


def test_the_seed_forms_of_amounts_and_dates_are_read():
    amounts, days = seed_facts(
        "£1,275,000 and 1,100,000; £1.18 million; £1,1million; around £165k; £319.391m; "
        "2 x £1000; at 1pm on Thursday 25th March 2021, and on 9th February 2022."
    )
    assert {
        Decimal(1275000), Decimal(1100000), Decimal(1180000), Decimal(165000),
        Decimal(319391000), Decimal(1000),
    } <= amounts  # fmt: skip
    assert Decimal("1100000") in amounts  # "£1,1million" read as £1.1 million
    assert days == {datetime.date(2021, 3, 25), datetime.date(2022, 2, 9)}
