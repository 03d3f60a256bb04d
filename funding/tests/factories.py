import datetime
import itertools
from decimal import Decimal

from funding.models import Award, Fund, Organisation

_seq = itertools.count(1)


def make_org(**fields) -> Organisation:
    defaults = {"name": f"Organisation {next(_seq)}", "kind": "charity"}
    return Organisation.objects.create(**{**defaults, **fields})


def make_fund(direction="outgoing", **fields) -> Fund:
    n = next(_seq)
    defaults = {"name": f"Fund {n}", "slug": f"fund-{n}", "direction": direction}
    if direction == "incoming" and "funder" not in fields:
        defaults["funder"] = make_org(kind="government_department")
    return Fund.objects.create(**{**defaults, **fields})


def make_award(fund, organisation=None, amount="1000.00", **fields) -> Award:
    defaults = {
        "title": f"Award {next(_seq)}",
        "award_date": datetime.date(2021, 3, 8),
        "status": "awarded",
        "amount": Decimal(amount) if amount is not None else None,
    }
    organisation = organisation or make_org(is_office_side=fund.direction == "incoming")
    return Award.objects.create(fund=fund, organisation=organisation, **{**defaults, **fields})
