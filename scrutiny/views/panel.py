"""Police and Crime Panel meetings and the panel's task groups."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from pcc_portal.mixins import (
    ConfirmDeleteMixin,
    PageMixin,
    PermissionMixin,
    PublicationView,
    RecordFormMixin,
)
from pcc_portal.publication import publication_context
from pcc_portal.sequences import next_number
from pcc_portal.slots import PANEL_MEETING_PAGE, fill, part_feeds
from scrutiny import services
from scrutiny.feeds import panel_meetings_feed_link
from scrutiny.forms import AgendaItemForm, PanelMeetingForm, RecommendationForm, TaskGroupForm
from scrutiny.models import AgendaItem, PanelMeeting, Recommendation, TaskGroup
from scrutiny.permissions import (
    ADD_AGENDAITEM,
    ADD_PANELMEETING,
    ADD_RECOMMENDATION,
    ADD_TASKGROUP,
    CHANGE_AGENDAITEM,
    CHANGE_PANELMEETING,
    CHANGE_RECOMMENDATION,
    CHANGE_TASKGROUP,
    DELETE_AGENDAITEM,
)
from scrutiny.selectors import meeting_record, panel_meeting_on

PANEL = ("Panel meetings", reverse_lazy("scrutiny:panel_meetings"))
TASK_GROUPS = ("Task groups", reverse_lazy("scrutiny:task_groups"))


class PanelMeetingListView(PageMixin, ListView):
    template_name = "scrutiny/panelmeeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20
    page_title = "Police and Crime Panel meetings"

    def get_queryset(self):
        return PanelMeeting.objects.visible_to(self.request.user).order_by("-starts_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming"] = PanelMeeting.objects.visible_to(self.request.user).upcoming().first()
        context["can_add"] = self.request.user.has_perm(ADD_PANELMEETING)
        context["feeds"] = [panel_meetings_feed_link()]
        return context


class PanelMeetingDetailView(PageMixin, DetailView):
    """The meeting, and the agenda other apps add to it (reports: its papers and the pack)."""

    template_name = "scrutiny/panelmeeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return panel_meeting_on(self.kwargs["date"], self.request.user)

    def get_page_title(self):
        return str(self.object)

    def get_breadcrumbs(self):
        return [PANEL]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agenda"] = fill(PANEL_MEETING_PAGE, self.object, user=self.request.user)
        context["feeds"] = part_feeds(context["agenda"])
        context["record"] = meeting_record(self.object, self.request.user)
        if self.request.user.has_perm(ADD_AGENDAITEM):
            context["has_standard_items"] = self.object.agenda_items.filter(
                kind=AgendaItem.Kind.STANDARD
            ).exists()
        context.update(publication_context(self.object, self.request.user))
        return context


class PanelMeetingPublicationView(PublicationView):
    def get_root(self):
        return panel_meeting_on(self.kwargs["date"], self.request.user)

    def get_breadcrumbs(self):
        return [PANEL, (str(self.root), self.root.get_absolute_url())]


class PanelMeetingCreateView(RecordFormMixin, CreateView):
    permission = ADD_PANELMEETING
    form_class = PanelMeetingForm
    page_title = "Add a panel meeting"
    success_message = "Panel meeting added."
    cancel_url = reverse_lazy("scrutiny:panel_meetings")

    def save(self, form):
        return services.panel_meeting_create(
            meeting=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )

    def get_breadcrumbs(self):
        return [PANEL]


class PanelMeetingUpdateView(RecordFormMixin, UpdateView):
    permission = CHANGE_PANELMEETING
    form_class = PanelMeetingForm
    page_title = "Change the panel meeting"
    success_message = "Panel meeting saved."

    def get_object(self, queryset=None):
        return panel_meeting_on(self.kwargs["date"], self.request.user)

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def get_breadcrumbs(self):
        return [PANEL]


class TaskGroupListView(PageMixin, ListView):
    template_name = "scrutiny/taskgroup_list.html"
    context_object_name = "task_groups"
    paginate_by = 20
    page_title = "Task groups of the panel"

    def get_queryset(self):
        return TaskGroup.objects.visible_to(self.request.user).order_by("status", "-created_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm(ADD_TASKGROUP)
        return context


class TaskGroupDetailView(PageMixin, DetailView):
    template_name = "scrutiny/taskgroup_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return TaskGroup.objects.visible_to(self.request.user)

    def get_page_title(self):
        return self.object.title

    def get_breadcrumbs(self):
        return [TASK_GROUPS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recommendations"] = self.object.recommendations.all()
        context["actions"] = self.object.actions.select_related("priority")
        context["today"] = timezone.localdate()
        context.update(publication_context(self.object, self.request.user))
        return context


class TaskGroupPublicationView(PublicationView):
    def get_root(self):
        return get_object_or_404(
            TaskGroup.objects.visible_to(self.request.user), slug=self.kwargs["slug"]
        )

    def get_breadcrumbs(self):
        return [TASK_GROUPS, (self.root.title, self.root.get_absolute_url())]


class TaskGroupCreateView(RecordFormMixin, CreateView):
    permission = ADD_TASKGROUP
    form_class = TaskGroupForm
    page_title = "Add a task group"
    success_message = "Task group added."
    cancel_url = reverse_lazy("scrutiny:task_groups")

    def get_breadcrumbs(self):
        return [TASK_GROUPS]


class TaskGroupUpdateView(RecordFormMixin, UpdateView):
    permission = CHANGE_TASKGROUP
    form_class = TaskGroupForm
    model = TaskGroup
    page_title = "Change the task group"
    success_message = "Task group saved."

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def get_breadcrumbs(self):
        return [TASK_GROUPS]


class RecommendationFormMixin(RecordFormMixin):
    form_class = RecommendationForm

    def get_group(self) -> TaskGroup:
        return self.get_form_kwargs()["instance"].task_group

    def get_success_url(self):
        return self.object.task_group.get_absolute_url() + "#recommendations"

    def get_cancel_url(self):
        return self.get_group().get_absolute_url()

    def get_caption(self):
        return self.get_group().title

    def get_breadcrumbs(self):
        group = self.get_group()
        return [TASK_GROUPS, (group.title, group.get_absolute_url())]


class RecommendationCreateView(RecommendationFormMixin, CreateView):
    permission = ADD_RECOMMENDATION
    page_title = "Add a recommendation"
    success_message = "Recommendation added."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        group = get_object_or_404(TaskGroup, slug=self.kwargs["slug"])
        kwargs["instance"] = Recommendation(task_group=group)
        return kwargs

    def get_initial(self):
        group = get_object_or_404(TaskGroup, slug=self.kwargs["slug"])
        return {"number": next_number(group.recommendations.all(), "number")}


class RecommendationUpdateView(RecommendationFormMixin, UpdateView):
    permission = CHANGE_RECOMMENDATION
    model = Recommendation
    page_title = "Change the recommendation or its response"
    success_message = "Recommendation saved."

    def get_group(self):
        return self.object.task_group


class AgendaItemMixin(RecordFormMixin):
    """Pages of one panel meeting's agenda items: /scrutiny/panel/<date>/agenda/..."""

    form_class = AgendaItemForm

    def get_meeting(self) -> PanelMeeting:
        if not hasattr(self, "_meeting"):
            self._meeting = panel_meeting_on(self.kwargs["date"], self.request.user)
        return self._meeting

    def get_success_url(self):
        return self.get_meeting().get_absolute_url() + "#agenda"

    def get_cancel_url(self):
        return self.get_meeting().get_absolute_url() + "#agenda"

    def get_caption(self):
        return str(self.get_meeting())

    def get_breadcrumbs(self):
        meeting = self.get_meeting()
        return [PANEL, (str(meeting), meeting.get_absolute_url())]


