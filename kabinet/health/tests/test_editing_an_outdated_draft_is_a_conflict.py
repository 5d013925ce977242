"""Editing a draft that changed under you is a clear conflict (409) that keeps your text, never a
silent overwrite; bad input names the field and loses nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabinet.core.scoping import viewer_for
from kabinet.health.digests import services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w


@pytest.fixture
def digest(project, sergey, head):
    services.draft_due_digests(now=w.DRAFTED_AT)
    return Digest.objects.get(project=project)


def test_a_save_from_an_outdated_copy_is_a_conflict_and_keeps_both_texts(
    digest, login, sergey, head
):
    opened = digest.version
    services.save_digest(
        viewer=viewer_for(head),
        digest=digest,
        subject=digest.subject,
        body="Текст руководителя",
        version=opened,
    )

    response = login(sergey).post(
        reverse("health:digest", args=[digest.pk]),
        {"subject": digest.subject, "body": "Текст Сергея", "version": opened, "action": "save"},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Текст Сергея" in page  # what she typed is still in the form
    assert "Текст руководителя" in page  # and the saved version is shown next to it
    assert "Анна Королёва" in page  # who changed it
    digest.refresh_from_db()
    assert digest.body == "Текст руководителя\n"


def test_sending_an_outdated_copy_sends_nothing(digest, login, sergey, head):
    opened = digest.version
    services.save_digest(
        viewer=viewer_for(head), digest=digest, subject="Новая тема", body="Текст", version=opened
    )

    response = login(sergey).post(
        reverse("health:digest", args=[digest.pk]),
        {"subject": "Старая тема", "body": "Старый текст", "version": opened, "action": "send"},
    )

    assert response.status_code == 409
    digest.refresh_from_db()
    assert not digest.is_sent and digest.subject == "Новая тема"


def test_after_seeing_the_conflict_she_may_save_again(digest, login, sergey, head):
    services.save_digest(
        viewer=viewer_for(head), digest=digest, subject="Тема", body="A", version=digest.version
    )
    client = login(sergey)
    url = reverse("health:digest", args=[digest.pk])
    conflict = client.post(url, {"subject": "Тема", "body": "B", "version": 1, "action": "save"})
    version = conflict.context["form"]["version"].value()

    again = client.post(url, {"subject": "Тема", "body": "B", "version": version, "action": "save"})

    assert again.status_code == 302
    digest.refresh_from_db()
    assert digest.body == "B\n"


def test_an_empty_letter_names_the_field_and_keeps_the_subject(digest, login, sergey):
    response = login(sergey).post(
        reverse("health:digest", args=[digest.pk]),
        {"subject": "Моя тема", "body": "   ", "version": digest.version, "action": "send"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert "Моя тема" in response.content.decode()
    digest.refresh_from_db()
    assert not digest.is_sent
