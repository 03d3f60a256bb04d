from django.apps import AppConfig
from django.db.models.signals import pre_save

from pcc_portal.signals import demo_loaded
from pcc_portal.slots import HOME_TASKS, register


class PlanConfig(AppConfig):
    name = "plan"
    verbose_name = "Police and Crime Plan"

    def ready(self):
        # Selectors and the email kinds read models, which are ready only now.
        from pcc_portal.notifications import register_email_kind
        from pcc_portal.searchable import register_search_kind
        from pcc_portal.transfer import TransferKind, register_kind
        from plan import permissions as perms
        from plan.notifications import EMAIL_KINDS
        from plan.searchable import SEARCH_KINDS
        from plan.selectors import home_plan_tasks

        register(HOME_TASKS, home_plan_tasks)
        # What the portal's search may find of the plan.
        for kind in SEARCH_KINDS:
            register_search_kind(kind)
        for kind in EMAIL_KINDS:
            register_email_kind(kind)
        # Spreadsheet import and export (pcc_portal.transfer); resources in plan/resources.py.
        for key, label, resource, permissions, position, hint in [
            (
                "areas",
                "Areas",
                "AreaResource",
                ("plan.add_area", "plan.change_area"),
                10,
                "One row a police division or local authority, matched by its GSS code, or "
                "its web address name (slug) if it has none.",
            ),
            (
                "plan",
                "Plans",
                "PlanResource",
                tuple(
                    f"plan.{verb}_{model}"
                    for model in ("plan", "priority", "commitment", "outcomemeasure")
                    for verb in ("add", "change")
                ),
                20,
                "One sheet for plans, their priorities, commitments and outcome measures: the "
                "record column says which a row is, matched by plan, priority and number.",
            ),
            (
                "updates",
                "Quarterly figures",
                "MeasureUpdateResource",
                (perms.ADD_MEASUREUPDATE, perms.CHANGE_MEASUREUPDATE),
                30,
                "One row a measure's figures for a quarter, matched by plan, priority, measure "
                "number and quarter; only drafts are created or changed.",
            ),
        ]:
            register_kind(
                TransferKind(
                    key=key,
                    label=label,
                    resource=f"plan.resources.{resource}",
                    permissions=permissions,
                    position=position,
                    hint=hint,
                    public=key == "areas",  # plans are drafts, figures draft updates
                )
            )
        from plan.models import MeasureUpdate, commentary_html_set

        # The commentary's HTML is made as it is saved, whichever way it is saved.
        pre_save.connect(commentary_html_set, sender=MeasureUpdate, dispatch_uid="plan_commentary")
        demo_loaded.connect(add_demo_targets, dispatch_uid="plan_add_demo_targets")
        demo_loaded.connect(add_demo_leads, dispatch_uid="plan_add_demo_leads")


# The illustrative fixtures below hold whole rows, so that loading them with loaddata is safe,
# but the demo command adds only rows that are missing, and these measures and updates are
# there already. So the demo fills these fields from them, and only where they are still empty.
DEMO_TARGETS_FIXTURE = "905_demo_measure_targets.json"
DEMO_FILLED_FIELDS = {
    "plan.outcomemeasure": ("target_value", "amber_tolerance"),
    "plan.measureupdate": ("value", "rating_explanation"),
}
# Illustrative leads: the demo's staff and approver accounts (by user name), which the demo
# command makes before it loads the fixtures. The seeds name no lead for any measure.
DEMO_LEADS_FIXTURE = "906_demo_measure_leads.json"
DEMO_LEAD_FIELDS = {"plan.outcomemeasure": ("lead",)}


def add_demo_targets(sender, **kwargs) -> str | None:
    """Gives the measures of the illustrative targets' fixture their target and tolerance, and
    the updates there their value and explanation, where each is still empty: never what
    someone has entered."""
    filled = _fill_empty_from(DEMO_TARGETS_FIXTURE, DEMO_FILLED_FIELDS)
    return f"Filled illustrative targets and values on {filled} row(s)." if filled else None


def add_demo_leads(sender, **kwargs) -> str | None:
    """Names the illustrative lead of the measures in the leads' fixture, where a measure has
    none yet and the demo account exists: never a lead someone has chosen."""
    filled = _fill_empty_from(DEMO_LEADS_FIXTURE, DEMO_LEAD_FIELDS)
    return f"Named illustrative leads for {filled} measure(s)." if filled else None


def _fill_empty_from(fixture: str, fields: dict[str, tuple[str, ...]]) -> int:
    """Copies `fields` of each row of `fixture` onto the saved row where the saved one is empty
    and the fixture's is not; returns how many rows were filled. A user the fixture names who
    does not exist fills nothing."""
    from django.conf import settings
    from django.core import serializers

    path = settings.BASE_DIR / "fixtures" / fixture
    if not path.exists():
        return 0
    with path.open(encoding="utf-8") as stream:
        items = [
            item.object
            for item in serializers.deserialize("json", stream, handle_forward_references=True)
        ]
    filled = 0
    for item in items:
        meta = item._meta
        names = [meta.get_field(n).attname for n in fields.get(meta.label_lower, ())]
        saved = type(item)._base_manager.filter(pk=item.pk).first()
        if saved is None:
            continue
        empty = [n for n in names if getattr(saved, n) in (None, "") and getattr(item, n)]
        if empty:
            type(item)._base_manager.filter(pk=item.pk).update(
                **{n: getattr(item, n) for n in empty}
            )
            filled += 1
    return filled
