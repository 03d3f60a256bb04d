from django.contrib import admin

from pcc_portal.models import OfficeProfile


@admin.register(OfficeProfile)
class OfficeProfileAdmin(admin.ModelAdmin):
    fieldsets = [
        (
            "Office",
            {
                "fields": [
                    "office_name",
                    "office_short_name",
                    "police_area",
                    "commissioner_title",
                    "panel_name",
                ]
            },
        ),
        ("Contact", {"fields": ["postal_address", "phone", "email", "website"]}),
        (
            "Papers",
            {
                "fields": [
                    "contact_officer_name",
                    "contact_officer_phone",
                    "contact_officer_email",
                    "signatory_name",
                    "signatory_title",
                ]
            },
        ),
    ]

    def has_add_permission(self, request) -> bool:
        # There is one profile; it is edited, never added twice.
        return super().has_add_permission(request) and not OfficeProfile.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
