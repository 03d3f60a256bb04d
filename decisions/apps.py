from django.apps import AppConfig

from pcc_portal.slots import HOME_TASKS, PRIORITY_PAGE, register


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        # Imported here: the selectors import models, which must wait until apps are loaded.
        from decisions.selectors import home_decision_tasks, priority_decisions

        register(PRIORITY_PAGE, priority_decisions)
        register(HOME_TASKS, home_decision_tasks)
