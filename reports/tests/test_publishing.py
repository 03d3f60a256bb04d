"""Publishing in the background: the approver's request returns at once, a worker publishes the
paper, the page follows it; a render that fails is tried again and then reported, with nothing
half-published."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import rendering
from reports.models import Pack, PaperPublishing, Publication, Report
from reports.publishing import report_publish_request
from reports.tests.factories import add_section, make_report, publish
from tests.helpers import soup, text

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def paper(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(title="Road safety update")
    add_section(report, body="Casualties fell this quarter.")
    return report


def worker_run() -> None:
    """The real worker, over the database queue, until nothing is ready to run."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_request_returns_at_once_and_a_real_worker_publishes(
    paper, client_for, settings, mailoutbox
):
    settings.TASKS = DATABASE_QUEUE
    client = client_for("approver")
    response = client.post(f"/reports/{paper.pk}/publish/", follow=True)
    page = text(soup(response).main)
    assert "Publishing… The new revision appears on this page when it is ready." in page
    assert "Waiting to start: asked for by" in page
    assert Report.objects.get(pk=paper.pk).status == "draft"
    assert not Publication.objects.exists()
    status = client.get(f"/reports/{paper.pk}/publishing/").json()
    assert status == {"state": "waiting", "label": "Waiting to start", "attempts": 0,
                      "finished": False}  # fmt: skip
    # Asking again while it waits joins the first request.
    client.post(f"/reports/{paper.pk}/publish/", follow=True)
    assert PaperPublishing.objects.count() == 1

    worker_run()

    publishing = PaperPublishing.objects.get()
    assert (publishing.state, publishing.attempts) == ("published", 1)
    assert publishing.publication.revision == 1
    assert client.get(f"/reports/{paper.pk}/publishing/").json()["finished"] is True
    page = text(soup(client.get(f"/reports/{paper.pk}/")).main)
    assert "Revision 1, published" in page and "Publishing…" not in page
    # The worker went on to the work publishing queued: the meeting's packs.
    assert Pack.objects.filter(meeting=paper.panel_meeting).exists()
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_render_is_tried_again_later_by_the_worker(paper, client_for, settings,
                                                            monkeypatch):  # fmt: skip
    settings.TASKS = DATABASE_QUEUE
    real_write_pdf, calls = rendering.write_pdf, []

    def fails_once(html):
        calls.append(html)
        if len(calls) == 1:
            raise RuntimeError("the renderer ran out of memory")
        return real_write_pdf(html)

    monkeypatch.setattr(rendering, "write_pdf", fails_once)
    client_for("approver").post(f"/reports/{paper.pk}/publish/")
    worker_run()
    publishing = PaperPublishing.objects.get()
    assert (publishing.state, publishing.attempts) == ("publishing", 1)
    assert not Publication.objects.exists()  # nothing half-published
    with time_machine.travel(timezone.now() + timedelta(seconds=20)):
        worker_run()
    publishing.refresh_from_db()
    assert (publishing.state, publishing.attempts) == ("published", 2)
    assert Report.objects.get(pk=paper.pk).publications.get().revision == 1


@pytest.mark.django_db(transaction=True)
def test_a_render_that_keeps_failing_is_reported_and_nothing_is_published(
    paper, client, make_user, login_verified, monkeypatch, mailoutbox
):
    def always_fails(html):
        raise RuntimeError("the renderer ran out of memory")

    monkeypatch.setattr(rendering, "write_pdf", always_fails)
    login_verified(make_user("approver", email="approver@example.org"))
    response = client.post(f"/reports/{paper.pk}/publish/")
    assert response.status_code == 400
    assert "the renderer ran out of memory" in text(
        soup(response).find(class_="govuk-error-summary")
    )
    publishing = PaperPublishing.objects.get()
    assert (publishing.state, publishing.attempts) == ("failed", 3)
    assert not Publication.objects.exists()
    assert Report.objects.get(pk=paper.pk).status == "draft"
    page = text(soup(client.get(f"/reports/{paper.pk}/")).main)
    assert "Not published: the request of" in page and "failed after 3 attempts" in page
    [email] = mailoutbox
    assert email.subject == "Paper not published: Road safety update"
    assert "the renderer ran out of memory" in email.body
    # Publishing again once the renderer is back works, and the warning goes.
    monkeypatch.undo()
    client.post(f"/reports/{paper.pk}/publish/")
    page = text(soup(client.get(f"/reports/{paper.pk}/")).main)
    assert "Revision 1, published" in page and "Not published" not in page


