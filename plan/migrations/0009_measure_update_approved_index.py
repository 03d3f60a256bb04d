"""An index on the updates' status and approval time: a panel member's home page starts from the
updates approved since the last panel meeting, which otherwise reads every update ever made."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("plan", "0008_measureupdate_commentary_html")]

    operations = [
        migrations.AddIndex(
            model_name="measureupdate",
            index=models.Index(fields=["status", "approved_at"], name="measure_update_approved"),
        ),
    ]
