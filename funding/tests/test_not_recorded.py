"""What the seed papers do not give about funding is shown as not recorded, never made up."""

import pytest
from django.core.management import call_command

from funding.models import Award, Fund
from tests.helpers import soup, text


@pytest.fixture
def lancashire(db):
    for name in ("020_areas_lancashire", "025_reporting_periods",
                 "030_plan_lancashire_2021_2025", "050_funding_lancashire"):  # fmt: skip
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return text(soup(response))


def test_an_award_dated_by_its_paper_says_so(client, lancashire):
    assert not Award.objects.filter(award_date_from_paper=False).exclude(pk=10).exists()
    words = page(client, "/funding/awards/1/")
    assert "8 March 2021 (the date of the paper that reported it" in words
    assert "own date not recorded" in page(client, "/funding/awards/?fund=surge-fund")


def test_a_fund_whose_funder_the_seed_does_not_name(client, lancashire):
    assert set(Fund.objects.filter(slug__in=["surge-fund", "taser-funding",
                                             "violence-reduction-network"])
               .values_list("funder", flat=True)) == {None}  # fmt: skip
    assert "Funder Not recorded" in page(client, "/funding/funds/surge-fund/")
    assert "Funder Home Office" in page(client, "/funding/funds/project-adder/")


def test_an_unsuccessful_bid_of_unknown_amount(client, lancashire):
    words = page(client, "/funding/awards/26/")
    assert "Amount Not recorded" in words and "Unsuccessful" in words


def test_a_staff_member_can_mark_an_awards_date_as_the_papers(client_for, lancashire):
    award = Award.objects.get(pk=27)
    form = soup(client_for("staff").get(f"/funding/awards/{award.pk}/edit/"))
    box = form.find("input", attrs={"name": "award_date_from_paper"})
    assert box is not None and box.has_attr("checked")
