"""A draft belongs to a form the person may fill: a draft of another company's thread, another
agency's project or an unknown kind of form is a 404 and nothing is stored."""

from __future__ import annotations

from django.urls import reverse

from kabinet.core.models import Draft
from kabinet.questions.tests.helpers import ask


def test_a_draft_for_what_the_viewer_may_not_see_is_a_404(
    login, marina, oleg, sergey, stranger, project
):
    thread = ask(marina, project)

    assert (
        login(oleg).post(reverse("draft", args=["answer", thread.pk]), {"body": "x"}).status_code
        == 404
    )
    assert (
        login(stranger)
        .post(reverse("draft", args=["answer", thread.pk]), {"body": "x"})
        .status_code
        == 404
    )
    # The composer is the agency's: a client has none.
    assert (
        login(marina)
        .post(reverse("draft", args=["composer", project.pk]), {"body": "x"})
        .status_code
        == 404
    )
    assert (
        login(sergey)
        .post(reverse("draft", args=["nonsense", project.pk]), {"body": "x"})
        .status_code
        == 404
    )
    assert not Draft.objects.exists()


def test_a_draft_is_posted_not_fetched(login, marina, project):
    thread = ask(marina, project)
    assert login(marina).get(reverse("draft", args=["answer", thread.pk])).status_code == 405
