"""The action tracker, an action's page with its progress notes, and staff's forms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from pcc_portal.mixins import (
    FilteredListMixin,
    FormUserMixin,
    PageMixin,
    PermissionMixin,
    RecordFormMixin,
)
from pcc_portal.slots import ACTION_PAGE, fill
from scrutiny import services
from scrutiny.filters import ActionFilter
from scrutiny.forms import ActionForm, ActionNoteForm
from scrutiny.models import Action, ScrutinyMeeting, TaskGroup
from scrutiny.permissions import ADD_ACTION, ADD_ACTIONNOTE, CHANGE_ACTION

ACTIONS = ("Actions", reverse_lazy("scrutiny:actions"))


def visible_actions(user):
    return Action.objects.visible_to(user).select_related("meeting", "task_group", "priority")


class ActionListView(FilteredListMixin, PageMixin, FilterView):
    filterset_class = ActionFilter
    template_name = "scrutiny/action_list.html"
    context_object_name = "actions"
    paginate_by = 25
    page_title = "Action tracker"

    def get_queryset(self):
        return visible_actions(self.request.user).order_by("due_date", "pk")


class ActionDetailView(PageMixin, DetailView):
    template_name = "scrutiny/action_detail.html"
    context_object_name = "action"

    def get_object(self, queryset=None):
        return get_object_or_404(visible_actions(self.request.user), pk=self.kwargs["pk"])

    def get_page_title(self):
        return "Action"

    def get_breadcrumbs(self):
        return [ACTIONS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notes"] = self.object.notes.select_related("author")
        context["sections"] = fill(ACTION_PAGE, self.object, user=self.request.user)
        if self.request.user.has_perm(ADD_ACTIONNOTE):
            context["note_form"] = kwargs.get("note_form") or ActionNoteForm()
        return context


class ActionNoteCreateView(PermissionMixin, ActionDetailView):
    permission = ADD_ACTIONNOTE
    http_method_names = ["post"]

    def post(self, request, pk):
        self.object = self.get_object()
        form = ActionNoteForm(request.POST)
        if form.is_valid():
            services.action_add_note(action=self.object, user=request.user, note=form.instance)
            messages.success(request, "Progress noted.")
            return redirect(self.object.get_absolute_url())
        context = self.get_context_data(note_form=form, error_form=form)
        return self.render_to_response(context, status=400)


class ActionFormMixin(FormUserMixin, RecordFormMixin):
    form_class = ActionForm

    def save(self, form):
        return services.action_save(
            action=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )

    def get_breadcrumbs(self):
        return [ACTIONS]


class ActionCreateView(ActionFormMixin, CreateView):
    """Raising an action at a scrutiny meeting (pk) or by a task group (slug)."""

    permission = ADD_ACTION
    page_title = "Add an action"
    success_message = "Action added."

    def get_source(self):
        if not hasattr(self, "_source"):
            if "slug" in self.kwargs:
                self._source = get_object_or_404(TaskGroup, slug=self.kwargs["slug"])
            else:
                self._source = get_object_or_404(ScrutinyMeeting, pk=self.kwargs["pk"])
        return self._source

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        source = self.get_source()
        field = "task_group" if isinstance(source, TaskGroup) else "meeting"
        kwargs["instance"] = Action(**{field: source})
        return kwargs

    def get_caption(self):
        return str(self.get_source().title)

    def get_cancel_url(self):
        return self.get_source().get_absolute_url()

    def get_success_url(self):
        return self.get_source().get_absolute_url()


class ActionUpdateView(ActionFormMixin, UpdateView):
    permission = CHANGE_ACTION
    model = Action
    page_title = "Change the action"
    success_message = "Action saved."

    def get_cancel_url(self):
        return self.object.get_absolute_url()
