"""Full-text search index: an FTS5 table of stemmed text on SQLite, a GIN index on PostgreSQL.

Each branch runs only on its own database; other databases get nothing (search falls back to
substring matching there).
"""

from django.db import migrations

FTS_TABLE = "timeline_event_fts"
PG_INDEX = "timeline_event_fts_ru_en"


def _pg_index():
    # The exact expression kabinet.timeline.search queries with, so the planner can use the index.
    from django.contrib.postgres.indexes import GinIndex

    from kabinet.timeline.search import pg_vector

    return GinIndex(pg_vector(), name=PG_INDEX)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(content, tokenize='unicode61')"
        )
        from kabinet.timeline.search import _document

        Event = apps.get_model("timeline", "Event")
        rows = [(e.pk, _document(e)) for e in Event.objects.only("pk", "title", "body").iterator()]
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, content) VALUES (%s, %s)", rows)
    elif vendor == "postgresql":
        Event = apps.get_model("timeline", "Event")
        schema_editor.add_index(Event, _pg_index())


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
