"""The letter is written in the language the client's people chose: Russian or English."""

from __future__ import annotations

import pytest

from kabinet.health.digests import services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w


@pytest.fixture
def week(project, sergey, marina, django_capture_on_commit_callbacks):
    w.build(project, sergey, django_capture_on_commit_callbacks)


def test_a_russian_speaking_client_gets_a_russian_letter(week, project, marina):
    services.draft_due_digests(now=w.DRAFTED_AT)
    digest = Digest.objects.get(project=project)

    assert digest.language == "ru"
    assert digest.subject.startswith("Итоги недели: SEO technodom")
    for heading in ("### Что мы сделали", "### Что дальше", "### Что мы обещали"):
        assert heading in digest.body
    assert "What we did" not in digest.body


def test_an_english_speaking_client_gets_an_english_letter(week, project, marina):
    marina.language = "en"
    marina.save(update_fields=["language"])

    services.draft_due_digests(now=w.DRAFTED_AT)
    digest = Digest.objects.get(project=project)

    assert digest.language == "en"
    assert digest.subject.startswith("Weekly digest: SEO technodom")
    for heading in ("### What we did", "### What is next", "### What it led to"):
        assert heading in digest.body
    assert "Done: Тексты категорий" in digest.body  # Kabinet's own title, in her language
    assert "+20.0 % ▲ — better" in digest.body
    assert "Что мы сделали" not in digest.body


def test_with_no_client_user_yet_the_companys_language_is_used(project, sergey):
    project.company.language = "en"
    project.company.save(update_fields=["language"])

    services.draft_due_digests(now=w.DRAFTED_AT)

    assert Digest.objects.get(project=project).language == "en"
