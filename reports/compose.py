"""Composing a paper in the browser: its fields, then sections added, edited, moved, removed."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import CreateView, DeleteView, UpdateView

from pcc_portal.mixins import ConfirmDeleteMixin, PermissionMixin, RecordFormMixin
from pcc_portal.services import record_save
from plan.models import ReportingPeriod
from reports.forms import ReportForm, SectionForm
from reports.models import Report, ReportSection
from reports.sections import params_errors

PAPERS = ("Papers", "/reports/")


class ReportFormMixin(RecordFormMixin):
    model = Report
    form_class = ReportForm
    template_name = "reports/report_form.html"

    def save(self, form):
        report = form.save(commit=False)
        quarter = form.cleaned_data.get("quarter")
        report.period = ReportingPeriod.get_or_create_for(*quarter) if quarter else None
        return record_save(instance=report, user=self.request.user, **self.save_options(form))

    def get_breadcrumbs(self):
        return [PAPERS]

    def get_success_url(self):
        return f"/reports/{self.object.pk}/edit/"


class ReportCreateView(ReportFormMixin, CreateView):
    permission = "reports.add_report"
    page_title = "Compose a paper"
    success_message = "Paper saved as a draft. Now add its sections."
    cancel_url = "/reports/"


class ReportUpdateView(ReportFormMixin, UpdateView):
    permission = "reports.change_report"
    page_title = "Edit the paper"
    success_message = "Paper saved."

    def get_queryset(self):
        return Report.objects.select_related("panel_meeting", "period")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = list(self.object.sections.all())
        context["sections"] = [(section, params_errors(section)) for section in sections]
        context["kinds"] = ReportSection.Kind.choices
        return context

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class SectionFormMixin(RecordFormMixin):
    form_class = SectionForm

    def get_kind(self) -> str:
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.get_kind()}

    def get_success_url(self):
        return f"/reports/{self.object.report_id}/edit/#sections"

    def get_breadcrumbs(self):
        report = self.get_report()
        return [PAPERS, (report.title, f"/reports/{report.pk}/edit/")]

    def get_cancel_url(self):
        return f"/reports/{self.get_report().pk}/edit/"

    def get_caption(self):
        return dict(ReportSection.Kind.choices).get(self.get_kind(), "")


class SectionCreateView(SectionFormMixin, CreateView):
    permission = "reports.add_reportsection"
    page_title = "Add a section"
    success_message = "Section added."

    def get_report(self) -> Report:
        if not hasattr(self, "_report"):
            self._report = get_object_or_404(Report, pk=self.kwargs["pk"])
        return self._report

    def get_kind(self) -> str:
        kind = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        return kind if kind in ReportSection.Kind.values else ReportSection.Kind.TEXT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        report = self.get_report()
        kwargs["instance"] = ReportSection(
            report=report, kind=self.get_kind(), order=report.sections.count() + 1
        )
        return kwargs


class SectionUpdateView(SectionFormMixin, UpdateView):
    permission = "reports.change_reportsection"
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


class SectionDeleteView(ConfirmDeleteMixin, DeleteView):
    permission = "reports.delete_reportsection"
    model = ReportSection
    page_title = "Remove this section?"
    success_message = "Section removed."

    def get_success_url(self):
        return f"/reports/{self.object.report_id}/edit/#sections"


class SectionMoveView(PermissionMixin, View):
    """Moves a section up or down one place (POST), keeping the order 1, 2, 3 ..."""

    permission = "reports.change_reportsection"
    http_method_names = ["post"]

    @transaction.atomic
    def post(self, request, pk):
        section = get_object_or_404(ReportSection, pk=pk)
        sections = list(section.report.sections.select_for_update().order_by("order", "pk"))
        index = sections.index(section)
        target = index - 1 if request.POST.get("direction") == "up" else index + 1
        if 0 <= target < len(sections):
            sections[index], sections[target] = sections[target], sections[index]
            for order, item in enumerate(sections, start=1):
                if item.order != order:
                    item.order = order
                    record_save(instance=item, user=request.user, reason="Moved")
            messages.success(request, "Section moved.")
        return redirect(f"/reports/{section.report_id}/edit/#sections")
