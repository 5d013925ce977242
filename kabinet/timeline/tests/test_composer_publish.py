"""Staff publish from the composer; a failed publish keeps everything typed and uploaded."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from kabinet.timeline.models import Attachment, Event


def post(client, project, **data):
    payload = {
        "kind": "report",
        "title": "Отчёт за ноябрь",
        "body": "**Итоги**",
        "visibility": "client",
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
    }
    payload.update(data)
    return client.post(reverse("publish", args=[project.pk]), payload)


def test_manager_publishes_a_report_with_an_attachment(login, sergey, project):
    response = post(login(sergey), project, files=[SimpleUploadedFile("otchet.pdf", b"%PDF-1.4")])
    assert response.status_code == 302
    report = Event.objects.get(project=project)
    assert (report.kind, report.author, str(report.period_start)) == (
        "report",
        sergey,
        "2026-11-01",
    )
    assert [a.name for a in report.attachments.all()] == ["otchet.pdf"]
    project.refresh_from_db()
    assert project.last_client_update_at == report.occurred_at


def test_internal_publication_does_not_end_the_clients_silence(login, sergey, project):
    post(
        login(sergey),
        project,
        kind="message",
        visibility="internal",
        period_start="",
        period_end="",
    )
    project.refresh_from_db()
    assert project.last_client_update_at is None


def test_report_without_a_period_is_refused_and_the_text_is_kept(login, sergey, project):
    response = post(
        login(sergey), project, period_start="", period_end="", body="Длинный текст отчёта"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Reports and plans cover a period" in html or "охватывают период" in html
    assert "Длинный текст отчёта" in html and 'value="Отчёт за ноябрь"' in html
    assert not Event.objects.exists()


def test_file_of_a_refused_type_gets_a_clear_message_and_the_form_is_kept(login, sergey, project):
    response = post(
        login(sergey),
        project,
        body="Текст сохранится",
        files=[SimpleUploadedFile("virus.exe", b"MZ")],
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "virus.exe" in html and "exe" in html
    assert "Текст сохранится" in html
    assert not Event.objects.exists()
    assert not Attachment.objects.exists()


@override_settings(MAX_UPLOAD_MB=1)
def test_oversized_file_is_refused_while_the_good_file_is_kept_for_the_next_try(
    login, sergey, project
):
    client = login(sergey)
    big = SimpleUploadedFile("huge.pdf", b"x" * (1024 * 1024 + 1))
    good = SimpleUploadedFile("plan.xlsx", b"PK")
    response = post(client, project, files=[good, big])
    assert response.status_code == 400
    html = response.content.decode()
    assert "huge.pdf" in html and ("limit" in html or "лимит" in html or "предел" in html)
    staged = Attachment.objects.get(name="plan.xlsx")
    assert staged.event_id is None
    assert f'value="{staged.pk}"' in html  # carried in the form, not lost

    response = post(client, project, staged=str(staged.pk))
    assert response.status_code == 302
    staged.refresh_from_db()
    assert staged.event is not None and staged.event.title == "Отчёт за ноябрь"


def test_period_that_ends_before_it_starts_is_refused(login, sergey, project):
    response = post(login(sergey), project, period_start="2026-11-30", period_end="2026-11-01")
    assert response.status_code == 400
    assert not Event.objects.exists()
