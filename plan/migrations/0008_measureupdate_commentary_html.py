"""Stores each update's commentary as sanitised HTML beside its Markdown, filled for the updates
already saved, so pages listing many quarters read it instead of rendering it on each request."""

from django.db import migrations, models

from pcc_portal.markdown import render_markdown

BATCH = 500


def commentary_html_fill(apps, schema_editor):
    MeasureUpdate = apps.get_model("plan", "MeasureUpdate")
    batch = []
    for update in MeasureUpdate.objects.only("pk", "commentary").iterator(chunk_size=BATCH):
        update.commentary_html = render_markdown(update.commentary)
        batch.append(update)
        if len(batch) == BATCH:
            MeasureUpdate.objects.bulk_update(batch, ["commentary_html"])
            batch = []
    MeasureUpdate.objects.bulk_update(batch, ["commentary_html"])


class Migration(migrations.Migration):
    dependencies = [("plan", "0007_plan_publication")]

    operations = [
        migrations.AddField(
            model_name="measureupdate",
            name="commentary_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(commentary_html_fill, migrations.RunPython.noop, elidable=True),
    ]
