from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.views import View
from django.views.generic import CreateView, DeleteView, FormView, TemplateView, UpdateView
from django_filters.views import FilterView

from decisions import notices, selectors, services
from decisions.filters import DecisionFilter
from decisions.forms import DecisionForm, ForwardPlanEntryForm, ReturnForm
from decisions.models import Decision, ForwardPlanEntry
from decisions.permissions import (
    ADD_DECISION,
    ADD_ENTRY,
    CHANGE_DECISION,
    CHANGE_ENTRY,
    DELETE_DECISION,
    PUBLISH_DECISION,
)
from pcc_portal.feeds import FeedLink
from pcc_portal.forms import PublicationForm
from pcc_portal.markdown import render_markdown
from pcc_portal.mixins import (
    ConfirmDeleteMixin,
    FilteredListMixin,
    FormUserMixin,
    PageMixin,
    PermissionMixin,
    PublicationView,
    RecordFormMixin,
)
from pcc_portal.models import OfficeProfile
from pcc_portal.people import display_name
from pcc_portal.permissions import VIEW_EXEMPT
from pcc_portal.publication import pending_apply, pending_summary, publication_context
from pcc_portal.services import StaleRecord

DECISIONS = ("Decisions", reverse_lazy("decisions:decisions"))
FORWARD_PLAN = ("Forward plan", reverse_lazy("decisions:forward_plan"))


def decision_rows():
    return Decision.objects.select_related("signed_by", "returned_by")


def visible_decision(user, **lookup) -> Decision:
    """The decision if the user may see it: 404 otherwise (a draft does not leak)."""
    return get_object_or_404(decision_rows().visible_to(user), **lookup)


