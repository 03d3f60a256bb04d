"""The register of duties (/transparency/), a duty's documents, and the monthly grants pages
with their CSV files."""

import csv

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from decisions import duty_services as services
from decisions.duties import DOCUMENT_TYPES, Duty, DutyDocument
from decisions.duty_forms import DutyDocumentForm
from decisions.permissions import ADD_DUTY_DOCUMENT, CHANGE_DUTY_DOCUMENT, PUBLISH_DUTY_DOCUMENT
from funding.exports import csv_cell, export_response
from pcc_portal.mixins import FormUserMixin, PageMixin, PublicationView, RecordFormMixin
from pcc_portal.publication import publication_context

REGISTER = ("Register of duties", reverse_lazy("transparency:register"))
GRANTS = ("Grants by month", reverse_lazy("transparency:grants"))


class RegisterView(PageMixin, TemplateView):
    """/transparency/: every duty, its legal basis, how often, what the portal holds, when it
    was last published, when the next is due and where it stands."""

    template_name = "decisions/duties/register.html"
    page_title = "Register of duties"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = services.duty_statuses(timezone.localdate())
        context["today"] = timezone.localdate()
        context["can_add"] = self.request.user.has_perm(ADD_DUTY_DOCUMENT)
        return context


class DutyDetailView(PageMixin, ListView):
    """/transparency/duties/<slug>/: a duty, where it stands, and its documents (staff see
    drafts too)."""

    template_name = "decisions/duties/duty_detail.html"
    paginate_by = 25

    def get_duty(self) -> Duty:
        if not hasattr(self, "_duty"):
            self._duty = get_object_or_404(Duty, slug=self.kwargs["slug"])
        return self._duty

    def get_queryset(self):
        return DutyDocument.objects.visible_to(self.request.user).filter(duty=self.get_duty())

    def get_page_title(self):
        return self.get_duty().title

    def get_breadcrumbs(self):
        return [REGISTER]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        duty = self.get_duty()
        context.update(
            duty=duty,
            status=services.duty_status(duty, timezone.localdate()),
            can_add=duty.takes_documents and self.request.user.has_perm(ADD_DUTY_DOCUMENT),
        )
        return context


class DocumentDetailView(PageMixin, TemplateView):
    """/transparency/documents/<pk>/: a document of a duty; the public sees it once an
    approver has published it."""

    template_name = "decisions/duties/document_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        document = get_object_or_404(
            DutyDocument.objects.visible_to(user).select_related("duty"), pk=self.kwargs["pk"]
        )
        context = super().get_context_data(**kwargs)
        context.update(
            document=document,
            page_title=document.title,
            can_edit=user.has_perm(CHANGE_DUTY_DOCUMENT),
            can_publish=user.has_perm(PUBLISH_DUTY_DOCUMENT),
            **publication_context(document, user),
        )
        return context

    def get_breadcrumbs(self):
        return [REGISTER]


class DocumentFileView(View):
    """A document's file, to whoever may see the document (files are never served directly)."""

    def get(self, request, pk):
        document = get_object_or_404(DutyDocument.objects.visible_to(request.user), pk=pk)
        if not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        suffix = document.file_suffix
        filename = f"{document.title}{suffix}".replace("/", "-")
        return FileResponse(
            handle,
            as_attachment=suffix != ".pdf",
            filename=filename,
            content_type=DOCUMENT_TYPES.get(suffix, "application/octet-stream"),
        )


class DocumentFormMixin(FormUserMixin, RecordFormMixin):
    form_class = DutyDocumentForm

    def get_breadcrumbs(self):
        return [REGISTER]

    def save(self, form):
        return services.duty_document_save(
            document=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )


