from django.apps import AppConfig

from pcc_portal.slots import PRIORITY_PAGE, register


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny"

    def ready(self) -> None:
        # Imported here: the selectors import models, which must wait until apps are loaded.
        from scrutiny.selectors import priority_scrutiny

        # The priority page shows the priority's scrutiny without the plan knowing of it.
        register(PRIORITY_PAGE, priority_scrutiny)
