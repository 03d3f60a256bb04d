from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from pcc_portal.mixins import FilteredListMixin, PageMixin, PermissionMixin
from pcc_portal.people import display_name
from pcc_portal.publication import pending_apply, pending_summary, publication_context
from pcc_portal.published import PDF, StoredFile, stored_file_response
from pcc_portal.services import StaleRecord
from plan.models import Plan
from reports import rendering, services
from reports.feeds import papers_feed_link
from reports.filters import ReportFilter
from reports.forms import CompareForm, ReturnForm
from reports.models import Pack, PaperPublishing, Publication, Report
from reports.packs import plan_pdf
from reports.permissions import ADD_REPORT, CHANGE_REPORT, PUBLISH_REPORT
from reports.publishing import publishing_latest, report_publish_request
from reports.revisions import revisions_compare
from scrutiny.selectors import panel_meeting_on

PAPERS = ("Papers", reverse_lazy("reports:papers"))


def visible_report(user, pk) -> Report:
    """The paper if the user may see it: 404 otherwise (a draft or exempt one does not leak)."""
    return get_object_or_404(
        Report.objects.visible_to(user).select_related("panel_meeting", "period"), pk=pk
    )


class ReportListView(FilteredListMixin, PageMixin, FilterView):
    filterset_class = ReportFilter
    template_name = "reports/report_list.html"
    context_object_name = "papers"
    paginate_by = 25
    page_title = "Panel papers"

    def get_queryset(self):
        return (
            Report.objects.visible_to(self.request.user)
            .select_related("panel_meeting")
            .with_latest_pdf()
            .order_by("-panel_meeting__starts_at", "agenda_order", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm(ADD_REPORT)
        context["feeds"] = [papers_feed_link()]
        return context


class ReportDetailView(PageMixin, TemplateView):
    """A published paper from its stored revision; editors previewing a draft get it fresh."""

    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        report = visible_report(self.request.user, self.kwargs["pk"])
        publication = report.latest_publication() if report.is_published else None
        empty_sections = []
        if publication:
            paper = mark_safe(publication.html)  # rendered and sanitised when it was published
        else:
            draft = pending_apply(report)  # as it would be published
            paper_context = rendering.paper_context(draft, draft=True)
            paper = rendering.paper_fragment(paper_context)
            empty_sections = paper_context["empty_sections"]
        user = self.request.user
        can_publish_or_edit = user.has_perm(CHANGE_REPORT) or user.has_perm(PUBLISH_REPORT)
        context = super().get_context_data(**kwargs)
        context.update(
            report=report, publication=publication, paper=paper,
            page_title=report.title,
            can_edit=self.request.user.has_perm(CHANGE_REPORT),
            can_publish=self.request.user.has_perm(PUBLISH_REPORT),
            actions=services.allowed_actions(report=report, user=self.request.user),
            empty_sections=empty_sections,
            returned_by=display_name(report.returned_by) if report.returned_by_id else "",
            previous_revision=publication.revision - 1 if publication else None,
            publishing=publishing_latest(report) if can_publish_or_edit else None,
            **publication_context(report, self.request.user),
        )  # fmt: skip
        return context

    def get_breadcrumbs(self):
        return [PAPERS]


def paper_revisions(report: Report) -> list[Publication]:
    """The paper's revisions, newest first, without their stored HTML (one query); each knows
    the revision before it (`previous`, None for the first)."""
    revisions = list(report.publications.defer("html").order_by("-revision"))
    for publication, older in zip(revisions, [*revisions[1:], None], strict=False):
        publication.previous = older.revision if older else None
    return revisions


class RevisionsView(PageMixin, TemplateView):
    """/reports/<pk>/revisions/: the revisions of a paper, to whoever may see the paper, and a
    form choosing two to compare."""

    template_name = "reports/report_revisions.html"

    def get_context_data(self, **kwargs):
        self.report = visible_report(self.request.user, self.kwargs["pk"])
        revisions = paper_revisions(self.report)
        context = super().get_context_data(**kwargs)
        form = None
        if len(revisions) > 1:
            form = CompareForm(
                revisions=revisions,
                initial={"from": revisions[1].revision, "to": revisions[0].revision},
            )
            form.helper.form_action = reverse("reports:paper_changes", args=[self.report.pk])
        context.update(
            report=self.report, revisions=revisions, compare_form=form,
            page_title=f"Revisions of “{self.report.title}”",
        )  # fmt: skip
        return context

    def get_breadcrumbs(self):
        return [PAPERS, (self.report.title, self.report.get_absolute_url())]


class ChangesView(PageMixin, TemplateView):
    """/reports/<pk>/changes/?from=1&to=3: what changed between two revisions of a paper (the
    latest two without parameters). Wrong parameters are named in the error summary."""

    template_name = "reports/report_changes.html"

    def get_context_data(self, **kwargs):
        self.report = visible_report(self.request.user, self.kwargs["pk"])
        revisions = paper_revisions(self.report)
        context = super().get_context_data(**kwargs)
        context.update(
            report=self.report,
            revisions=revisions,
            page_title=f"What changed in “{self.report.title}”",
        )
        if len(revisions) < 2:
            return context
        asked = "from" in self.request.GET or "to" in self.request.GET
        initial = {"from": revisions[1].revision, "to": revisions[0].revision}
        form = CompareForm(
            self.request.GET if asked else None, revisions=revisions, initial=initial
        )
        context["compare_form"] = form
        if asked and not form.is_valid():
            context["error_form"] = form
            return context
        chosen = form.cleaned_data if asked else initial
        older, newer = sorted((chosen["from"], chosen["to"]))
        html = dict(
            Publication.objects.filter(report=self.report, revision__in=[older, newer])
            .values_list("revision", "html")
        )  # fmt: skip
        by_number = {publication.revision: publication for publication in revisions}
        context.update(
            older=by_number[older], newer=by_number[newer],
            older_label=f"Revision {older}", newer_label=f"Revision {newer}",
            comparison=revisions_compare(html[older], html[newer]),
        )  # fmt: skip
        return context

    def get_breadcrumbs(self):
        return [
            PAPERS,
            (self.report.title, self.report.get_absolute_url()),
            ("Revisions", reverse("reports:paper_revisions", args=[self.report.pk])),
        ]


def pdf_filename(report: Report) -> str:
    day = report.panel_meeting.date.isoformat()
    return f"{day} {slugify(report.title)}.pdf"


class ReportPDFView(View):
    def get(self, request, pk):
        report = visible_report(request.user, pk)
        publication = report.latest_publication() if report.is_published else None
        if publication is None:
            pdf = rendering.render_paper_pdf(report, draft=True)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="DRAFT {pdf_filename(report)}"'
            response["Cache-Control"] = "no-store"
            return response
        stored = StoredFile(
            name=publication.pdf.name, sha256=publication.sha256, size=publication.pdf_size,
            modified=publication.published_at, content_type=PDF, filename=pdf_filename(report),
        )  # fmt: skip
        return stored_pdf_response(request, stored, publication.pdf.storage, report.is_exempt)


def stored_pdf_response(request, stored: StoredFile, storage, private: bool):
    """A stored PDF to a reader the view has let see it; 404 if the file has gone missing."""
    try:
        return stored_file_response(request, stored, private=private, storage=storage)
    except FileNotFoundError:
        raise Http404("The stored PDF is missing.") from None


class PublishView(PermissionMixin, PageMixin, TemplateView):
    """Asks first, saying what the public will see; publishes (or withdraws) on POST."""

    permission = PUBLISH_REPORT
    template_name = "reports/report_publish.html"
    action = "publish"

    def get_report(self):
        return get_object_or_404(
            Report.objects.select_related("panel_meeting"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        report = pending_apply(self.get_report())  # the paper as it would be published
        context = super().get_context_data(**kwargs)
        context.update(
            report=report, action=self.action,
            problems=services.publish_problems(report) if self.action == "publish" else [],
            pending=pending_summary(report) if self.action == "publish" else None,
            sections_changed=services.sections_changed_since_published(report)
            if self.action == "publish"
            else [],
            revision=services.report_next_revision(report),
            held_item=services.paper_held_item(report) if self.action == "publish" else None,
            empty_sections=rendering.paper_context(report)["empty_sections"]
            if self.action == "publish"
            else [],
            page_title=f"{'Publish' if self.action == 'publish' else 'Withdraw'} “{report.title}”",
        )  # fmt: skip
        return context

    def post(self, request, pk):
        report = self.get_report()
        try:
            if self.action == "publish":
                publishing = report_publish_request(report=report, user=request.user)
                if publishing.state == PaperPublishing.State.FAILED:
                    raise ValidationError(publishing.problem)  # tasks that ran at once
                _publishing_message(request, publishing)
            else:
                services.report_withdraw(report=report, user=request.user)
                messages.success(request, "Withdrawn: only office staff can see it now.")
        except ValidationError as error:
            context = self.get_context_data()
            context["problems"] = error.messages
            return self.render_to_response(context, status=400)
        return redirect(report.get_absolute_url())


class WithdrawView(PublishView):
    action = "withdraw"


def _publishing_message(request, publishing: PaperPublishing) -> None:
    """What the approver reads back on the paper's page: done already (tasks that run at once)
    or on its way."""
    if publishing.state == PaperPublishing.State.PUBLISHED:
        revision = publishing.publication.revision
        messages.success(request, f"Published as revision {revision}.")
    else:
        messages.success(
            request, "Publishing… The new revision appears on this page when it is ready."
        )


class PublishingStatusView(PermissionMixin, View):
    """/reports/<pk>/publishing/: how the paper's latest request to publish it is going, as
    JSON, for the paper's page to follow while it waits; office staff only."""

    permission = CHANGE_REPORT

    def get(self, request, pk):
        report = get_object_or_404(Report, pk=pk)
        publishing = report.publishings.first()
        if publishing is None:
            raise Http404("Nobody has asked to publish this paper.")
        response = JsonResponse(
            {
                "state": publishing.state,
                "label": publishing.get_state_display(),
                "attempts": publishing.attempts,
                "finished": not publishing.unfinished or publishing.abandoned,
            }
        )
        response["Cache-Control"] = "no-store"
        return response


def _stale_message(request, stale: StaleRecord) -> None:
    messages.error(
        request,
        "This paper changed since you opened it, so nothing was done. Check it and try again.",
    )


class SubmitView(PermissionMixin, View):
    """POST only: staff submit a draft or returned paper for approval."""

    permission = CHANGE_REPORT
    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(Report, pk=pk)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.report_submit(report=report, user=request.user, expected_version=version)
        except StaleRecord as stale:
            _stale_message(request, stale)
        except PermissionDenied as refusal:
            messages.error(request, str(refusal) or "That cannot be done now.")
        else:
            messages.success(request, "Paper submitted for approval. An approver will publish "
                             "it or return it to you with a reason.")  # fmt: skip
        return redirect(report.get_absolute_url())


class ReturnView(PermissionMixin, PageMixin, FormView):
    """An approver returns a paper waiting for approval to staff, with a reason (required)."""

    permission = PUBLISH_REPORT
    form_class = ReturnForm
    template_name = "components/form_page.html"

    def dispatch(self, request, *args, **kwargs):
        self.report = get_object_or_404(
            Report.objects.select_related("panel_meeting"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"version": self.report.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=f"Return “{self.report.title}” to staff",
            caption=f"Panel meeting of {self.report.panel_meeting.date:%-d %B %Y}",
            cancel_url=self.report.get_absolute_url(),
        )
        return context

    def get_breadcrumbs(self):
        return [PAPERS, (self.report.title, self.report.get_absolute_url())]

    def form_valid(self, form):
        try:
            services.report_return(
                report=self.report, user=self.request.user,
                reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleRecord as stale:
            _stale_message(self.request, stale)
        except PermissionDenied as refusal:
            messages.error(self.request, str(refusal) or "That cannot be done now.")
        else:
            messages.success(self.request, "Paper returned to staff with your reason.")
        return redirect(self.report.get_absolute_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AgendaPackView(View):
    """/scrutiny/panel/<date>/pack.pdf (the latest) and .../pack-<number>.pdf (an earlier one):
    the meeting's agenda reports pack for the reader's audience, as stored when it was rendered.
    The reader never waits for a render: with none stored yet, a page says so."""

    def get(self, request, date, number=None):
        meeting = panel_meeting_on(date, request.user)
        packs = Pack.objects.visible_to(request.user).filter(meeting=meeting)
        pack = packs.filter(number=number).first() if number else packs.order_by("-number").first()
        if pack is None:
            if number:
                raise Http404("No such pack.")
            context = {"meeting": meeting, "page_title": "The agenda reports pack is not ready"}
            return render(request, "reports/pack_missing.html", context, status=404)
        stored = StoredFile(
            name=pack.pdf.name, sha256=pack.sha256, size=pack.pdf_size, modified=pack.created_at,
            content_type=PDF, filename=f"{meeting.date.isoformat()} {pack.label.lower()}.pdf",
        )  # fmt: skip
        private = pack.audience == Pack.Audience.MEMBERS
        return stored_pdf_response(request, stored, pack.pdf.storage, private)


class PlanPDFView(View):
    """/plan/<plan>.pdf: the Police and Crime Plan rendered from its data."""

    def get(self, request, plan):
        found = get_object_or_404(Plan.objects.visible_to(request.user), slug=plan)
        response = HttpResponse(plan_pdf(found), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="police-and-crime-plan-{found.slug}.pdf"'
        )
        return response
