from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from kabinet.core.scoping import viewer_for
from kabinet.timeline import search
from kabinet.timeline.models import Attachment
from kabinet.timeline.services import record_event

pytestmark = pytest.mark.django_db(transaction=True)


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m.__module__.startswith("kabinet.") and not m._meta.proxy
    }


def hits(viewer) -> list[int]:
    return sorted(e.pk for e in search.search(viewer, "позиция"))


def test_a_backup_restored_into_an_empty_database_finds_every_row_file_and_search_hit(
    tmp_path, project, sergey, marina
):
    event = record_event(
        project=project,
        kind="report",
        title="Отчёт о росте позиций в поисковой выдаче",
        body="Позиции выросли по 40 запросам.",
        author=sergey,
    )
    attachment = Attachment(agency=project.agency, event=event, name="otchet.pdf", size=8)
    attachment.file.save("otchet.pdf", ContentFile(b"%PDF-1.4"), save=True)
    before = row_counts()
    found_before = hits(viewer_for(sergey))
    assert event.pk in found_before

    archive = tmp_path / "kabinet.tar"
    call_command("backup", str(archive), verbosity=0)

    # Empty everything: every table, the search index, the uploaded file.
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
    attachment.file.storage.delete(attachment.file.name)
    assert row_counts()["timeline.Event"] == 0
    cache.set("rendered-from-the-data-replaced", "stale")

    call_command("restore", str(archive), verbosity=0)

    assert cache.get("rendered-from-the-data-replaced") is None  # nothing cached survives
    assert row_counts() == before
    restored = Attachment.objects.get(pk=attachment.pk)
    with restored.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4"
    assert hits(viewer_for(sergey.__class__.objects.get(pk=sergey.pk))) == found_before


def test_restore_refuses_to_overwrite_a_database_that_holds_data(tmp_path, project):
    archive = tmp_path / "kabinet.tar"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(archive), verbosity=0)


def test_restore_of_something_that_is_not_a_backup_says_so(tmp_path, db):
    bogus = tmp_path / "notes.tar"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="not a Kabinet backup"):
        call_command("restore", str(bogus), verbosity=0)
