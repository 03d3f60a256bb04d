from django.db import migrations, models


def texts_read(apps, schema_editor):
    """Reads the words of the PDFs already stored, once, so searching never opens a file. A
    file missing from storage, encrypted or unreadable leaves the text empty."""
    from scrutiny.pdf_text import stored_pdf_text

    for model_name, field in (("ScrutinyPaper", "text"), ("Minutes", "file_text")):
        model = apps.get_model("scrutiny", model_name)
        for record in model.objects.exclude(file="").only("pk", "file").iterator():
            text = stored_pdf_text(record.file)
            if text:
                model.objects.filter(pk=record.pk).update(**{field: text})


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0010_meeting_time_venue_and_status_not_recorded"),
    ]

    operations = [
        migrations.AddField(
            model_name="minutes",
            name="file_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="scrutinypaper",
            name="text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(texts_read, migrations.RunPython.noop, elidable=True),
    ]
