"""Small builders for plan data in tests (fixtures/ holds real data; tests make their own)."""

import itertools

from plan.models import MeasureUpdate, OutcomeMeasure, Plan, Priority, ReportingPeriod

_seq = itertools.count(1)


def make_plan(**fields) -> Plan:
    n = next(_seq)
    defaults = {
        "title": f"Plan {n}",
        "slug": f"plan-{n}",
        "police_area": "Testshire",
        "start_year": 2021,
        "end_year": 2025,
        "status": Plan.Status.PUBLISHED,
    }
    return Plan.objects.create(**{**defaults, **fields})


def make_priority(plan: Plan, **fields) -> Priority:
    n = next(_seq)
    defaults = {"order": n, "title": f"Priority {n}", "slug": f"priority-{n}"}
    return Priority.objects.create(plan=plan, **{**defaults, **fields})


def make_measure(priority: Priority, **fields) -> OutcomeMeasure:
    n = next(_seq)
    defaults = {
        "order": n,
        "text": f"Outcome measure {n} as the plan words it.",
        "short_label": f"Measure {n}",
    }
    return OutcomeMeasure.objects.create(priority=priority, **{**defaults, **fields})


def make_period(financial_year: int = 2021, quarter: int = 2, **fields) -> ReportingPeriod:
    period, _ = ReportingPeriod.objects.get_or_create(
        financial_year=financial_year, quarter=quarter, defaults=fields
    )
    return period


def make_update(measure, period, **fields) -> MeasureUpdate:
    defaults = {"rag": "green", "direction": "improving", "status": "draft", "commentary": ""}
    return MeasureUpdate.objects.create(measure=measure, period=period, **{**defaults, **fields})


def make_plan_with_measures(priorities: int = 2, measures_each: int = 3, **plan_fields):
    plan = make_plan(**plan_fields)
    measures = []
    for _ in range(priorities):
        priority = make_priority(plan)
        measures += [make_measure(priority) for _ in range(measures_each)]
    return plan, measures
