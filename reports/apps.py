from django.apps import AppConfig

from pcc_portal.slots import HOME_NEWS, PANEL_MEETING_PAGE, register


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Panel papers"

    def ready(self) -> None:
        # Imported here: the selectors import models, which must wait until apps are loaded.
        from reports.selectors import home_latest_papers, panel_meeting_papers

        # A panel meeting's page (scrutiny's) lists the meeting's papers and its agenda pack.
        register(PANEL_MEETING_PAGE, panel_meeting_papers)
        register(HOME_NEWS, home_latest_papers)
