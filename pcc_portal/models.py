from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OfficeProfile(TimeStampedModel):
    """Who runs this portal: the office, its police area and panel, and how to reach them.

    There is one profile (primary key 1). The layout shows it on every page, and papers take
    their default contact officer and signatory from it.
    """

    office_name = models.CharField(
        max_length=200, help_text="For example: Office of the Police and Crime Commissioner."
    )
    office_short_name = models.CharField(max_length=40, blank=True, help_text="For example: OPCC.")
    police_area = models.CharField(max_length=100)
    commissioner_title = models.CharField(max_length=100, default="Police and Crime Commissioner")
    panel_name = models.CharField(max_length=200)
    postal_address = models.TextField(help_text="One line of the address per line.")
    phone = models.CharField(max_length=40)
    email = models.EmailField()
    website = models.URLField(blank=True)
    contact_officer_name = models.CharField(max_length=100)
    contact_officer_phone = models.CharField(max_length=40)
    contact_officer_email = models.EmailField()
    signatory_name = models.CharField(max_length=100)
    signatory_title = models.CharField(max_length=100, help_text="For example: Director.")

    class Meta:
        verbose_name = "office profile"
        permissions = [("view_exempt_items", "Can see exempt (Part II) items")]

    def __str__(self) -> str:
        return self.office_name

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def service_name(self) -> str:
        return f"{self.panel_name} portal"

    @property
    def address_lines(self) -> list[str]:
        return [
            line.strip().rstrip(",") for line in self.postal_address.splitlines() if line.strip()
        ]

    @classmethod
    def load(cls) -> "OfficeProfile":
        """The office profile; an unsaved placeholder naming nobody if none is loaded yet."""
        return cls.objects.filter(pk=1).first() or cls(
            office_name="Office of the Police and Crime Commissioner",
            police_area="",
            panel_name="Police and Crime Panel",
        )
