from django.apps import AppConfig

from pcc_portal.slots import HOME_TASKS, register


class PlanConfig(AppConfig):
    name = "plan"
    verbose_name = "Police and Crime Plan"

    def ready(self):
        # Selectors read models, which are ready only now.
        from plan.selectors import home_plan_tasks

        register(HOME_TASKS, home_plan_tasks)
