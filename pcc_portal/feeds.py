"""The portal's Atom feeds: what every app's feed shares.

A feed is a public document: readers fetch it without signing in, and a feed reader may pass
it on, so every feed lists only what an anonymous visitor may see (each model's
`visible_to(AnonymousUser())`), whoever asks. Each feed names the office in its title, lists at
most FEED_LIMIT entries, and gives each entry an id that never changes, whatever happens to its
address (a panel meeting's page moves with its date).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from pcc_portal.models import OfficeProfile

FEED_LIMIT = 30  # entries in a feed, newest first


@dataclass(frozen=True)
class FeedLink:
    """A feed a page offers: `<link rel="alternate">` in its head, and a link to subscribe."""

    title: str  # what a feed reader calls it: "Panel papers (Atom feed)"
    url: str
    hint: str = ""  # after the link to subscribe: what the feed holds


def feed_reader() -> AnonymousUser:
    """Who a feed is written for, whoever fetches it: the public."""
    return AnonymousUser()


def entry_id(record) -> str:
    """A tag URI (RFC 4151) for the record: the portal's host, the day the record was made and
    its kind and number, none of which ever changes."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    return f"tag:{host},{record.created_at:%Y-%m-%d}:{record._meta.model_name}/{record.pk}"


class PortalFeed(Feed):
    """Atom, titled "<heading>: <the office's name>"; subclasses set `heading`, `subtitle`,
    `link` and `feed_url`, and give `items()`, at most FEED_LIMIT of what the public may see."""

    feed_type = Atom1Feed
    heading = ""

    def get_object(self, request, *args, **kwargs):
        # The office, read once and handed to title() and author_name() as `obj`.
        return OfficeProfile.load()

    def title(self, obj):
        return f"{self.heading}: {obj.office_name}"

    def author_name(self, obj):
        # Atom asks for an author of the feed; the office publishes everything in it.
        return obj.office_name

    def item_guid(self, item):
        return entry_id(item)

    def item_guid_is_permalink(self, item):
        return False

    def item_link(self, item):
        return item.get_absolute_url()
