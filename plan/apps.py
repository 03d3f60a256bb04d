from django.apps import AppConfig

from pcc_portal.signals import demo_loaded
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
        demo_loaded.connect(add_demo_targets, dispatch_uid="plan_add_demo_targets")


# The illustrative targets' fixture holds whole rows, so that loading it with loaddata is safe,
# but the demo command adds only rows that are missing, and these measures and updates are
# there already. So the demo fills these fields from it, and only where they are still empty.
DEMO_TARGETS_FIXTURE = "905_demo_measure_targets.json"
DEMO_FILLED_FIELDS = {
    "plan.outcomemeasure": ("target_value", "amber_tolerance"),
    "plan.measureupdate": ("value", "rating_explanation"),
}


def add_demo_targets(sender, **kwargs) -> str | None:
    """Gives the measures of the illustrative targets' fixture their target and tolerance, and
    the updates there their value and explanation, where each is still empty: never what
    someone has entered."""
    from django.conf import settings
    from django.core import serializers

    path = settings.BASE_DIR / "fixtures" / DEMO_TARGETS_FIXTURE
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as stream:
        items = [item.object for item in serializers.deserialize("json", stream)]
    filled = 0
    for item in items:
        names = DEMO_FILLED_FIELDS.get(item._meta.label_lower, ())
        saved = type(item)._base_manager.filter(pk=item.pk).first()
        if saved is None:
            continue
        empty = [n for n in names if getattr(saved, n) in (None, "") and getattr(item, n)]
        if empty:
            type(item)._base_manager.filter(pk=item.pk).update(
                **{n: getattr(item, n) for n in empty}
            )
            filled += 1
    return f"Filled illustrative targets and values on {filled} row(s)." if filled else None
