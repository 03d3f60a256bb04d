"""The Atom feeds of published panel meetings (/scrutiny/panel/feed/) and published scrutiny
meetings with their topics (/scrutiny/meetings/feed/). Public: never an unpublished meeting,
whoever asks (see pcc_portal.feeds)."""

from django.db.models import Prefetch
from django.urls import reverse, reverse_lazy

from pcc_portal.feeds import FEED_LIMIT, FeedLink, PortalFeed, feed_reader
from scrutiny.calendar import meeting_moved_description
from scrutiny.models import PanelMeeting, ScrutinyMeeting, ScrutinyTopic


def panel_meetings_feed_link() -> FeedLink:
    return FeedLink(
        title="Police and Crime Panel meetings (Atom feed)",
        url=reverse("scrutiny:panel_feed"),
        hint="published panel meetings, newest first, in your feed reader.",
    )


def scrutiny_meetings_feed_link() -> FeedLink:
    return FeedLink(
        title="Scrutiny meetings (Atom feed)",
        url=reverse("scrutiny:meetings_feed"),
        hint="published scrutiny meetings and the topics they examined, in your feed reader.",
    )


class MeetingFeed(PortalFeed):
    def item_title(self, item):
        return str(item)

    def item_pubdate(self, item):
        return item.published_at or item.updated_at

    def item_updateddate(self, item):
        # Saved again when an approver publishes changes to it; held changes leave it be.
        return item.updated_at


class PanelMeetingFeed(MeetingFeed):
    heading = "Police and Crime Panel meetings"
    subtitle = "Meetings of the Police and Crime Panel, newest first, with their date and venue."
    link = reverse_lazy("scrutiny:panel_meetings")
    feed_url = reverse_lazy("scrutiny:panel_feed")
    description_template = "scrutiny/feeds/panel_meeting_description.html"

    def items(self):
        meetings = PanelMeeting.objects.visible_to(feed_reader())
        return meetings.order_by("-starts_at", "-pk")[:FEED_LIMIT]


class ScrutinyMeetingFeed(MeetingFeed):
    heading = "Scrutiny meetings"
    subtitle = (
        "The Commissioner's scrutiny meetings with the Chief Constable, newest first, with the "
        "topics they examined."
    )
    link = reverse_lazy("scrutiny:meetings")
    feed_url = reverse_lazy("scrutiny:meetings_feed")
    description_template = "scrutiny/feeds/scrutiny_meeting_description.html"

    def items(self):
        topics = ScrutinyTopic.objects.order_by("order", "pk")
        meetings = (
            ScrutinyMeeting.objects.visible_to(feed_reader())
            .select_related("rescheduled_to", "period")
            .prefetch_related(Prefetch("topics", queryset=topics))
        )
        return meetings.newest_first()[:FEED_LIMIT]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs["item"]
        if meeting.status == ScrutinyMeeting.Status.RESCHEDULED:
            context["moved"] = meeting_moved_description(meeting)
        return context
