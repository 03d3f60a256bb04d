"""Strategic scrutiny meetings: the list, a meeting's page, and staff's forms for it."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

from pcc_portal.mixins import (
    ConfirmDeleteMixin,
    FilteredListMixin,
    FormUserMixin,
    PageMixin,
    PublicationView,
    RecordFormMixin,
)
from pcc_portal.publication import publication_context
from pcc_portal.sequences import next_number
from scrutiny import services
from scrutiny.feeds import scrutiny_meetings_feed_link
from scrutiny.filters import ScrutinyMeetingFilter
from scrutiny.forms import ScrutinyMeetingForm, ScrutinyPaperForm, ScrutinyTopicForm
from scrutiny.models import ScrutinyMeeting, ScrutinyPaper, ScrutinyTopic
from scrutiny.permissions import (
    ADD_SCRUTINYMEETING,
    ADD_SCRUTINYPAPER,
    ADD_SCRUTINYTOPIC,
    CHANGE_SCRUTINYMEETING,
    CHANGE_SCRUTINYTOPIC,
    DELETE_SCRUTINYPAPER,
    DELETE_SCRUTINYTOPIC,
    VIEW_UNPUBLISHED,
)
from scrutiny.selectors import meeting_detail

MEETINGS = ("Scrutiny meetings", reverse_lazy("scrutiny:meetings"))


def visible_meeting(user, pk) -> ScrutinyMeeting:
    """The meeting if the user may see it; 404 otherwise, so unpublished ones do not leak."""
    return get_object_or_404(
        ScrutinyMeeting.objects.visible_to(user).select_related("period", "rescheduled_to"), pk=pk
    )


class MeetingListView(FilteredListMixin, PageMixin, FilterView):
    filterset_class = ScrutinyMeetingFilter
    template_name = "scrutiny/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20
    page_title = "Scrutiny meetings"

    def get_queryset(self):
        return (
            ScrutinyMeeting.objects.visible_to(self.request.user)
            .newest_first()
            .select_related("period")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm(ADD_SCRUTINYMEETING)
        context["sees_unpublished"] = self.request.user.has_perm(VIEW_UNPUBLISHED)
        context["feeds"] = [scrutiny_meetings_feed_link()]
        return context


class MeetingDetailView(PageMixin, DetailView):
    template_name = "scrutiny/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return visible_meeting(self.request.user, self.kwargs["pk"])

    def get_page_title(self):
        return self.object.title

    def get_breadcrumbs(self):
        return [MEETINGS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting_detail(self.object, self.request.user))
        context.update(publication_context(self.object, self.request.user))
        return context


class MeetingFormMixin(RecordFormMixin):
    model = ScrutinyMeeting
    form_class = ScrutinyMeetingForm

    def save(self, form):
        return services.scrutiny_meeting_save(
            meeting=form.save(commit=False),
            user=self.request.user,
            quarter=form.quarter,
            **self.save_options(form),
        )

    def get_breadcrumbs(self):
        return [MEETINGS]


class MeetingCreateView(MeetingFormMixin, CreateView):
    permission = ADD_SCRUTINYMEETING
    page_title = "Record a scrutiny meeting"
    success_message = "Meeting recorded. Add its topics, papers and actions below."
    cancel_url = reverse_lazy("scrutiny:meetings")


class MeetingUpdateView(MeetingFormMixin, UpdateView):
    permission = CHANGE_SCRUTINYMEETING
    success_message = "Meeting saved."

    def get_page_title(self):
        return "Change the meeting"

    def get_caption(self):
        return self.object.title

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class MeetingPublicationView(PublicationView):
    """Publish a meeting (with its topics and papers), its changes, or unpublish it."""

    def get_root(self):
        return visible_meeting(self.request.user, self.kwargs["pk"])

    def get_breadcrumbs(self):
        return [MEETINGS, (self.root.title, self.root.get_absolute_url())]


class MeetingPublicationFileView(MeetingPublicationView):
    """A paper uploaded to a published meeting, waiting for approval, for staff to open."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return self.file(request, kwargs["key"])


class MeetingChildMixin(RecordFormMixin):
    """Forms for things that belong to a meeting: topics, papers, actions."""

    def get_meeting(self) -> ScrutinyMeeting:
        if not hasattr(self, "_meeting"):
            self._meeting = get_object_or_404(ScrutinyMeeting, pk=self.kwargs["pk"])
        return self._meeting

    def save(self, form):
        form.instance.meeting = self.get_meeting()
        return super().save(form)

    def get_success_url(self):
        return self.get_meeting().get_absolute_url()

    def get_cancel_url(self):
        return self.get_meeting().get_absolute_url()

    def get_caption(self):
        return self.get_meeting().title

    def get_breadcrumbs(self):
        meeting = self.get_meeting()
        return [MEETINGS, (meeting.title, meeting.get_absolute_url())]


class TopicCreateView(FormUserMixin, MeetingChildMixin, CreateView):
    permission = ADD_SCRUTINYTOPIC
    form_class = ScrutinyTopicForm
    page_title = "Add a topic"
    success_message = "Topic added."

    def get_initial(self):
        return {"order": next_number(self.get_meeting().topics.all())}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ScrutinyTopic(meeting=self.get_meeting())
        return kwargs


class TopicUpdateView(FormUserMixin, MeetingChildMixin, UpdateView):
    permission = CHANGE_SCRUTINYTOPIC
    form_class = ScrutinyTopicForm
    model = ScrutinyTopic
    page_title = "Change the topic"
    success_message = "Topic saved."

    def get_meeting(self):
        return self.get_object().meeting

    def get_object(self, queryset=None):
        if not hasattr(self, "_topic"):
            self._topic = get_object_or_404(
                ScrutinyTopic.objects.select_related("meeting"), pk=self.kwargs["pk"]
            )
        return self._topic


class TopicDeleteView(ConfirmDeleteMixin, DeleteView):
    permission = DELETE_SCRUTINYTOPIC
    model = ScrutinyTopic
    page_title = "Delete this topic?"
    success_message = "Topic deleted."

    def delete_record(self):
        return services.scrutiny_topic_delete(topic=self.object, user=self.request.user)

    def get_success_url(self):
        return self.object.meeting.get_absolute_url()


class PaperCreateView(MeetingChildMixin, CreateView):
    permission = ADD_SCRUTINYPAPER
    form_class = ScrutinyPaperForm
    page_title = "Add a paper"
    success_message = "Paper added."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ScrutinyPaper(meeting=self.get_meeting())
        return kwargs


class PaperDeleteView(ConfirmDeleteMixin, DeleteView):
    permission = DELETE_SCRUTINYPAPER
    model = ScrutinyPaper
    page_title = "Delete this paper?"
    success_message = "Paper deleted."

    def delete_record(self):
        return services.scrutiny_paper_delete(paper=self.object, user=self.request.user)

    def get_success_url(self):
        return self.object.meeting.get_absolute_url()


class PaperDownloadView(View):
    """A paper's PDF, to whoever may see its meeting (the file is never served directly)."""

    def get(self, request, pk):
        paper = get_object_or_404(ScrutinyPaper.objects.select_related("meeting"), pk=pk)
        if not ScrutinyMeeting.objects.visible_to(request.user).filter(pk=paper.meeting_id):
            raise Http404
        if not paper.file:
            raise Http404
        try:
            handle = paper.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        filename = f"{paper.title}.pdf".replace("/", "-")
        return FileResponse(
            handle, as_attachment=False, filename=filename, content_type="application/pdf"
        )
