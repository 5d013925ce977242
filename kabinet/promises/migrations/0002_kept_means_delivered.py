"""Kept means delivered: a kept promise points at what the client received.

Existing rows: a promise kept by completing its task wrote «Task done: <internal task title>» into
the client's chronology (and into the note shown on the promise page). That text was internal and
told the client nothing she received; it is removed from both.
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

LEAKED_PREFIXES = ("Task done: ", "Задача выполнена: ")


def forwards(apps, schema_editor):
    Promise = apps.get_model("promises", "Promise")
    Event = apps.get_model("timeline", "Event")
    for prefix in LEAKED_PREFIXES:
        Promise.objects.filter(kept_note__startswith=prefix).update(kept_note="")
        leaked = Event.objects.filter(
            kind="promise", source_type="promises.promise", body__startswith=prefix
        )
        ids = list(leaked.values_list("pk", flat=True))
        leaked.update(body="")
        if ids and schema_editor.connection.vendor == "sqlite":
            # The SQLite search index holds the stems of the old body: rebuild those rows.
            from kabinet.timeline.search import FTS_TABLE, stems

            with schema_editor.connection.cursor() as cursor:
                for event in Event.objects.filter(pk__in=ids).only("pk", "title", "body"):
                    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [event.pk])
                    cursor.execute(
                        f"INSERT INTO {FTS_TABLE} (rowid, content) VALUES (%s, %s)",
                        [event.pk, " ".join(stems(f"{event.title} {event.body}"))],
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0001_initial"),
        ("timeline", "0003_generated_titles_and_agency_silence"),
    ]

    operations = [
        migrations.AddField(
            model_name="promise",
            name="evidence_event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="timeline.event",
                verbose_name="delivered in",
            ),
        ),
        migrations.AlterField(
            model_name="promise",
            name="kept_note",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="internal note on keeping"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
