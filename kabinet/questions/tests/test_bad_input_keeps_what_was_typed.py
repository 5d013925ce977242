"""Every bad input gets a clear message and loses nothing typed or uploaded."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kabinet.questions import services
from kabinet.questions.models import Thread
from kabinet.questions.tests.helpers import ask, v
from kabinet.timeline.models import Attachment


def test_a_question_without_text_keeps_the_subject_and_the_uploaded_file(login, marina, project):
    client = login(marina)
    url = reverse("questions:ask", args=[project.pk])
    good = SimpleUploadedFile("скрин.png", b"\x89PNG demo", content_type="image/png")
    response = client.post(url, {"subject": "Трафик упал", "body": "  ", "files": [good]})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Трафик упал"' in page
    assert "This field is required." in page or "Обязательное поле." in page
    staged = Attachment.objects.get(name="скрин.png", event__isnull=True)
    assert f'value="{staged.pk}"' in page and "📎 скрин.png" in page
    # The second try sends only the text; the staged file comes along.
    response = client.post(
        url, {"subject": "Трафик упал", "body": "С понедельника", "staged": str(staged.pk)}
    )
    assert response.status_code == 302
    thread = Thread.objects.get(subject="Трафик упал")
    assert list(thread.messages.first().event.attachments.all()) == [staged]


def test_a_refused_file_is_named_and_the_text_is_kept(login, marina, project):
    client = login(marina)
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("questions:ask", args=[project.pk]),
        {"subject": "Вопрос", "body": "Длинный текст вопроса", "files": [bad]},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "virus.exe" in page and "Длинный текст вопроса" in page
    assert not Thread.objects.exists()


def test_an_empty_answer_is_refused_and_the_staged_file_kept(login, marina, sergey, project):
    thread = ask(marina, project)
    client = login(sergey)
    doc = SimpleUploadedFile("ответ.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        reverse("questions:reply", args=[thread.pk]), {"body": "", "internal": "on", "files": [doc]}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "📎 ответ.pdf" in page and 'name="internal"' in page and "checked" in page
    assert thread.messages.count() == 1


def test_a_rating_out_of_range_says_so_and_keeps_the_comment(login, marina, sergey, project):
    thread = ask(marina, project)
    services.reply(viewer=v(sergey), thread=thread, body="Ответ")
    services.resolve(viewer=v(marina), thread=thread)
    response = login(marina).post(
        reverse("questions:rate", args=[thread.pk]), {"rating": "9", "comment": "Мой отзыв"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Мой отзыв" in page
    assert "1 to 5" in page or "от 1 до 5" in page
    assert Thread.objects.get(pk=thread.pk).rating is None


def test_a_wrong_period_on_the_numbers_page_is_explained_and_kept(login, head):
    response = login(head).get(
        reverse("questions:numbers"), {"start": "2026-12-01", "end": "2026-11-01"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="2026-12-01"' in page and 'value="2026-11-01"' in page
    assert "ends before it starts" in page or "заканчивается раньше" in page
