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


def publish_demo_papers(sender, **kwargs) -> str | None:
    """Papers the fixtures mark published are rendered and stored once (HTML and PDF), after
    each is put in its agenda item, so that the paper says which item it is."""
    # Imported here: the services import models, which must wait until apps are loaded.
    from reports.services import papers_file_in_items, publish_pending

    papers_file_in_items()
    published = publish_pending()
    return f"Published {published} paper(s) from the fixtures." if published else None
