import datetime

from django.db import migrations, models
from django.db.models import Max, Min


def financial_years_fill(apps, schema_editor):
    """Each award (and each of its past versions) gets the financial year of its date: one
    update a year, April to March."""
    for name in ("Award", "HistoricalAward"):
        awards = apps.get_model("funding", name).objects
        span = awards.aggregate(first=Min("award_date"), last=Max("award_date"))
        if span["first"] is None:
            continue
        for year in range(span["first"].year - 1, span["last"].year + 1):
            awards.filter(
                award_date__gte=datetime.date(year, 4, 1),
                award_date__lt=datetime.date(year + 1, 4, 1),
            ).update(financial_year=year)


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0005_award_grant_identifier"),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="financial_year",
            field=models.PositiveSmallIntegerField(db_index=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalaward",
            name="financial_year",
            field=models.PositiveSmallIntegerField(db_index=True, editable=False, null=True),
        ),
        migrations.RunPython(financial_years_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="award",
            name="financial_year",
            field=models.PositiveSmallIntegerField(db_index=True, editable=False),
        ),
        migrations.AlterField(
            model_name="historicalaward",
            name="financial_year",
            field=models.PositiveSmallIntegerField(db_index=True, editable=False),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                fields=["status", "fund", "financial_year", "amount", "award_date"],
                name="award_totals",
            ),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(fields=["award_date", "id"], name="award_date_order"),
        ),
    ]
