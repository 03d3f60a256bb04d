"""What the Django admin may and may not change.

The admin is for administration: correcting a typo, fixing a slug. Sign-off and publication go
through the portal's own pages and services (submit, approve, lock, publish), which check who
may do them and keep their history. So workflow states and publication flags are shown in the
admin but never editable there, on add forms as on change forms.
"""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

# Every record protected against lost updates has this field; it only ever moves on save.
VERSION_FIELD = "version"


class WorkflowReadOnlyAdmin:
    """Mix into a ModelAdmin (before its base class) and list the model's workflow fields.

    Those fields, and any `version` field, are read-only in the admin. They are also kept as
    they are in the database (or at their defaults, for a new row) whatever the form or a
    history revert brings, so a new quarterly update made here is a draft and an old approved
    revision cannot be restored over a returned one.
    """

    workflow_fields: tuple[str, ...] = ()

    def get_workflow_fields(self) -> tuple[str, ...]:
        fields = tuple(self.workflow_fields)
        if _has_field(self.model, VERSION_FIELD) and VERSION_FIELD not in fields:
            fields += (VERSION_FIELD,)
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [name for name in self.get_workflow_fields() if name not in readonly]

    def save_model(self, request, obj, form, change):
        self._keep_workflow_fields(obj)
        super().save_model(request, obj, form, change)

    def _keep_workflow_fields(self, obj) -> None:
        fields = [self.model._meta.get_field(name) for name in self.get_workflow_fields()]
        attnames = [field.attname for field in fields]
        stored = None
        if obj.pk is not None:
            stored = self.model._base_manager.filter(pk=obj.pk).values(*attnames).first()
        for field in fields:
            value = stored[field.attname] if stored else field.get_default()
            if field.name == VERSION_FIELD and stored:
                value += 1  # an edit here makes forms opened in the portal stale, as any save
            setattr(obj, field.attname, value)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the admin may list and read, never add, change or delete."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
