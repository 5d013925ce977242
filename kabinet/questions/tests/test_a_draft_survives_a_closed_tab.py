"""A long text is saved as a draft while it is typed (htmx posts it to /drafts/…): the reply form
and the project's composer, opened again after the tab was closed, show it; sending the form
drops the draft. A draft is the person's own."""

from __future__ import annotations

from django.urls import reverse

from kabinet.core.models import Draft
from kabinet.questions.tests.helpers import ask


def test_an_answer_typed_and_left_is_there_when_the_thread_is_opened_again(
    login, marina, sergey, project
):
    thread = ask(marina, project)
    page = login(sergey).get(reverse("questions:thread", args=[thread.pk])).content.decode()
    draft_url = reverse("draft", args=["answer", thread.pk])
    assert f'hx-post="{draft_url}"' in page  # the answer field saves itself while typed

    saved = login(sergey).post(draft_url, {"body": "Марина, трафик упал из-за апдейта"})
    assert saved.status_code == 200 and "Черновик сохранён" in saved.content.decode()

    reopened = login(sergey).get(reverse("questions:thread", args=[thread.pk]))
    html = reopened.content.decode()
    assert "Марина, трафик упал из-за апдейта" in html
    assert reopened.context["reply_form"]["body"].value() == "Марина, трафик упал из-за апдейта"
    # Marina sees her own (empty) form: a draft is the person's own.
    assert (
        "трафик упал из-за апдейта"
        not in login(marina).get(reverse("questions:thread", args=[thread.pk])).content.decode()
    )

    sent = login(sergey).post(
        reverse("questions:reply", args=[thread.pk]),
        {"body": "Марина, трафик упал из-за апдейта поисковика."},
    )
    assert sent.status_code == 302
    again = login(sergey).get(reverse("questions:thread", args=[thread.pk]))
    assert again.context["reply_form"]["body"].value() in (None, "")


def test_a_report_typed_in_the_composer_is_restored_and_dropped_on_publish(login, sergey, project):
    login(sergey).post(
        reverse("draft", args=["composer", project.pk]),
        {"title": "Отчёт за ноябрь", "body": "Трафик вырос на 12%."},
    )

    page = login(sergey).get(reverse("project", args=[project.pk]))
    assert page.context["composer"]["title"].value() == "Отчёт за ноябрь"
    assert "Трафик вырос на 12%." in page.content.decode()

    published = login(sergey).post(
        reverse("publish", args=[project.pk]),
        {
            "kind": "report",
            "title": "Отчёт за ноябрь",
            "body": "Трафик вырос на 12%.",
            "visibility": "client",
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
        },
    )
    assert published.status_code == 302
    again = login(sergey).get(reverse("project", args=[project.pk]))
    assert again.context["composer"]["title"].value() in (None, "")


def test_emptying_the_field_drops_the_draft(login, marina, sergey, project):
    thread = ask(marina, project)
    url = reverse("draft", args=["answer", thread.pk])
    login(sergey).post(url, {"body": "Черновик"})
    login(sergey).post(url, {"body": "   "})
    assert not Draft.objects.exists()
