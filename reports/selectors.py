"""Reads that gather the papers' parts of other apps' pages (fixed queries)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Q
from django.utils import timezone

from pcc_portal.models import PendingChange
from pcc_portal.roles import PANEL_MEMBER
from pcc_portal.sequences import next_number
from pcc_portal.slots import DONE, Part, Task, tasks_part
from plan.models import Plan, Priority
from plan.selectors import ratings_worsened_since
from reports.feeds import papers_feed_link
from reports.models import Pack, Report, ReportSection
from reports.permissions import ADD_REPORT, CHANGE_REPORT, PUBLISH_REPORT
from scrutiny.models import PanelMeeting
from scrutiny.selectors import actions_overdue_since, meeting_agenda


def next_agenda_order(meeting_id, *, exclude: int | None = None) -> int:
    """The next free place on a panel meeting's agenda: after its last paper (1 if none)."""
    papers = Report.objects.filter(panel_meeting=meeting_id).exclude(pk=exclude)
    return next_number(papers, "agenda_order")


def panel_meeting_papers(meeting, *, user) -> Part:
    """The meeting's agenda with each item's papers the visitor may see (none under a Part II
    item whose title they may not learn), the papers on no item yet, whether it has a pack, and
    whether the visitor may add a paper to it. Fixed queries: the items, the papers, the
    packs."""
    papers = list(
        Report.objects.visible_to(user).filter(panel_meeting=meeting).with_latest_pdf()
        .order_by("agenda_order", "pk")
    )  # fmt: skip
    agenda = meeting_agenda(meeting, user)
    by_item = {}
    for paper in papers:
        by_item.setdefault(paper.agenda_item_id, []).append(paper)
    items = [(row, [] if row.hidden else by_item.get(row.item.pk, [])) for row in agenda]
    shown = {row.item.pk for row in agenda}
    packs = list(
        Pack.objects.visible_to(user).filter(meeting=meeting).select_related("meeting")
        .order_by("-number")
    )  # fmt: skip
    return Part(
        "reports/includes/_panel_meeting_papers.html",
        {
            "meeting": meeting,
            "open_items": [entry for entry in items if not entry[0].item.is_exempt],
            "exempt_items": [entry for entry in items if entry[0].item.is_exempt],
            "unfiled": [p for p in papers if p.agenda_item_id not in shown],
            "papers": papers,
            "has_pack": any(p.is_published for p in papers),
            "packs": packs,
            "supplements": [pack for pack in reversed(packs) if pack.number > 1],
            "can_add": user.has_perm(ADD_REPORT),
            "feed": papers_feed_link(),
        },
        feeds=(papers_feed_link(),),
    )


# How many papers a priority's page lists before linking to the papers list filtered by it.
PRIORITY_PAPERS_SHOWN = 10


def papers_on_priority(priority, papers=None) -> list[Report]:
    """The papers (of `papers`, a queryset of Report; all by default) that report on a
    priority's outcome measures, newest first: those with an outcome measures section that
    names the priority, or names none (every priority) and reports on the priority's plan, or
    on a quarter of the plan's years when the paper names no plan. That is what such a section
    shows, so what the priority's page says. One query, of the sections with their papers and
    meetings; the priorities a section names are read here rather than in SQL, which cannot
    search a JSON list on SQLite."""
    plan = priority.plan
    of_plan = Q(report__plan=plan) | Q(
        report__plan__isnull=True,
        report__period__financial_year__gte=plan.start_year,
        report__period__financial_year__lt=plan.end_year,
    )
    sections = (
        ReportSection.objects.filter(kind="outcome_measures", report__period__isnull=False)
        .filter(of_plan | Q(params__has_key="priorities"))
        .select_related("report__panel_meeting")
        .order_by("-report__panel_meeting__starts_at", "report__agenda_order", "report_id")
    )
    if papers is not None:
        sections = sections.filter(report__in=papers)
    found: dict[int, Report] = {}
    for section in sections:
        named = (section.params or {}).get("priorities") or []
        if priority.pk in named if named else True:
            found.setdefault(section.report_id, section.report)
    return list(found.values())


def paper_priority_ids(report: Report) -> tuple[int, ...]:
    """The priorities whose page lists this paper: papers_on_priority's rule, from the paper's
    side. Those its outcome measures sections name; for a section naming none, every priority
    of the plan it reports on (its own, or each plan covering its quarter). Two queries."""
    if not report.period_id:
        return ()
    named, every = set(), False
    for section in report.sections.filter(kind="outcome_measures"):
        chosen = (section.params or {}).get("priorities") or []
        named.update(pk for pk in chosen if isinstance(pk, int))
        every = every or not chosen
    if every:
        plans = (
            Plan.objects.filter(pk=report.plan_id)
            if report.plan_id
            else Plan.objects.covering(report.period.financial_year)
        )
        named.update(Priority.objects.filter(plan__in=plans).values_list("pk", flat=True))
    return tuple(sorted(named))


