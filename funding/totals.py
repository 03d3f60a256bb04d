"""The stored funding totals (`FundingTotal`): counted again, year by year, when awards change.

A change to an award notes its financial year (`FundingYearChange`) in the same transaction;
once it commits, a task counts that year's totals again. A reader who comes before the task
has run counts the noted years first, so the funding page never shows figures older than the
awards, and otherwise reads a few dozen rows whatever the number of awards.
"""

from django.db import connection, transaction
from django.db.models import Count, Min, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from funding.models import Award, FundingTotal, FundingYearChange
from pcc_portal.background import background_task

LARGE_CHANGE = 1000  # awards changed at once after which the planner's statistics are renewed


def funding_years_mark(years, *, awards: int = 1) -> None:
    """Notes `years` as changed and counts them again when the transaction commits. A year
    already noted in the same transaction is not noted twice: an import notes each year once."""
    years = {year for year in years if year is not None}
    pending = _pending_refresh()
    if awards < LARGE_CHANGE:
        years -= set().union(*(callback.years for callback in pending))
    if not years:
        return
    FundingYearChange.objects.bulk_create(
        [FundingYearChange(financial_year=year, awards=awards) for year in sorted(years)]
    )
    _pending_here().years |= years


class FundingTotalsEnqueue:
    """Enqueues the count once the transaction commits; knows the years noted in the savepoint
    that registered it, and is dropped with that savepoint when it rolls back, as its notes
    are. (A transaction that noted years in several savepoints enqueues a count for each; the
    first counts them all, the others find nothing to do.)"""

    def __init__(self):
        self.years: set[int] = set()

    def __call__(self) -> None:
        funding_totals_sync.enqueue()


def _pending_refresh() -> list[FundingTotalsEnqueue]:
    """The counts waiting for this transaction to commit, from savepoints still standing."""
    return [
        callback
        for _, callback, *_ in getattr(connection, "run_on_commit", [])
        if isinstance(callback, FundingTotalsEnqueue)
    ]


def _pending_here() -> FundingTotalsEnqueue:
    """The count registered in the current savepoint, registered now if there is none (so
    that years noted here are forgotten if this savepoint rolls back)."""
    here = set(connection.savepoint_ids)
    for savepoints, callback, *_ in getattr(connection, "run_on_commit", []):
        if isinstance(callback, FundingTotalsEnqueue) and savepoints == here:
            return callback
    callback = FundingTotalsEnqueue()
    transaction.on_commit(callback, robust=True)
    return callback


def _pending_forget() -> None:
    # The notes of this transaction were counted: a later change in it notes its year again.
    for callback in _pending_refresh():
        callback.years.clear()


@background_task
def funding_totals_sync() -> int:
    """Counts again the totals of every year noted as changed; returns how many years."""
    return funding_totals_refresh()


def funding_totals_refresh(*, analyze: bool = True) -> int:
    """Counts again the noted years' totals and removes the notes it has acted on. Notes
    written meanwhile stay for the next count. Returns how many years were counted. After a
    large change it renews the planner's statistics (`analyze`), which a reader's request
    leaves to the task."""
    with transaction.atomic():
        notes = list(
            FundingYearChange.objects.select_for_update().values_list(
                "pk", "financial_year", "awards"
            )
        )
        if not notes:
            return 0
        years = {year for _, year, _ in notes}
        funding_totals_count(years)
        FundingYearChange.objects.filter(pk__in=[pk for pk, _, _ in notes]).delete()
        _pending_forget()
    if analyze and sum(awards for _, _, awards in notes) >= LARGE_CHANGE:
        award_statistics_renew()
    return len(years)


def funding_totals_count(years=None, *, award_model=Award, total_model=FundingTotal) -> None:
    """Replaces the totals of `years` (every year when None) by sums over the awards of each
    status: three grouped queries. The models may be a migration's."""
    awards = award_model.objects.order_by()
    stored = total_model.objects.all()
    if years is not None:
        awards = awards.filter(financial_year__in=list(years))
        stored = stored.filter(financial_year__in=list(years))
    stored.delete()
    rows = [
        total_model(
            status=row["status"],
            fund_id=row["fund"],
            financial_year=row["financial_year"],
            amount=row["amount"] or 0,
            count=row["count"],
            first_award_date=row["first"],
        )
        for row in awards.values("status", "fund", "financial_year").annotate(
            amount=Sum("amount"), count=Count("pk"), first=Min("award_date")
        )
    ]
    for name in ("priorities", "areas"):
        part = awards.filter(**{f"{name}__isnull": False}).values(
            "status", "fund", "financial_year", name
        )
        rows += [
            total_model(
                status=row["status"],
                fund_id=row["fund"],
                financial_year=row["financial_year"],
                **{"priority_id" if name == "priorities" else "area_id": row[name]},
                amount=row["amount"] or 0,
                count=row["count"],
            )
            for row in part.annotate(amount=Sum("amount"), count=Count("pk"))
        ]
    total_model.objects.bulk_create(rows, batch_size=500)


def funding_totals_rebuild() -> int:
    """Counts every year's totals again; returns how many rows the totals have."""
    with transaction.atomic():
        notes = list(FundingYearChange.objects.select_for_update().values_list("pk", flat=True))
        funding_totals_count()
        FundingYearChange.objects.filter(pk__in=notes).delete()
        _pending_forget()
    award_statistics_renew()
    return FundingTotal.objects.count()


def funding_totals_current() -> None:
    """Before the totals are read: counts any year noted as changed (one query when none)."""
    if FundingYearChange.objects.exists():
        funding_totals_refresh(analyze=False)


def award_statistics_renew() -> None:
    """ANALYZE of the awards and their links, so the planner knows their size after many
    were written at once (as autovacuum would, later)."""
    tables = [
        Award._meta.db_table,
        Award.priorities.through._meta.db_table,
        Award.areas.through._meta.db_table,
        FundingTotal._meta.db_table,
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")


# Every way an award changes notes its year: saved (the year it was in, and the one it is
# in now), deleted, or its priorities or areas changed. Bulk writes note theirs in
# `AwardQuerySet`.


@receiver(post_save, sender=Award, dispatch_uid="funding_totals_award_saved")
def award_saved(sender, instance, **kwargs):
    years = {instance.financial_year, getattr(instance, "loaded_financial_year", None)}
    funding_years_mark(years)
    instance.loaded_financial_year = instance.financial_year


@receiver(post_delete, sender=Award, dispatch_uid="funding_totals_award_deleted")
def award_deleted(sender, instance, **kwargs):
    funding_years_mark({instance.financial_year})


def award_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        funding_years_mark({instance.financial_year})
        return
    # a priority or area gaining or losing awards: the years of those awards
    awards = Award.objects.order_by()
    if pk_set:
        awards = awards.filter(pk__in=pk_set)
    elif action == "pre_clear":
        name = "priorities" if sender is Award.priorities.through else "areas"
        awards = awards.filter(**{name: instance.pk})
    else:
        return
    funding_years_mark(set(awards.values_list("financial_year", flat=True).distinct()))


for _through in (Award.priorities.through, Award.areas.through):
    m2m_changed.connect(
        award_links_changed, sender=_through, dispatch_uid=f"funding_totals_{_through.__name__}"
    )