@pytest.mark.django_db(transaction=True)
def test_a_request_abandoned_by_its_worker_shows_as_failed_and_is_replaced(
    paper, client_for, settings
):
    settings.TASKS = DATABASE_QUEUE
    client = client_for("approver")
    client.post(f"/reports/{paper.pk}/publish/", follow=True)
    first = PaperPublishing.objects.get()
    # The worker claimed it, then was killed mid-render.
    PaperPublishing.objects.update(state="publishing", attempts=1, started_at=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        page = text(soup(client.get(f"/reports/{paper.pk}/")).main)
        assert "Not published" in page and "It stopped without finishing." in page
        assert client.get(f"/reports/{paper.pk}/publishing/").json()["finished"] is True
        client.post(f"/reports/{paper.pk}/publish/", follow=True)
    first.refresh_from_db()
    assert (first.state, first.problem) == ("failed", "It stopped without finishing.")
    second = PaperPublishing.objects.exclude(pk=first.pk).get()
    assert second.state == "waiting"


@pytest.mark.django_db(transaction=True)
def test_a_request_waiting_in_the_queue_is_never_taken_for_abandoned(paper, make_user, settings):
    settings.TASKS = DATABASE_QUEUE
    approver = make_user("approver")
    first = report_publish_request(report=paper, user=approver)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert report_publish_request(report=paper, user=approver).pk == first.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["withdraw", "edit"])
def test_a_paper_changed_after_publishing_was_asked_for_is_not_published_on_that_request(
    paper, client, make_user, login_verified, settings, mailoutbox, change
):
    from reports.services import report_withdraw

    publish(paper, make_user("approver"))  # revision 1, published at once
    settings.TASKS = DATABASE_QUEUE
    approver = make_user("approver", email="approver@example.org")
    login_verified(approver)
    client.post(f"/reports/{paper.pk}/publish/", follow=True)  # revision 2, queued
    report = Report.objects.get(pk=paper.pk)
    if change == "withdraw":
        report_withdraw(report=report, user=make_user("approver"))
    else:  # staff change the published paper: the change waits for an approver
        from pcc_portal.services import record_save

        report.title = "Road safety update, corrected"
        record_save(instance=report, user=make_user("staff"))
    worker_run()
    publishing = PaperPublishing.objects.get()
    assert publishing.state == "failed"
    assert "The paper changed after publishing was asked for" in publishing.problem
    report.refresh_from_db()
    assert report.publications.count() == 1
    if change == "withdraw":
        assert report.status == "withdrawn"  # not made public again by the queued request
    [email] = [m for m in mailoutbox if m.subject.startswith("Paper not published")]
    assert "The paper changed after publishing was asked for" in email.body


@pytest.mark.django_db(transaction=True)
def test_a_request_run_again_after_it_published_publishes_nothing_more(paper, make_user,
                                                                       settings):  # fmt: skip
    from reports.publishing import paper_publish_run

    settings.TASKS = DATABASE_QUEUE
    publishing = report_publish_request(report=paper, user=make_user("approver"))
    worker_run()
    assert paper_publish_run.call(publishing.pk) is None  # a retry that comes late
    assert Report.objects.get(pk=paper.pk).publications.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_request_taken_over_meanwhile_rolls_its_revision_back(paper, make_user, settings,
                                                                monkeypatch):  # fmt: skip
    from reports import publishing as publishing_module

    settings.TASKS = DATABASE_QUEUE
    publishing = report_publish_request(report=paper, user=make_user("approver"))
    real_publish = publishing_module.report_publish

    def taken_over_while_rendering(**kwargs):
        publication = real_publish(**kwargs)
        PaperPublishing.objects.filter(pk=publishing.pk).update(state="failed")
        return publication

    monkeypatch.setattr(publishing_module, "report_publish", taken_over_while_rendering)
    worker_run()
    assert not Publication.objects.exists()
    assert Report.objects.get(pk=paper.pk).status == "draft"


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_only_office_staff_follow_a_publishing(paper, client_for, make_user, settings, role):
    settings.TASKS = DATABASE_QUEUE
    report_publish_request(report=paper, user=make_user("approver"))
    response = client_for(role).get(f"/reports/{paper.pk}/publishing/")
    assert response.status_code in (302, 403, 404)
    assert b"waiting" not in response.content


def test_nothing_to_follow_is_a_404(paper, client_for):
    assert client_for("staff").get(f"/reports/{paper.pk}/publishing/").status_code == 404


def test_what_stops_a_paper_being_published_is_said_at_once(db, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    empty = make_report(title="Empty paper")
    response = client_for("approver").post(f"/reports/{empty.pk}/publish/")
    assert response.status_code == 400
    summary = text(soup(response).find(class_="govuk-error-summary"))
    assert "A paper with no sections cannot be published." in summary
    assert not PaperPublishing.objects.exists()
