from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny"

    def ready(self) -> None:
        from plan.extensions import register_priority_section
        from scrutiny.selectors import priority_scrutiny

        # The priority page shows the priority's scrutiny without the plan knowing of it.
        register_priority_section(priority_scrutiny)
