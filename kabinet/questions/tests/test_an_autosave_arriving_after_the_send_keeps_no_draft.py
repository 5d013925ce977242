"""The answer field saves itself on "change", which fires as the send button is clicked: that
autosave can reach the server after the answer was sent. It must not bring the sent text back as
a draft in the form; a new text typed after the send is a draft again."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kabinet.core.models import Draft
from kabinet.questions.tests.helpers import ask

TEXT = "Марина, трафик упал из-за апдейта поисковика."


def _reply_box(client, thread):
    page = client.get(reverse("questions:thread", args=[thread.pk]))
    return page.context["reply_form"]["body"].value() or ""


def test_the_autosave_of_the_sent_text_after_the_send_leaves_the_form_empty(
    login, marina, sergey, project
):
    thread = ask(marina, project)
    staff = login(sergey)
    draft_url = reverse("draft", args=["answer", thread.pk])
    staff.post(draft_url, {"body": TEXT[:20]})

    assert (
        staff.post(reverse("questions:reply", args=[thread.pk]), {"body": TEXT}).status_code == 302
    )
    late = staff.post(draft_url, {"body": TEXT + "\n"})  # the echo, white space aside

    assert late.status_code == 200 and late.content == b""
    assert _reply_box(staff, thread) == ""


def test_a_new_text_typed_after_the_send_is_kept_as_a_draft(login, marina, sergey, project):
    thread = ask(marina, project)
    staff = login(sergey)
    staff.post(reverse("questions:reply", args=[thread.pk]), {"body": TEXT})

    staff.post(reverse("draft", args=["answer", thread.pk]), {"body": "И ещё одно уточнение"})

    assert _reply_box(staff, thread) == "И ещё одно уточнение"


def test_the_same_text_typed_again_long_after_the_send_is_a_draft_again(
    login, marina, sergey, project
):
    thread = ask(marina, project)
    staff = login(sergey)
    staff.post(reverse("questions:reply", args=[thread.pk]), {"body": TEXT})
    Draft.objects.update(updated_at=timezone.now() - timedelta(minutes=5))

    staff.post(reverse("draft", args=["answer", thread.pk]), {"body": TEXT})

    assert _reply_box(staff, thread) == TEXT