class DocumentCreateView(DocumentFormMixin, CreateView):
    permission = ADD_DUTY_DOCUMENT
    page_title = "Add a document"
    success_message = "Document added. An approver publishes it."

    def get_duty(self) -> Duty:
        if not hasattr(self, "_duty"):
            self._duty = get_object_or_404(
                Duty.objects.filter(source="document"), slug=self.kwargs["slug"]
            )
        return self._duty

    def get_caption(self):
        return self.get_duty().title

    def get_cancel_url(self):
        return self.get_duty().get_absolute_url()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = DutyDocument(duty=self.get_duty())
        return kwargs


class DocumentUpdateView(DocumentFormMixin, UpdateView):
    permission = CHANGE_DUTY_DOCUMENT
    model = DutyDocument
    page_title = "Change the document"
    success_message = "Document saved."

    def get_queryset(self):
        return DutyDocument.objects.select_related("duty")

    def get_caption(self):
        return self.object.duty.title

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class DocumentPublicationView(PublicationView):
    def get_root(self):
        return get_object_or_404(DutyDocument, pk=self.kwargs["pk"])

    def get_breadcrumbs(self):
        return [REGISTER, (self.root.title, self.root.get_absolute_url())]


class GrantMonthsView(PageMixin, TemplateView):
    """/transparency/grants/: the months with grants from the Commissioner's own funds."""

    template_name = "decisions/duties/grant_months.html"
    page_title = "Grants by month"

    def get_breadcrumbs(self):
        return [REGISTER]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["months"] = services.grant_months()
        context["threshold"] = services.grants_threshold()
        return context


def month_of(value: str) -> tuple[int, int]:
    """(year, month) of a yyyy-mm path segment; a month that does not exist is a 404."""
    year, month = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12 or year < 1:
        raise Http404("There is no such month.")
    return year, month


class GrantMonthView(PageMixin, TemplateView):
    """/transparency/grants/<yyyy-mm>/: the month's grants at or over the threshold."""

    template_name = "decisions/duties/grant_month.html"

    def get(self, request, *args, **kwargs):
        self.data = services.grants_month(*month_of(self.kwargs["month"]))
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return f"Grants made in {self.data['month']:%B} {self.data['month'].year}"

    def get_breadcrumbs(self):
        return [REGISTER, GRANTS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.data)
        context["csv_url"] = reverse(
            "transparency:grants_month_csv", kwargs={"month": self.kwargs["month"]}
        )
        return context


CSV_COLUMNS = ["date", "recipient", "amount", "title", "purpose", "fund", "identifier"]


def grants_month_csv(request, month: str):
    """/transparency/grants/<yyyy-mm>.csv: the same rows as the month's page."""
    year, number = month_of(month)
    data = services.grants_month(year, number)

    def write(out):
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for award in data["awards"]:
            row = [award.award_date.isoformat(), award.organisation.name, f"{award.amount:.2f}",
                   award.title, award.purpose, award.fund.name, award.grant_identifier]  # fmt: skip
            writer.writerow([csv_cell(value) for value in row])

    return export_response(
        write,
        filename=f"grants-{year:04d}-{number:02d}.csv",
        content_type="text/csv; charset=utf-8",
        as_attachment=True,
    )


# Mounted at /transparency/ (decisions/urls.py transparency_urlpatterns): route, view, name.
ROUTES = [
    ("", RegisterView.as_view(), "register"),
    ("grants/", GrantMonthsView.as_view(), "grants"),
    ("grants/<yyyymm:month>/", GrantMonthView.as_view(), "grants_month"),
    ("grants/<yyyymm:month>.csv", grants_month_csv, "grants_month_csv"),
    ("duties/<slug:slug>/", DutyDetailView.as_view(), "duty"),
    ("duties/<slug:slug>/documents/new/", DocumentCreateView.as_view(), "document_create"),
    ("documents/<int:pk>/", DocumentDetailView.as_view(), "document"),
    ("documents/<int:pk>/edit/", DocumentUpdateView.as_view(), "document_edit"),
    ("documents/<int:pk>/file", DocumentFileView.as_view(), "document_file"),
    ("documents/<int:pk>/publication/", DocumentPublicationView.as_view(), "document_publication"),
]
