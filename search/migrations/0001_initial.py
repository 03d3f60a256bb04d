from django.db import migrations, models

# SQLite: an external-content FTS5 table over the entries' title and body, kept in step by
# triggers. PostgreSQL: a stored, weighted tsvector (title A, body B) with a GIN index.
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_searchentry_fts USING fts5(
        title, body, content='search_searchentry', content_rowid='id',
        tokenize='porter unicode61')""",
    """CREATE TRIGGER search_searchentry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_searchentry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_searchentry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_searchentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_searchentry_au",
    "DROP TRIGGER IF EXISTS search_searchentry_ad",
    "DROP TRIGGER IF EXISTS search_searchentry_ai",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')) STORED""",
    "CREATE INDEX search_searchentry_vector ON search_searchentry USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=30)),
                ("object_id", models.PositiveBigIntegerField()),
                ("key", models.CharField(max_length=40)),
                ("title", models.CharField(max_length=400)),
                ("within", models.CharField(blank=True, default="", max_length=400)),
                ("body", models.TextField(blank=True)),
                ("url", models.CharField(max_length=500)),
                ("audience", models.CharField(choices=[("public", "public"), ("exempt", "exempt")], max_length=10)),
                ("date", models.DateField(blank=True, null=True)),
                ("priority_ids", models.CharField(blank=True, default="", max_length=400)),
                ("area_ids", models.CharField(blank=True, default="", max_length=400)),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "indexes": [models.Index(fields=["audience", "kind", "date"], name="search_sear_audienc_8a3534_idx")],
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id", "key"), name="one_search_entry")],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
