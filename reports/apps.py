from django.apps import AppConfig

from pcc_portal.signals import demo_loaded
from pcc_portal.slots import HOME_NEWS, HOME_TASKS, PANEL_MEETING_PAGE, PRIORITY_PAGE, register


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Panel papers"

    def ready(self) -> None:
        # Imported here: the selectors import models, which must wait until apps are loaded.
        from pcc_portal.notifications import register_email_kind
        from reports.notifications import EMAIL_KINDS
        from reports.selectors import (
            home_latest_papers,
            home_panel_tasks,
            home_paper_tasks,
            panel_meeting_papers,
            priority_papers,
        )

        for kind in EMAIL_KINDS:
            register_email_kind(kind)
        from pcc_portal.searchable import register_search_kind
        from reports.searchable import PAPERS

        register_search_kind(PAPERS)
        # A panel meeting's page (scrutiny's) lists the meeting's papers and its agenda pack.
        register(PANEL_MEETING_PAGE, panel_meeting_papers)
        # A priority's page lists the papers reporting on its measures.
        register(PRIORITY_PAGE, priority_papers)
        register(HOME_NEWS, home_latest_papers)
        register(HOME_TASKS, home_paper_tasks)
        register(HOME_TASKS, home_panel_tasks)
        demo_loaded.connect(publish_demo_papers, dispatch_uid="reports_publish_demo_papers")
        connect_published_files()


def connect_published_files() -> None:
    """Whatever can change what the public may read of a paper or a pack lists its published
    files again once it commits (reports.published)."""
    from django.db.models.signals import post_delete, post_save

    from pcc_portal.models import OfficeProfile
    from pcc_portal.published import register_published_addresses
    from pcc_portal.signals import rows_updated
    from reports.models import Pack, Publication, Report
    from reports.published import meeting_files_enqueue, paper_files_enqueue, rebuild_enqueue
    from scrutiny.models import PanelMeeting

    def paper_changed(sender, instance, raw=False, **kwargs):
        if raw:  # fixtures loading: the demo publishes afterwards
            return
        paper_files_enqueue(instance.pk)

    def revision_changed(sender, instance, raw=False, **kwargs):
        if raw:  # fixtures loading: the demo publishes afterwards
            return
        paper_files_enqueue(instance.report_id)

    def meeting_changed(sender, instance, raw=False, **kwargs):
        if raw:  # fixtures loading: the demo publishes afterwards
            return
        meeting_files_enqueue(instance.pk)

    def pack_changed(sender, instance, raw=False, **kwargs):
        if raw:  # fixtures loading: the demo publishes afterwards
            return
        meeting_files_enqueue(instance.meeting_id)

    def layout_changed(sender, **kwargs):
        rebuild_enqueue()  # every page shows the office's name and address

    # Rows changed by a queryset's update(), which sends no post_save: the paper or meeting
    # each belongs to (through which field), and what lists that one's files again.
    owners = {
        Report: ("pk", paper_files_enqueue),
        Publication: ("report_id", paper_files_enqueue),
        PanelMeeting: ("pk", meeting_files_enqueue),
        Pack: ("meeting_id", meeting_files_enqueue),
    }

    def rows_changed(sender, pks, fields, **kwargs):
        if fields <= {"version"}:  # a save's claim of its next version: the save follows
            return
        field, enqueue = owners[sender]
        for owner in set(sender._base_manager.filter(pk__in=pks).values_list(field, flat=True)):
            enqueue(owner)

    # A paper's page and PDF; a meeting's agenda reports packs (see published.py).
    register_published_addresses(r"/reports/\d+(/|\.pdf)")
    register_published_addresses(r"/scrutiny/panel/\d{4}-\d{2}-\d{2}/pack(-\d+)?\.pdf")
    for signal in (post_save, post_delete):
        signal.connect(paper_changed, sender=Report, weak=False)
        signal.connect(revision_changed, sender=Publication, weak=False)
        signal.connect(meeting_changed, sender=PanelMeeting, weak=False)
        signal.connect(pack_changed, sender=Pack, weak=False)
    for model in owners:
        rows_updated.connect(rows_changed, sender=model, weak=False)
    post_save.connect(layout_changed, sender=OfficeProfile, weak=False)


def publish_demo_papers(sender, **kwargs) -> str | None:
    """Papers the fixtures mark published are rendered and stored once (HTML and PDF), after
    each is put in its agenda item, so that the paper says which item it is."""
    # Imported here: the services import models, which must wait until apps are loaded.
    from reports.services import papers_file_in_items, publish_pending

    papers_file_in_items()
    published = publish_pending()
    return f"Published {published} paper(s) from the fixtures." if published else None
