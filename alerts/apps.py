from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Email alerts"

    def ready(self) -> None:
        from alerts import offers
        from alerts.services import found_record, found_record_rebuilt
        from pcc_portal.searchable import entries_indexed, index_rebuilt
        from pcc_portal.slots import PANEL_MEETING_PAGE, PRIORITY_PAGE, SEARCH_PAGE, register

        entries_indexed.connect(found_record, dispatch_uid="alerts_found_record")
        index_rebuilt.connect(found_record_rebuilt, dispatch_uid="alerts_found_rebuilt")
        register(PRIORITY_PAGE, offers.priority_offer)
        register(PANEL_MEETING_PAGE, offers.papers_offer)
        register(SEARCH_PAGE, offers.search_offer)