class AgendaItemCreateView(AgendaItemMixin, CreateView):
    permission = ADD_AGENDAITEM
    page_title = "Add an agenda item"
    success_message = "Agenda item added."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": AgendaItem(meeting=self.get_meeting())}

    def save(self, form):
        return services.agenda_item_add(item=form.save(commit=False), user=self.request.user)


def meeting_item(view) -> AgendaItem:
    meeting = view.get_meeting()
    return get_object_or_404(meeting.agenda_items.all(), pk=view.kwargs["pk"])


class AgendaItemUpdateView(AgendaItemMixin, UpdateView):
    permission = CHANGE_AGENDAITEM
    page_title = "Change the agenda item"
    success_message = "Agenda item saved."

    def get_object(self, queryset=None):
        return meeting_item(self)

    def save(self, form):
        return services.agenda_item_save(
            item=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )


class AgendaItemDeleteView(ConfirmDeleteMixin, DeleteView):
    permission = DELETE_AGENDAITEM
    page_title = "Remove this agenda item?"
    success_message = "Agenda item removed."

    get_meeting = AgendaItemMixin.get_meeting

    def get_object(self, queryset=None):
        return meeting_item(self)

    def get_success_url(self):
        return self.get_meeting().get_absolute_url() + "#agenda"

    def get_breadcrumbs(self):
        meeting = self.get_meeting()
        return [PANEL, (str(meeting), meeting.get_absolute_url())]

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.get_success_url())

    def delete_record(self):
        return services.agenda_item_remove(item=self.object, user=self.request.user)


class AgendaItemMoveView(PermissionMixin, View):
    """POST only: moves an item up or down its part of the agenda."""

    permission = CHANGE_AGENDAITEM
    get_meeting = AgendaItemMixin.get_meeting

    def post(self, request, date, pk, direction):
        if direction not in ("up", "down"):
            raise Http404
        item = meeting_item(self)
        services.agenda_item_move(item=item, user=request.user, up=direction == "up")
        return redirect(self.get_meeting().get_absolute_url() + f"#agenda-item-{item.pk}")


class AgendaStartView(PermissionMixin, View):
    """POST only: "Add the standard items" to a meeting that has none."""

    permission = ADD_AGENDAITEM
    get_meeting = AgendaItemMixin.get_meeting

    def post(self, request, date):
        added = services.agenda_start(meeting=self.get_meeting(), user=request.user)
        messages.success(
            request, "Standard items added." if added else "The agenda has its standard items."
        )
        return redirect(self.get_meeting().get_absolute_url() + "#agenda")
