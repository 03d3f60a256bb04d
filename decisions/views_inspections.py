"""The HMICFRS inspections pages: the list with the comments clock, an inspection with its
recommendations, and the staff pages that record them and raise actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.generic import CreateView, DeleteView, TemplateView, UpdateView
from django_filters.views import FilterView

from decisions import inspection_selectors as selectors
from decisions import inspection_services as services
from decisions.inspection_filters import InspectionFilter
from decisions.inspection_forms import InspectionForm, RaiseActionForm, RecommendationForm
from decisions.inspection_history import inspection_history
from decisions.inspections import Inspection, InspectionRecommendation
from decisions.permissions import (
    ADD_INSPECTION,
    CHANGE_INSPECTION,
    DELETE_INSPECTION,
    PUBLISH_INSPECTION,
)
from pcc_portal.mixins import (
    ConfirmDeleteMixin,
    FilteredListMixin,
    FormUserMixin,
    PageMixin,
    PermissionMixin,
    PublicationView,
    RecordFormMixin,
)
from pcc_portal.publication import publication_context
from scrutiny.models import Action
from scrutiny.permissions import ADD_ACTION

INSPECTIONS = ("HMICFRS inspections", reverse_lazy("decisions:inspections"))


class InspectionListView(FilteredListMixin, PageMixin, FilterView):
    """/decisions/inspections/: every inspection report, newest first, with the clock on the
    Commissioner's comments."""

    filterset_class = InspectionFilter
    template_name = "decisions/inspection_list.html"
    paginate_by = 25
    page_title = "HMICFRS inspections"

    def get_queryset(self):
        return selectors.inspection_rows(self.request.user).order_by(
            "-published_on", "-pk"
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.inspection_list_rows(
            context["object_list"], user=self.request.user, today=timezone.localdate()
        )
        context["can_add"] = self.request.user.has_perm(ADD_INSPECTION)
        return context


class InspectionDetailView(PageMixin, TemplateView):
    """/decisions/inspections/<pk>/: the report, its recommendations and areas for
    improvement, and the comments. The office's responses and comments are shown to the
    public once an approver publishes them."""

    template_name = "decisions/inspection_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        inspection = get_object_or_404(Inspection.objects.visible_to(user), pk=self.kwargs["pk"])
        context = super().get_context_data(**kwargs)
        context.update(
            inspection=inspection,
            page_title=inspection.title,
            can_edit=user.has_perm(CHANGE_INSPECTION),
            can_delete=user.has_perm(DELETE_INSPECTION),
            can_delete_whole=user.has_perm(DELETE_INSPECTION)
            and services.inspection_deletion_refusal(inspection) is None,
            can_publish=user.has_perm(PUBLISH_INSPECTION),
            can_raise=user.has_perm(ADD_ACTION) and user.has_perm(CHANGE_INSPECTION),
            **selectors.inspection_detail(inspection, user=user, today=timezone.localdate()),
            **publication_context(inspection, user),
        )
        return context

    def get_breadcrumbs(self):
        return [INSPECTIONS]


class InspectionFormMixin(FormUserMixin, RecordFormMixin):
    form_class = InspectionForm
    cancel_url = reverse_lazy("decisions:inspections")

    def get_breadcrumbs(self):
        return [INSPECTIONS]

    def save(self, form):
        return services.inspection_save(
            inspection=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )


class InspectionCreateView(InspectionFormMixin, CreateView):
    permission = ADD_INSPECTION
    page_title = "Record an HMICFRS inspection report"
    success_message = "Inspection report recorded."


class InspectionUpdateView(InspectionFormMixin, UpdateView):
    permission = CHANGE_INSPECTION
    model = Inspection
    page_title = "Change the inspection report"
    success_message = "Inspection report saved."

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class InspectionPublicationView(PublicationView):
    """Publishing an inspection publishes the office's part of it: HMICFRS publishes the
    report and its recommendations, so everyone sees those whether or not it is published."""

    published_for_all = False
    unpublished_status = (
        "Everyone sees the report and its recommendations; only office staff see the office's "
        "responses and the Commissioner's comments."
    )
    publish_effect = (
        "Publishing shows the office's responses and the Commissioner's comments, as they "
        "stand now, to panel members and the public. The report and its recommendations are "
        "public already, as HMICFRS publishes them."
    )
    unpublish_question = (
        "Unpublish the office's responses? Panel members and the public will no longer see the "
        "office's responses or the Commissioner's comments. The report and its recommendations "
        "stay public."
    )
    unpublished_message = (
        "Unpublished: only office staff see the office's responses and the comments now. The "
        "report and its recommendations stay public."
    )

    def get_root(self):
        return get_object_or_404(Inspection, pk=self.kwargs["pk"])

    def get_breadcrumbs(self):
        return [INSPECTIONS, (self.root.title, self.root.get_absolute_url())]


class InspectionHistoryView(PermissionMixin, PageMixin, TemplateView):
    """/decisions/inspections/<pk>/history/, for staff: who changed the report, its comments
    and its recommendations (deleted ones too), when, and which fields."""

    permission = CHANGE_INSPECTION
    template_name = "decisions/inspection_history.html"

    def get_context_data(self, **kwargs):
        self.inspection = get_object_or_404(Inspection, pk=self.kwargs["pk"])
        context = super().get_context_data(**kwargs)
        context.update(
            inspection=self.inspection,
            page_title=f"History of “{self.inspection.title}”",
            history=inspection_history(self.inspection),
        )
        return context

    def get_breadcrumbs(self):
        return [INSPECTIONS, (self.inspection.title, self.inspection.get_absolute_url())]


class InspectionDeleteView(ConfirmDeleteMixin, DeleteView):
    """Deletes an inspection whole, with its recommendations, while the office's part of it
    is unpublished; says what goes with it and that raised actions stay."""

    permission = DELETE_INSPECTION
    success_message = "Inspection report deleted, with its recommendations."
    success_url = reverse_lazy("decisions:inspections")

    def get_object(self, queryset=None):
        inspection = get_object_or_404(Inspection, pk=self.kwargs["pk"])
        if refusal := services.inspection_deletion_refusal(inspection):
            raise PermissionDenied(refusal)
        return inspection

    def get_page_title(self):
        return f"Delete “{self.object.title}”?"

    def get_breadcrumbs(self):
        return [INSPECTIONS, (self.object.title, self.object.get_absolute_url())]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consequence"] = deletion_consequence(**selectors.inspection_deletion(self.object))
        context["cancel_url"] = self.object.get_absolute_url()
        return context

    def delete_record(self) -> bool:
        services.inspection_delete(inspection=self.object, user=self.request.user)
        return True


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def deletion_consequence(*, recommendations: int, areas: int, actions: int) -> str:
    """What deleting an inspection does, in words, for its confirmation page."""
    words = "the report and its comments are deleted"
    if recommendations or areas:
        words = (
            f"the report, its comments, {_count(recommendations, 'recommendation')} and "
            f"{_count(areas, 'area for improvement', 'areas for improvement')} are deleted"
        )
    if actions:
        stays = "stays" if actions == 1 else "stay"
        words += (
            f". The {_count(actions, 'action')} raised for them {stays} in the action tracker, "
            "but will no longer say which recommendation it was raised for"
        )
    return words


class InspectionPartMixin:
    """Pages under an inspection: /decisions/inspections/<pk>/..."""

    def get_inspection(self) -> Inspection:
        if not hasattr(self, "_inspection"):
            self._inspection = get_object_or_404(Inspection, pk=self.kwargs["pk"])
        return self._inspection

    def get_breadcrumbs(self):
        inspection = self.get_inspection()
        return [INSPECTIONS, (inspection.title, inspection.get_absolute_url())]

    def get_caption(self):
        return self.get_inspection().title

    def get_cancel_url(self):
        return self.get_inspection().get_absolute_url()

    def get_success_url(self):
        return self.get_inspection().get_absolute_url()


class RecommendationFormMixin(InspectionPartMixin, FormUserMixin, RecordFormMixin):
    form_class = RecommendationForm
    permission = CHANGE_INSPECTION

    def save(self, form):
        return services.recommendation_save(
            recommendation=form.save(commit=False),
            user=self.request.user,
            **self.save_options(form),
        )


class RecommendationCreateView(RecommendationFormMixin, CreateView):
    page_title = "Add a recommendation or area for improvement"
    success_message = "Recommendation added."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = InspectionRecommendation(inspection=self.get_inspection())
        return kwargs


class RecommendationUpdateView(RecommendationFormMixin, UpdateView):
    page_title = "Change the recommendation"
    success_message = "Recommendation saved."

    def get_object(self, queryset=None):
        return get_object_or_404(
            InspectionRecommendation, pk=self.kwargs["rec"], inspection=self.get_inspection()
        )


class RecommendationDeleteView(InspectionPartMixin, ConfirmDeleteMixin, DeleteView):
    permission = DELETE_INSPECTION
    success_message = "Recommendation deleted."

    def get_object(self, queryset=None):
        return get_object_or_404(
            InspectionRecommendation, pk=self.kwargs["rec"], inspection=self.get_inspection()
        )

    def get_page_title(self):
        return f"Delete “{self.object}”?"

    def delete_record(self) -> bool:
        return services.recommendation_delete(recommendation=self.object, user=self.request.user)


class RaiseActionView(InspectionPartMixin, FormUserMixin, RecordFormMixin, CreateView):
    """Raises an action in the action tracker for a recommendation, at a scrutiny meeting
    staff choose; the action and the recommendation then name each other."""

    form_class = RaiseActionForm
    permission = ADD_ACTION
    page_title = "Raise an action for the recommendation"
    success_message = "Action raised in the action tracker."

    def get_recommendation(self) -> InspectionRecommendation:
        if not hasattr(self, "_recommendation"):
            self._recommendation = get_object_or_404(
                InspectionRecommendation, pk=self.kwargs["rec"], inspection=self.get_inspection()
            )
        return self._recommendation

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        recommendation = self.get_recommendation()
        kwargs["instance"] = Action()
        if self.request.method != "POST":
            kwargs["initial"] = {
                "description": f"HMICFRS {recommendation}: {recommendation.text}"[:2000],
                "owner": recommendation.owner,
            }
        return kwargs

    def get_caption(self):
        return f"{self.get_inspection().title}: {self.get_recommendation()}"

    def save(self, form):
        return services.recommendation_action_raise(
            recommendation=self.get_recommendation(),
            action=form.save(commit=False),
            user=self.request.user,
        )

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.object.get_absolute_url())


# Under /decisions/ (decisions/urls.py): route, view, name.
ROUTES = [
    ("", InspectionListView, "inspections"),
    ("new/", InspectionCreateView, "inspection_create"),
    ("<int:pk>/", InspectionDetailView, "inspection"),
    ("<int:pk>/edit/", InspectionUpdateView, "inspection_edit"),
    ("<int:pk>/publication/", InspectionPublicationView, "inspection_publication"),
    ("<int:pk>/history/", InspectionHistoryView, "inspection_history"),
    ("<int:pk>/delete/", InspectionDeleteView, "inspection_delete"),
    ("<int:pk>/recommendations/new/", RecommendationCreateView, "recommendation_create"),
    ("<int:pk>/recommendations/<int:rec>/edit/", RecommendationUpdateView, "recommendation_edit"),
    (
        "<int:pk>/recommendations/<int:rec>/delete/",
        RecommendationDeleteView,
        "recommendation_delete",
    ),
    ("<int:pk>/recommendations/<int:rec>/action/", RaiseActionView, "recommendation_action"),
]
