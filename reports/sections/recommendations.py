"""A task group's recommendations with the Commissioner's responses."""

from crispy_forms_gds.layout import Field
from django import forms

from reports.sections import register
from reports.sections.kind import SectionKind
from scrutiny.models import TaskGroup
from scrutiny.selectors import published_recommendations, task_group_named


@register
class Recommendations(SectionKind):
    value = "recommendations"
    label = "Task group recommendations"
    position = 60
    template = "reports/sections/recommendations.html"

    def form_fields(self, user) -> dict[str, forms.Field]:
        return {
            "task_group": forms.ModelChoiceField(
                queryset=TaskGroup.objects.order_by("title"), to_field_name="slug",
                label="Task group", error_messages={"required": "Select the task group"},
            )
        }  # fmt: skip

    def layout_for(self, name: str):
        return Field.select(name)

    def params_from(self, cleaned: dict) -> dict:
        group = cleaned.get("task_group")
        return {"task_group": group.slug} if group else {}

    def errors(self, section) -> list[str]:
        if task_group_named(section.params.get("task_group") or "") is None:
            return ["Choose the task group whose recommendations the section shows."]
        return []

    def publish_problems(self, section) -> list[str]:
        group = task_group_named(section.params.get("task_group") or "")
        if group is None or group.published:
            return []
        return [f"the task group “{group}” is not published yet: publish it first."]

    def data(self, section, report) -> dict:
        group, recommendations = published_recommendations(section.params.get("task_group"))
        return {"task_group": group, "recommendations": recommendations}
