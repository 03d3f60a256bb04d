from django.apps import AppConfig

from pcc_portal.searchable import register_search_kind
from pcc_portal.slots import HOME_NEWS, HOME_TASKS, PRIORITY_PAGE, register


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny"

    def ready(self) -> None:
        # Imported here: the selectors import models, which must wait until apps are loaded.
        from scrutiny.selectors import (
            home_next_panel_meeting,
            home_scrutiny_tasks,
            priority_scrutiny,
        )

        # Pages of the plan and of the portal show scrutiny without knowing of it.
        register(PRIORITY_PAGE, priority_scrutiny)
        register(HOME_NEWS, home_next_panel_meeting)
        register(HOME_TASKS, home_scrutiny_tasks)

        # What the portal's search may find of scrutiny, and by whom.
        from scrutiny.searchable import SEARCH_KINDS

        for kind in SEARCH_KINDS:
            register_search_kind(kind)
