from __future__ import annotations

from django.urls import reverse

from kabinet.timeline.models import Visibility

from .factories import attachment, event


def test_internal_note_is_not_on_the_clients_project_page(login, marina, sergey, project):
    event(project, title="Отчёт для клиента", author=sergey)
    event(project, title="Клиент недоволен сроками", author=sergey, visibility=Visibility.INTERNAL)
    html = login(marina).get(reverse("project", args=[project.pk])).content.decode()
    assert "Отчёт для клиента" in html
    assert "Клиент недоволен сроками" not in html


def test_staff_see_internal_notes_marked_as_internal(login, sergey, project):
    event(project, title="Клиент недоволен сроками", author=sergey, visibility=Visibility.INTERNAL)
    html = login(sergey).get(reverse("project", args=[project.pk])).content.decode()
    assert "Клиент недоволен сроками" in html
    assert "tag-internal" in html


def test_client_gets_404_for_an_internal_event(login, marina, sergey, project):
    note = event(project, title="Внутреннее", author=sergey, visibility=Visibility.INTERNAL)
    assert login(marina).get(reverse("event", args=[note.pk])).status_code == 404


def test_client_cannot_download_an_internal_attachment(login, marina, sergey, project):
    note = event(project, title="Внутреннее", author=sergey, visibility=Visibility.INTERNAL)
    public = event(project, title="Отчёт", author=sergey)
    assert login(marina).get(reverse("attachment", args=[attachment(note).pk])).status_code == 404
    response = login(marina).get(reverse("attachment", args=[attachment(public, "ok.pdf").pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"


def test_chronology_search_never_finds_internal_items_for_a_client(login, marina, sergey, project):
    event(project, title="Бюджет согласован", author=sergey)
    event(
        project,
        title="Бюджет превышен, не говорить клиенту",
        author=sergey,
        visibility=Visibility.INTERNAL,
    )
    html = (
        login(marina).get(reverse("project", args=[project.pk]), {"q": "Бюджет"}).content.decode()
    )
    assert "Бюджет согласован" in html
    assert "не говорить клиенту" not in html


def test_staged_upload_of_another_user_is_never_attached(login, sergey, viktoria, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kabinet.core.scoping import viewer_for
    from kabinet.timeline.services import stage_upload

    theirs = stage_upload(
        viewer=viewer_for(viktoria), upload=SimpleUploadedFile("secret.pdf", b"%PDF")
    )
    response = login(sergey).post(
        reverse("publish", args=[project.pk]),
        {"kind": "message", "title": "Сообщение", "visibility": "client", "staged": str(theirs.pk)},
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.event_id is None
