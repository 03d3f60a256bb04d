"""Publishing in the background, in a real browser: the approver's request comes back at once
saying "Publishing…", the worker publishes the paper, and the page loads the new revision by
itself when it is ready."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.axe import serious_violations
from e2e.traffic import count_traffic

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PAPER = "/reports/2/"


def fits_320px(page) -> bool:
    page.set_viewport_size({"width": 320, "height": 800})
    fits = page.evaluate("document.documentElement.scrollWidth <= 320")
    page.set_viewport_size({"width": 1100, "height": 800})
    return fits


def test_the_approver_publishes_and_the_page_follows_the_worker(open_as, settings, shots):
    settings.TASKS = DATABASE_QUEUE  # the demo was published at once; from now on, queued
    approver = open_as("approver")
    traffic = count_traffic(approver)
    approver.goto(PAPER + "publish/")
    approver.get_by_role("button", name="Publish the paper").click()
    status = approver.locator("[data-publishing-state]")
    expect(approver.locator(".govuk-notification-banner").first).to_contain_text("Publishing…")
    expect(status).to_contain_text("Waiting to start")
    assert serious_violations(approver) == []
    assert fits_320px(approver)
    shots(approver, "publishing")

    # The worker, as it runs beside the web server: the page is left alone meanwhile.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    actions = approver.locator(".portal-paper-actions")
    expect(actions).to_contain_text("Revision 2, published", timeout=15_000)
    expect(approver.locator("[data-publishing-state]")).to_have_count(0)
    shots(approver, "published")
    # The confirmation page, the paper after the POST, and the paper the script loaded.
    assert len(traffic["loads"]) == 3, traffic["loads"]
    assert len(traffic["posts"]) == 1
