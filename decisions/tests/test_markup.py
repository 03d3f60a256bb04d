"""The decisions pages are valid HTML, as the Nu checker reads them."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse

from conftest import force_login_verified
from decisions import services
from decisions.models import DecisionRevision, ForwardPlanEntry
from decisions.tests.factories import make_decision, publish_decision
from funding.tests.factories import make_award, make_fund
from plan.tests.factories import make_plan, make_priority
from plan.tests.test_charts import nu_checker, nu_run

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_decisions_pages_are_valid_html(client, make_user, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    approver = make_user("approver")
    priority = make_priority(make_plan(status="published"))
    published = make_decision(exempt_text="Withheld words.", exemption="3")
    published.priorities.add(priority)
    published.awards.add(make_award(make_fund()), make_award(make_fund(), amount=None))
    with TestCase.captureOnCommitCallbacks(execute=True):  # the notice's PDFs are rendered
        published = publish_decision(published, approver)
    # A second revision, still being rendered: the page lists both.
    DecisionRevision.objects.create(
        decision=published, revision=2, note="corrected", public_html="<p>Corrected</p>"
    )
    returned = services.decision_submit(decision=make_decision(title="Returned"), user=approver)
    services.decision_return(decision=returned, user=approver, reason="Add the options")
    signed = services.decision_sign(
        decision=services.decision_submit(decision=make_decision(), user=approver), user=approver
    )
    entry = ForwardPlanEntry.objects.create(
        title="Precept", summary="The precept.", published=True,
        expected_month=datetime.date.today().replace(day=1),
    )  # fmt: skip
    public = [
        reverse("decisions:decisions"),
        reverse("decisions:decisions") + "?year=abc",
        published.get_absolute_url(),
        reverse("decisions:forward_plan"),
    ]
    staff = [
        reverse("decisions:decisions"),
        published.get_absolute_url(),
        returned.get_absolute_url(),
        reverse("decisions:decision_create"),
        reverse("decisions:decision_edit", args=[returned.pk]),
        reverse("decisions:forward_plan"),
        reverse("decisions:entry_create"),
        reverse("decisions:entry_edit", args=[entry.pk]),
        reverse("decisions:entry_publication", args=[entry.pk]),
        reverse("decisions:decision_publish", args=[signed.pk]),
        reverse("decisions:decision_return", args=[signed.pk]),
        reverse("decisions:decision_delete", args=[returned.pk]),
        "/",
    ]
    files = []
    for n, url in enumerate(public):
        files.append(tmp_path / f"public-{n}.html")
        files[-1].write_bytes(client.get(url).content)
    force_login_verified(client, approver)
    for n, url in enumerate(staff):
        response = client.get(url)
        assert response.status_code == 200, url
        files.append(tmp_path / f"staff-{n}.html")
        files[-1].write_bytes(response.content)
    invalid = client.post(reverse("decisions:decision_create"), {"title": "", "amount": "x"})
    files.append(tmp_path / "errors.html")
    files[-1].write_bytes(invalid.content)
    result = nu_run(*files)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