def priority_papers(priority, *, user) -> Part:
    """The published papers the visitor may read that report on a priority's measures
    (papers_on_priority), newest first, for the priority's page: the newest few, and a link to
    the papers list filtered by the priority when there are more. One query."""
    papers = papers_on_priority(priority, Report.objects.visible_to(user).published())
    return Part(
        "reports/includes/_priority_papers.html",
        {
            "papers": papers[:PRIORITY_PAPERS_SHOWN],
            "count": len(papers),
            "more": len(papers) > PRIORITY_PAPERS_SHOWN,
            "priority": priority,
        },
        group=DONE,
        position=40,
    )


def home_latest_papers(*, user) -> Part | None:
    """The latest published papers the visitor may read, for the home page."""
    papers = list(
        Report.objects.visible_to(user).published().select_related("panel_meeting")
        .order_by("-panel_meeting__starts_at", "agenda_order")[:5]
    )  # fmt: skip
    if not papers:
        return None
    return Part(
        "reports/includes/_home_latest_papers.html", {"papers": papers}, feeds=(papers_feed_link(),)
    )


def home_paper_tasks(*, user) -> Part | None:
    """For approvers: papers waiting for approval, and papers whose changes wait for
    publication; for staff: papers returned to them, with the reason, until they submit them
    again. One query."""
    wanted = Q(pk__in=[])
    if user.has_perm(CHANGE_REPORT):
        wanted |= Q(status=Report.Status.RETURNED)
    if user.has_perm(PUBLISH_REPORT):
        held = PendingChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Report)
        ).values("object_id")
        wanted |= Q(status=Report.Status.SUBMITTED) | Q(pk__in=held)
    else:
        held = None
    if held is None and not user.has_perm(CHANGE_REPORT):
        return None
    papers = list(Report.objects.filter(wanted).order_by("pk"))
    returned = [p for p in papers if p.status == Report.Status.RETURNED]
    waiting = [p for p in papers if p.status == Report.Status.SUBMITTED and held is not None]
    changed = [p for p in papers if p not in returned and p not in waiting]
    return tasks_part(
        [
            Task(f"“{paper.title}” was returned to you", paper.get_absolute_url(),
                 detail=f"Reason: {paper.return_reason}")
            for paper in returned
        ]
        + [Task(f"“{paper.title}” waits for your approval", paper.get_absolute_url())
           for paper in waiting]
        + [Task(f"Changes to “{paper.title}” wait for you to publish them",
                paper.get_publication_url())
           for paper in changed]
    )  # fmt: skip


def home_panel_tasks(*, user) -> Part | None:
    """For panel members: the next panel meeting with its published papers, and what changed
    since the last meeting: measures whose approved rating worsened, actions that became
    overdue and papers published since. Everything through the models' `visible_to(user)`, so
    exempt (Part II) papers only for those who may see them. A paper is new since the last
    meeting when it was first published after it and is for a later meeting: a late paper for
    that meeting or an earlier one (the demo publishes every paper as it loads) is not news.
    Eight queries at most."""
    if not user.is_authenticated or not user.groups.filter(name=PANEL_MEMBER).exists():
        return None
    now = timezone.now()
    meetings = PanelMeeting.objects.visible_to(user).published()
    upcoming = meetings.upcoming(now).exclude(status=PanelMeeting.Status.CANCELLED).first()
    last = (
        meetings.filter(starts_at__lt=now)
        .exclude(status=PanelMeeting.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )
    papers = Report.objects.visible_to(user).published()
    context = {"next_meeting": upcoming, "next_papers": [], "last_meeting": last}
    if upcoming is not None:
        context["next_papers"] = list(
            papers.filter(panel_meeting=upcoming).order_by("agenda_order", "pk")
        )
    if last is not None:
        context.update(
            worsened=ratings_worsened_since(last.starts_at, user),
            overdue=actions_overdue_since(last.date, user, timezone.localdate()),
            new_papers=list(
                papers.annotate(first_published=Min("publications__published_at"))
                .filter(
                    first_published__gte=last.starts_at,
                    panel_meeting__starts_at__gt=last.starts_at,
                )
                .select_related("panel_meeting")
                .order_by("-first_published", "pk")
            ),
        )
    return Part("reports/includes/_home_panel_tasks.html", context)
