from django.utils.functional import SimpleLazyObject

from pcc_portal.models import OfficeProfile
from pcc_portal.navigation import available_sections


def portal(request) -> dict:
    """The office profile and primary navigation, for the base layout."""
    # A section is current anywhere under its first path segment (/scrutiny/actions/ too).
    segment = request.path.strip("/").split("/", 1)[0]
    navigation = [
        {"label": section.label, "url": url, "active": url.strip("/").split("/", 1)[0] == segment}
        for section, url in available_sections()
    ]
    return {
        "office": SimpleLazyObject(OfficeProfile.load),
        "primary_navigation": navigation,
    }
