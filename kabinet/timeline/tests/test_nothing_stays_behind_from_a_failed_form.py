"""Nothing stays behind from a failed form (issue 13, point 3).

A client sent a form that was refused five times and left 100 MB behind. Files uploaded with a
refused form are staged with an owner and an expiry, the hourly job deletes them once expired,
and a storage quota per person and per agency refuses more with a clear message, keeping the
rest of the form.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kabinet.jobs.schedule import SCHEDULE
from kabinet.questions.models import Thread
from kabinet.timeline import tasks
from kabinet.timeline.models import Attachment


def _pdf(name: str, size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF" + b"0" * (size - 4), content_type="application/pdf")


def _refused_question(client, project, name: str):
    """A question without text: refused, the file staged."""
    return client.post(
        reverse("questions:ask", args=[project.pk]),
        {"subject": "Трафик", "body": "", "files": [_pdf(name)]},
    )


def test_a_file_from_a_refused_form_is_staged_with_its_owner_and_an_expiry(login, marina, project):
    before = timezone.now()
    assert _refused_question(login(marina), project, "скрин.pdf").status_code == 400
    staged = Attachment.objects.get(name="скрин.pdf")
    assert staged.event is None and staged.uploaded_by == marina
    assert staged.staged_until is not None
    assert before + timedelta(hours=1) < staged.staged_until <= timezone.now() + timedelta(days=2)


def test_the_periodic_job_deletes_expired_staged_files_and_keeps_the_rest(
    login, marina, sergey, project
):
    client = login(marina)
    _refused_question(client, project, "брошен.pdf")
    _refused_question(client, project, "свежий.pdf")
    abandoned = Attachment.objects.get(name="брошен.pdf")
    path = abandoned.file.name
    assert default_storage.exists(path)
    Attachment.objects.filter(pk=abandoned.pk).update(
        staged_until=timezone.now() - timedelta(minutes=1)
    )
    # A file that did get attached is never touched, however old.
    ok = client.post(
        reverse("questions:ask", args=[project.pk]),
        {"subject": "С файлом", "body": "Текст", "files": [_pdf("нужный.pdf")]},
    )
    assert ok.status_code == 302
    attached = Attachment.objects.get(name="нужный.pdf")
    assert attached.event_id and attached.staged_until is None
    Attachment.objects.filter(pk=attached.pk).update(
        uploaded_at=timezone.now() - timedelta(days=30)
    )

    assert tasks.purge_staged_uploads.call() == 1
    assert not Attachment.objects.filter(pk=abandoned.pk).exists()
    assert not default_storage.exists(path)
    assert set(Attachment.objects.values_list("name", flat=True)) == {"свежий.pdf", "нужный.pdf"}


def test_the_purge_is_a_job_in_the_one_schedule():
    assert any(job.task is tasks.purge_staged_uploads for job in SCHEDULE)


def test_a_file_past_the_persons_quota_is_refused_and_the_form_kept(
    login, settings, marina, project
):
    settings.STORAGE_QUOTA_USER_MB = 1
    client = login(marina)
    _refused_question(client, project, "первый.pdf")
    big = _pdf("большой.pdf", size=1024 * 1024)
    response = client.post(
        reverse("questions:ask", args=[project.pk]),
        {"subject": "Квота", "body": "Мой длинный вопрос", "files": [big]},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "большой.pdf" in page and "Мой длинный вопрос" in page
    (message,) = response.context["form"].errors["files"]
    assert "большой.pdf" in message and "100" in message  # what is used already, in bytes
    assert not Attachment.objects.filter(name="большой.pdf").exists()
    assert not Thread.objects.exists()


def test_the_agency_quota_counts_everyones_files(login, settings, marina, sergey, project):
    settings.STORAGE_QUOTA_AGENCY_MB = 1
    _refused_question(login(marina), project, "клиент.pdf")
    response = login(sergey).post(
        reverse("publish", args=[project.pk]),
        {
            "kind": "message",
            "title": "Файл",
            "body": "Текст",
            "visibility": "client",
            "files": [_pdf("агентство.pdf", size=1024 * 1024)],
        },
    )
    assert response.status_code == 400
    assert "агентство.pdf" in response.content.decode()
    assert "Текст" in response.content.decode()
    assert not Attachment.objects.filter(name="агентство.pdf").exists()
