from django.apps import AppConfig

from pcc_portal.slots import HOME_TASKS, register


class PlanConfig(AppConfig):
    name = "plan"
    verbose_name = "Police and Crime Plan"

    def ready(self):
        # Selectors and the email kinds read models, which are ready only now.
        from pcc_portal.notifications import register_email_kind
        from plan.notifications import EMAIL_KINDS
        from plan.selectors import home_plan_tasks

        register(HOME_TASKS, home_plan_tasks)
        for kind in EMAIL_KINDS:
            register_email_kind(kind)
