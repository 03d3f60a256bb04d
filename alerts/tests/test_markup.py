"""The alerts pages are valid HTML, as the Nu checker reads them."""

import pytest
from django.urls import reverse

from alerts.tests.helpers import confirmed_alert
from plan.tests.test_charts import nu_checker, nu_run

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_alerts_pages_are_valid_html(client, client_for, tmp_path):
    alert = confirmed_alert(what="search", query="knife crime")
    secret = alert.subscriber.secret
    pages = [
        client.get(reverse("alerts:new") + "?what=search&q=knife"),
        client.post(reverse("alerts:new"), {"what": "search", "q": "", "email": "x"}),
        client.get(reverse("alerts:sent")),
        client.get(reverse("alerts:manage_public", args=[secret])),
        client.get(reverse("alerts:confirm", args=[secret, alert.pk])),
        client.get(reverse("alerts:remove", args=[secret, alert.pk])),
        client.get(reverse("alerts:unsubscribe", args=[secret])),
        client.get(reverse("alerts:delete", args=[secret])),
        client.get(reverse("alerts:unsubscribed")),
        client.get(reverse("alerts:deleted")),
        client_for("panel").get(reverse("alerts:manage")),
    ]
    files = []
    for n, response in enumerate(pages):
        assert response.status_code == 200, response
        files.append(tmp_path / f"alerts-{n}.html")
        files[-1].write_bytes(response.content)
    result = nu_run(*files)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
