"""What of the plan the portal's search may find (see pcc_portal.searchable).

Only what the plan's public pages show everyone: the priorities of published plans, with their
commitments and active outcome measures, and the commentary of approved quarterly updates.
Nothing of the plan is exempt, so every entry is PUBLIC; a draft plan, an inactive measure and
an update not approved give none. No update, priority or measure names an area.
"""

from pcc_portal.searchable import Entry, SearchKind
from plan.models import Commitment, MeasureUpdate, OutcomeMeasure, Plan, Priority


def _lines(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def priority_entries(priority: Priority) -> list[Entry]:
    if not priority.plan.is_published:
        return []
    url = priority.get_absolute_url()
    promised = [commitment.text for commitment in priority.commitments.all()]
    entries = [
        Entry(
            key="priority",
            title=priority.title,
            body=_lines(priority.get_kind_display(), priority.summary, *promised),
            url=url,
            priority_ids=(priority.pk,),
        )
    ]
    entries += [
        Entry(
            key=f"measure-{measure.pk}",
            title=f"{measure.short_label}: {priority.title}",
            body=_lines(measure.text, measure.data_source and f"Source: {measure.data_source}"),
            url=f"{url}#measure-{measure.pk}",
            priority_ids=(priority.pk,),
        )
        for measure in priority.measures.all()
        if measure.active
    ]
    return entries


def priority_objects():
    return (
        Priority.objects.filter(plan__status=Plan.Status.PUBLISHED)
        .select_related("plan")
        .prefetch_related("commitments", "measures")
    )


def measure_update_entries(update: MeasureUpdate) -> list[Entry]:
    if not update.is_on_public_pages:
        return []
    measure, period = update.measure, update.period
    priority = measure.priority
    return [
        Entry(
            key="update",
            title=f"{measure.short_label}, {period.short_label}",
            body=_lines(f"Rated {update.get_rag_display()}.", update.commentary),
            # The priority's page shows each measure's approved updates under its heading.
            url=f"{priority.get_absolute_url()}#measure-{measure.pk}",
            date=period.end,
            priority_ids=(priority.pk,),
        )
    ]


def measure_update_objects():
    return MeasureUpdate.objects.on_public_pages().select_related(
        "measure__priority__plan", "period"
    )


PRIORITIES = SearchKind(
    name="priority",
    label="Priorities and outcome measures",
    model=Priority,
    entries=priority_entries,
    objects=priority_objects,
    followers=(
        (Plan, lambda plan: plan.priorities.all()),
        (Commitment, lambda commitment: [commitment.priority]),
        (OutcomeMeasure, lambda measure: [measure.priority]),
    ),
)

MEASURE_UPDATES = SearchKind(
    name="measure_update",
    label="Quarterly updates",
    model=MeasureUpdate,
    entries=measure_update_entries,
    objects=measure_update_objects,
    followers=(
        # Publishing or withdrawing a plan, or a measure's (de)activation, opens or hides its
        # updates; a priority's new web address moves their links.
        (Plan, lambda plan: MeasureUpdate.objects.filter(measure__priority__plan=plan)),
        (Priority, lambda priority: MeasureUpdate.objects.filter(measure__priority=priority)),
        (OutcomeMeasure, lambda measure: measure.updates.all()),
    ),
)

SEARCH_KINDS = (PRIORITIES, MEASURE_UPDATES)
