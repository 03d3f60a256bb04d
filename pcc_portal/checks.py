"""The portal's own entries in `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def portal_base_url_check(app_configs, **kwargs):
    """Links in emails point at PORTAL_BASE_URL: in production it must be the portal's public
    https address, not the development default."""
    if settings.PORTAL_BASE_URL.startswith("https://"):
        return []
    return [
        Warning(
            f"PORTAL_BASE_URL is {settings.PORTAL_BASE_URL!r}, so the links in the emails the "
            "portal sends will not work for their readers.",
            hint="Set PORTAL_BASE_URL to the portal's public address, such as "
            "https://portal.example.org.",
            id="pcc_portal.W001",
        )
    ]
