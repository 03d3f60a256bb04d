from django.apps import AppConfig

from pcc_portal.signals import demo_loaded
from pcc_portal.slots import ACTION_PAGE, HOME_TASKS, PRIORITY_PAGE, register


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        # Imported here: the selectors import models, which must wait until apps are loaded.
        from decisions.selectors import home_decision_tasks, priority_decisions

        register(PRIORITY_PAGE, priority_decisions)
        register(HOME_TASKS, home_decision_tasks)
        from decisions.inspection_selectors import (
            action_recommendations,
            home_inspection_tasks,
            priority_recommendations,
        )

        register(PRIORITY_PAGE, priority_recommendations)
        register(HOME_TASKS, home_inspection_tasks)
        register(ACTION_PAGE, action_recommendations)
        from decisions.duty_services import home_duty_tasks

        register(HOME_TASKS, home_duty_tasks)
        from decisions.searchable import DECISIONS
        from pcc_portal.searchable import register_search_kind

        register_search_kind(DECISIONS)
        demo_loaded.connect(publish_demo_notices, dispatch_uid="decisions_publish_demo_notices")


def publish_demo_notices(sender, **kwargs) -> str | None:
    """Decisions the fixtures mark published get their notice's first revision (its PDFs
    rendered as it commits), as a decision published here does."""
    # Imported here: the notices import models, which must wait until apps are loaded.
    from decisions.notices import notices_pending

    made = notices_pending()
    return f"Made the notices of {made} published decision(s)." if made else None
