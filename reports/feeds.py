"""/reports/feed/: the newest published papers, as Atom. Public: never a draft or a Part II
paper, whoever asks (see pcc_portal.feeds)."""

from django.urls import reverse, reverse_lazy

from pcc_portal.feeds import FEED_LIMIT, FeedLink, PortalFeed, feed_reader
from reports.models import Report


def papers_feed_link() -> FeedLink:
    return FeedLink(
        title="Panel papers (Atom feed)",
        url=reverse("reports:feed"),
        hint="the newest published papers, in your feed reader.",
    )


class PaperFeed(PortalFeed):
    heading = "Panel papers"
    subtitle = "Papers for meetings of the Police and Crime Panel, as they are published."
    link = reverse_lazy("reports:papers")
    feed_url = reverse_lazy("reports:feed")
    description_template = "reports/feeds/paper_description.html"

    def items(self):
        papers = Report.objects.visible_to(feed_reader()).select_related("panel_meeting")
        return papers.newest_published_first()[:FEED_LIMIT]

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.first_published_at or item.updated_at

    def item_updateddate(self, item):
        # A paper republished with corrections is updated when its latest revision was.
        return item.last_published_at or item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display()]