class DecisionListView(FilteredListMixin, PageMixin, FilterView):
    """/decisions/: published decisions (staff see every one), filtered."""

    filterset_class = DecisionFilter
    template_name = "decisions/decision_list.html"
    context_object_name = "decisions"
    paginate_by = 25
    page_title = "Decisions"

    def get_queryset(self):
        return (
            Decision.objects.visible_to(self.request.user)
            .with_spending()
            .order_by(F("decision_date").desc(nulls_last=True), "-financial_year", "-number", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm(ADD_DECISION)
        context["feeds"] = [decisions_feed_link()]
        return context


class DecisionDetailView(PageMixin, TemplateView):
    """/decisions/2021/014/: the decision notice. The exempt part only to those who may see
    exempt items; the public read that part was withheld, and why."""

    template_name = "decisions/decision_detail.html"

    def get_context_data(self, **kwargs):
        if "reference" in self.kwargs:
            decision = visible_decision(self.request.user, reference=self.kwargs["reference"])
        else:
            decision = visible_decision(self.request.user, pk=self.kwargs["pk"])
        self.decision = decision
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            decision=decision,
            page_title=decision.title,
            sees_exempt=user.has_perm(VIEW_EXEMPT),
            can_edit=user.has_perm(CHANGE_DECISION),
            actions=services.allowed_actions(decision=decision, user=user),
            signed_by=display_name(decision.signed_by) if decision.signed_by_id else "",
            returned_by=display_name(decision.returned_by) if decision.returned_by_id else "",
            **selectors.decision_detail(decision, user),
            **publication_context(decision, user),
            **notices.notice_downloads(decision, user),
            feeds=[decisions_feed_link()],
        )
        return context

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if "pk" in kwargs and self.decision.reference:
            return redirect(self.decision.get_absolute_url())
        return self.render_to_response(context)

    def get_breadcrumbs(self):
        return [DECISIONS]


class DecisionFormMixin(FormUserMixin, RecordFormMixin):
    form_class = DecisionForm

    def get_breadcrumbs(self):
        return [DECISIONS]

    def save(self, form):
        return services.decision_save(
            decision=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)


class DecisionCreateView(DecisionFormMixin, CreateView):
    permission = ADD_DECISION
    page_title = "Record a decision"
    success_message = "Decision saved as a draft."
    cancel_url = reverse_lazy("decisions:decisions")


class DecisionUpdateView(DecisionFormMixin, UpdateView):
    permission = CHANGE_DECISION
    page_title = "Change the decision"
    success_message = "Decision saved."

    def get_object(self, queryset=None):
        decision = get_object_or_404(Decision, pk=self.kwargs["pk"])
        if refusal := services.decision_edit_refusal(decision=decision, user=self.request.user):
            raise PermissionDenied(refusal)
        return decision

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def get_caption(self):
        return self.object.reference or "Not yet signed"


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


class WorkflowStepView(PermissionMixin, View):
    """POST only: submit (staff) or sign (approvers) a decision."""

    http_method_names = ["post"]
    step = "submit"

    @property
    def permission(self):
        return CHANGE_DECISION if self.step == "submit" else PUBLISH_DECISION

    def post(self, request, pk):
        decision = get_object_or_404(Decision, pk=pk)
        step = services.decision_submit if self.step == "submit" else services.decision_sign
        try:
            decision = step(
                decision=decision, user=request.user, expected_version=_version(request)
            )
        except StaleRecord:
            messages.error(request, "This decision changed since you opened it, so nothing was "
                           "done. Check it and try again.")  # fmt: skip
        except PermissionDenied as refusal:
            messages.error(request, str(refusal) or "That cannot be done now.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Decision submitted to the decision maker to sign."
                if self.step == "submit"
                else f"Signed. The decision's reference is {decision.reference}.",
            )
        return redirect(decision.get_absolute_url())


class DecisionReturnView(PermissionMixin, PageMixin, FormView):
    permission = PUBLISH_DECISION
    form_class = ReturnForm
    template_name = "components/form_page.html"

    def dispatch(self, request, *args, **kwargs):
        self.decision = get_object_or_404(Decision, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"version": self.decision.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=f"Return “{self.decision.title}” to staff",
            cancel_url=self.decision.get_absolute_url(),
        )
        return context

    def get_breadcrumbs(self):
        return [DECISIONS, (self.decision.title, self.decision.get_absolute_url())]

    def form_valid(self, form):
        try:
            services.decision_return(
                decision=self.decision, user=self.request.user,
                reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleRecord:
            messages.error(self.request, "This decision changed since you opened it, so "
                           "nothing was done. Check it and try again.")  # fmt: skip
        except PermissionDenied as refusal:
            messages.error(self.request, str(refusal) or "That cannot be done now.")
        else:
            messages.success(self.request, "Decision returned to staff with your reason.")
        return redirect(self.decision.get_absolute_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DecisionPublishView(PermissionMixin, PageMixin, TemplateView):
    """Asks first, saying what the public will see (and the corrections waiting, for a
    published decision); publishes on POST."""

    permission = PUBLISH_DECISION
    template_name = "decisions/decision_publish.html"

    def dispatch(self, request, *args, **kwargs):
        self.decision = get_object_or_404(Decision, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        decision = pending_apply(self.decision)
        pending = pending_summary(decision)
        problems = kwargs.pop("problems", [])
        if not problems and decision.status not in (Decision.Status.SIGNED,) and not pending:
            problems = ["Only a signed decision, or corrections to a published one, can be "
                        "published."]  # fmt: skip
        context = super().get_context_data(**kwargs)
        context.update(
            decision=decision, pending=pending, problems=problems,
            page_title=f"Publish “{decision.title}”",
        )  # fmt: skip
        return context

    def get_breadcrumbs(self):
        return [DECISIONS, (self.decision.title, self.decision.get_absolute_url())]

    def post(self, request, pk):
        form = PublicationForm(request.POST)
        # The revision of the corrections the page showed (none: -1, which any waiting refuse).
        reviewed = form.cleaned_data["reviewed"] if form.is_valid() else -1
        try:
            services.decision_publish(decision=self.decision, user=request.user, reviewed=reviewed)
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(problems=error.messages), status=400
            )
        messages.success(request, "Published: everyone can now read the decision notice.")
        return redirect(self.decision.get_absolute_url())


class DecisionDeleteView(ConfirmDeleteMixin, DeleteView):
    permission = DELETE_DECISION
    success_message = "Decision deleted."

    def get_object(self, queryset=None):
        decision = get_object_or_404(Decision, pk=self.kwargs["pk"])
        if decision.status not in services.EDITABLE_BY_STAFF:
            raise PermissionDenied("Only a draft or returned decision can be deleted.")
        return decision

    def get_page_title(self):
        return f"Delete “{self.object.title}”?"

    def get_success_url(self):
        return reverse("decisions:decisions")

    def delete_record(self) -> bool:
        services.decision_delete(decision=self.object, user=self.request.user)
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.object.get_absolute_url()
        return context


def decisions_feed_link() -> FeedLink:
    return FeedLink(title="Decisions (Atom feed)", url=reverse("decisions:feed"))


class DecisionFeed(Feed):
    """/decisions/feed/: the latest published decisions, as Atom. Never the exempt part."""

    feed_type = Atom1Feed
    link = reverse_lazy("decisions:decisions")
    feed_url = reverse_lazy("decisions:feed")

    def title(self):
        return f"Decisions of the {OfficeProfile.load().office_name}"

    def subtitle(self):
        return "Decisions of the Police and Crime Commissioner, as they are published."

    def items(self):
        # Decisions recorded without a publication date (the seeded ones) come last.
        newest = F("published_at").desc(nulls_last=True)
        return Decision.objects.published().order_by(newest, "-pk")[:30]

    def item_title(self, item):
        return f"{item.reference}: {item.title}" if item.reference else item.title

    def item_description(self, item):
        text = render_markdown(item.summary)
        if item.has_exempt_part:
            text += (
                f"<p>Part of this decision is exempt from publication "
                f"({item.get_exemption_display()}).</p>"
            )
        return text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class ForwardPlanView(PageMixin, TemplateView):
    template_name = "decisions/forward_plan.html"
    page_title = "Forward plan of decisions"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            selectors.forward_plan(user),
            can_add=user.has_perm(ADD_ENTRY),
            can_edit=user.has_perm(CHANGE_ENTRY),
            can_record=user.has_perm(ADD_DECISION),
        )
        return context

    def get_breadcrumbs(self):
        return [DECISIONS]


class EntryFormMixin(FormUserMixin, RecordFormMixin):
    form_class = ForwardPlanEntryForm
    cancel_url = reverse_lazy("decisions:forward_plan")

    def get_breadcrumbs(self):
        return [DECISIONS, FORWARD_PLAN]

    def save(self, form):
        return services.entry_save(
            entry=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )


class EntryCreateView(EntryFormMixin, CreateView):
    permission = ADD_ENTRY
    page_title = "Add a decision to the forward plan"
    success_message = "Added to the forward plan. An approver publishes it."


class EntryUpdateView(EntryFormMixin, UpdateView):
    permission = CHANGE_ENTRY
    model = ForwardPlanEntry
    page_title = "Change the forward plan entry"
    success_message = "Forward plan entry saved."


class EntryPublicationView(PublicationView):
    def get_root(self):
        return get_object_or_404(ForwardPlanEntry, pk=self.kwargs["pk"])

    def get_breadcrumbs(self):
        return [DECISIONS, FORWARD_PLAN]


class EntryRecordView(PermissionMixin, View):
    """POST only: "Record the decision" makes a draft decision of a forward plan entry."""

    permission = ADD_DECISION
    http_method_names = ["post"]

    def post(self, request, pk):
        entry = get_object_or_404(ForwardPlanEntry, pk=pk)
        try:
            decision = services.entry_record(entry=entry, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(entry.get_absolute_url())
        messages.success(request, "Draft decision recorded from the forward plan.")
        return redirect(reverse("decisions:decision_edit", kwargs={"pk": decision.pk}))
