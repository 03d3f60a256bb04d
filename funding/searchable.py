"""What of the funding may be found (pcc_portal/searchable.py): awards, funds and
organisations, each on its public page (the funding pages have no drafts: all is public)."""

from django.urls import reverse
from django.utils.html import strip_tags

from funding.models import Award, Fund, Organisation
from pcc_portal.markdown import render_markdown
from pcc_portal.searchable import Entry, SearchKind


def _text(markdown: str) -> str:
    return strip_tags(render_markdown(markdown)).strip()


def award_entries(award: Award) -> list[Entry]:
    return [
        Entry(
            key="award",
            title=award.title,
            body="\n".join(
                filter(None, (_text(award.purpose), award.organisation.name, award.fund.name))
            ),
            url=award.get_absolute_url(),
            date=award.award_date,
            priority_ids=tuple(p.pk for p in award.priorities.all()),
            area_ids=tuple(a.pk for a in award.areas.all()),
        )
    ]


def fund_entries(fund: Fund) -> list[Entry]:
    funder = fund.funder.name if fund.funder_id else ""
    return [
        Entry(
            key="fund",
            title=fund.name,
            body="\n".join(filter(None, (_text(fund.description), funder))),
            url=fund.get_absolute_url(),
            date=fund.opens_on,
            priority_ids=tuple(p.pk for p in fund.priorities.all()),
        )
    ]


def organisation_entries(organisation: Organisation) -> list[Entry]:
    # Organisations have no page of their own: the list of their awards is it.
    return [
        Entry(
            key="organisation",
            title=organisation.name,
            body=" ".join(
                filter(None, (organisation.get_kind_display(), organisation.org_identifier))
            ),
            url=f"{reverse('funding:awards')}?organisation={organisation.pk}",
            area_ids=(organisation.area_id,) if organisation.area_id else (),
        )
    ]


AWARDS = SearchKind(
    name="award",
    label="Awards",
    model=Award,
    entries=award_entries,
    objects=lambda: Award.objects.select_related("organisation", "fund").prefetch_related(
        "priorities", "areas"
    ),
    followers=(
        (Organisation, lambda organisation: organisation.awards.all()),
        (Fund, lambda fund: fund.awards.all()),
    ),
)
FUNDS = SearchKind(
    name="fund",
    label="Funds",
    model=Fund,
    entries=fund_entries,
    objects=lambda: Fund.objects.select_related("funder").prefetch_related("priorities"),
    followers=((Organisation, lambda organisation: organisation.funds.all()),),
)
ORGANISATIONS = SearchKind(
    name="organisation",
    label="Organisations",
    model=Organisation,
    entries=organisation_entries,
    objects=lambda: Organisation.objects.all(),
)
