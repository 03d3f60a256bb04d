"""Composing a paper in the browser: its fields, then sections added, edited, moved, removed."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import CreateView, DeleteView, UpdateView

from pcc_portal.mixins import (
    ConfirmDeleteMixin,
    FormUserMixin,
    PermissionMixin,
    RecordFormMixin,
)
from reports.forms import ReportForm, SectionForm
from reports.models import Report, ReportSection
from reports.permissions import (
    ADD_REPORT,
    ADD_SECTION,
    CHANGE_REPORT,
    CHANGE_SECTION,
    DELETE_SECTION,
)
from reports.sections import kind_choices, section_errors, section_kind
from reports.services import (
    paper_save,
    section_add,
    section_move,
    section_remove,
    section_save,
)
from scrutiny.models import PanelMeeting

PAPERS = ("Papers", reverse_lazy("reports:papers"))


def sections_url(report_id: int) -> str:
    return reverse("reports:paper_edit", kwargs={"pk": report_id}) + "#sections"


class ReportFormMixin(RecordFormMixin):
    model = Report
    form_class = ReportForm
    template_name = "reports/report_form.html"

    def save(self, form):
        return paper_save(
            report=form.save(commit=False), user=self.request.user,
            quarter=form.cleaned_data.get("quarter"), new_item=form.new_item,
            **self.save_options(form),
        )  # fmt: skip

    def get_breadcrumbs(self):
        return [PAPERS]

    def get_success_url(self):
        return reverse("reports:paper_edit", kwargs={"pk": self.object.pk})


class ReportCreateView(ReportFormMixin, CreateView):
    permission = ADD_REPORT
    page_title = "Compose a paper"
    success_message = "Paper saved as a draft. Now add its sections."
    cancel_url = reverse_lazy("reports:papers")

    def get_initial(self):
        """`?panel_meeting=<id>` chooses the meeting, and so the paper's place on its agenda."""
        initial = super().get_initial()
        meeting = self.request.GET.get("panel_meeting", "")
        if meeting.isdigit() and len(meeting) < 10:
            initial["panel_meeting"] = PanelMeeting.objects.filter(pk=meeting).first()
        return initial


class ReportUpdateView(ReportFormMixin, UpdateView):
    permission = CHANGE_REPORT
    page_title = "Edit the paper"
    success_message = "Paper saved."

    def get_queryset(self):
        return Report.objects.select_related("panel_meeting", "period")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = list(self.object.sections.all())
        context["sections"] = [(section, section_errors(section)) for section in sections]
        context["kinds"] = kind_choices()
        return context

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class SectionFormMixin(FormUserMixin, RecordFormMixin):
    form_class = SectionForm

    def get_kind(self) -> str:
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.get_kind()}

    def get_success_url(self):
        return sections_url(self.object.report_id)

    def get_breadcrumbs(self):
        report = self.get_report()
        return [PAPERS, (report.title, reverse("reports:paper_edit", kwargs={"pk": report.pk}))]

    def get_cancel_url(self):
        return reverse("reports:paper_edit", kwargs={"pk": self.get_report().pk})

    def get_caption(self):
        return section_kind(self.get_kind()).label


class SectionCreateView(SectionFormMixin, CreateView):
    permission = ADD_SECTION
    page_title = "Add a section"
    success_message = "Section added."

    def get_report(self) -> Report:
        if not hasattr(self, "_report"):
            self._report = get_object_or_404(Report, pk=self.kwargs["pk"])
        return self._report

    def get_kind(self) -> str:
        kind = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        return section_kind(kind).value  # a kind not known is plain text

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ReportSection(report=self.get_report(), kind=self.get_kind())
        return kwargs

    def save(self, form):
        return section_add(
            section=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )


class SectionUpdateView(SectionFormMixin, UpdateView):
    permission = CHANGE_SECTION
    model = ReportSection
    page_title = "Edit the section"
    success_message = "Section saved."

    def get_report(self):
        return self.get_object().report

    def get_object(self, queryset=None):
        if not hasattr(self, "_section"):
            self._section = get_object_or_404(
                ReportSection.objects.select_related("report"), pk=self.kwargs["pk"]
            )
        return self._section

    def get_kind(self):
        return self.get_object().kind

    def save(self, form):
        return section_save(section=form.save(commit=False), user=self.request.user,
                            **self.save_options(form))  # fmt: skip


class SectionDeleteView(ConfirmDeleteMixin, DeleteView):
    permission = DELETE_SECTION
    model = ReportSection
    page_title = "Remove this section?"
    success_message = "Section removed."

    def get_success_url(self):
        return sections_url(self.object.report_id)

    def delete_record(self) -> bool:
        return section_remove(section=self.object, user=self.request.user)


class SectionMoveView(PermissionMixin, View):
    """Moves a section up or down one place (POST), keeping the order 1, 2, 3 ..."""

    permission = CHANGE_SECTION
    http_method_names = ["post"]

    def post(self, request, pk):
        section = get_object_or_404(ReportSection, pk=pk)
        up = request.POST.get("direction") == "up"
        if section_move(section=section, user=request.user, up=up):
            messages.success(request, "Section moved.")
        return redirect(sections_url(section.report_id))
