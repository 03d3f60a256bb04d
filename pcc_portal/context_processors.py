from django.utils.functional import SimpleLazyObject

from pcc_portal.models import OfficeProfile
from pcc_portal.navigation import available_sections


def portal(request) -> dict:
    """The office profile and primary navigation, for the base layout."""
    path = request.path
    navigation = [
        {"label": section.label, "url": url, "active": path.startswith(url)}
        for section, url in available_sections()
    ]
    return {
        "office": SimpleLazyObject(OfficeProfile.load),
        "primary_navigation": navigation,
    }
