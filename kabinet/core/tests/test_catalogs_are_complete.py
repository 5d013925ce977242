from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_user_facing_string_has_a_russian_translation():
    call_command("i18n", "--check")


def test_the_check_notices_a_missing_translation(tmp_path):
    import polib

    from kabinet.core.management.commands.i18n import problems

    catalog = tmp_path / "app" / "locale" / "ru" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Projects", msgstr="Проекты"))
    po.append(polib.POEntry(msgid="New string", msgstr=""))
    po.append(polib.POEntry(msgid="Guess", msgstr="Догадка", flags=["fuzzy"]))
    po.save(str(catalog / "django.po"))
    assert problems(tmp_path) == [
        "app/locale/ru/LC_MESSAGES/django.po: 'New string'",
        "app/locale/ru/LC_MESSAGES/django.po: 'Guess'",
    ]
