"""A client of another company cannot read, reply to, resolve, reopen or rate a thread (404 on
every URL of ours that takes an id, GET and POST); internal notes never reach the client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabinet.questions import selectors, services
from kabinet.questions.models import Message, Thread
from kabinet.questions.tests.helpers import ask, v
from kabinet.timeline import selectors as timeline_selectors
from kabinet.timeline.models import Kind

THREAD_URLS = [
    "questions:thread",
    "questions:reply",
    "questions:resolve",
    "questions:reopen",
    "questions:rate",
    "questions:status",
    "questions:related",
    "questions:assign",
]
POST_DATA = {
    "body": "Чужой ответ",
    "rating": "1",
    "comment": "плохо",
    "status": "waiting_client",
    "assignee": "1",
}


@pytest.fixture
def answered(marina, sergey, project):
    thread = ask(marina, project)
    services.reply(viewer=v(sergey), thread=thread, body="Проверили: это сезонность.")
    services.reply(viewer=v(sergey), thread=thread, body="СЕКРЕТ: клиент нервничает", internal=True)
    return Thread.objects.get(pk=thread.pk)


@pytest.mark.parametrize("name", THREAD_URLS)
def test_client_of_another_company_gets_404_on_every_thread_url(name, login, oleg, answered):
    client = login(oleg)
    url = reverse(name, args=[answered.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, POST_DATA).status_code == 404


@pytest.mark.parametrize("name", ["questions:project", "questions:ask"])
def test_client_of_another_company_gets_404_on_the_projects_question_pages(
    name, login, oleg, project
):
    client = login(oleg)
    url = reverse(name, args=[project.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"subject": "x", "body": "y"}).status_code == 404


def test_nothing_changes_when_a_stranger_posts(login, oleg, stranger, answered):
    before = Message.objects.filter(thread=answered).count()
    for user in (oleg, stranger):
        client = login(user)
        for name in ("reply", "resolve", "reopen", "rate"):
            client.post(reverse(f"questions:{name}", args=[answered.pk]), POST_DATA)
    answered.refresh_from_db()
    assert Message.objects.filter(thread=answered).count() == before
    assert answered.rating is None and answered.status == "waiting_client"


def test_another_agency_gets_404_too(login, stranger, answered):
    assert login(stranger).get(reverse("questions:thread", args=[answered.pk])).status_code == 404


def test_staff_not_on_the_project_gets_404(login, irina, answered):
    assert login(irina).get(reverse("questions:thread", args=[answered.pk])).status_code == 404


def test_internal_notes_never_reach_marina(login, marina, sergey, answered):
    page = login(marina).get(reverse("questions:thread", args=[answered.pk]))
    assert page.status_code == 200
    assert "Проверили: это сезонность." in page.content.decode()
    assert "СЕКРЕТ" not in page.content.decode()
    assert all(not m.internal for m in selectors.messages(v(marina), answered))
    chronology = timeline_selectors.chronology(v(marina), answered.project_id)
    assert not [e for e in chronology if "СЕКРЕТ" in e.body]
    # ...while Sergey sees the note in the thread.
    assert (
        "СЕКРЕТ"
        in login(sergey).get(reverse("questions:thread", args=[answered.pk])).content.decode()
    )


def test_marina_cannot_post_an_internal_note_even_if_she_tries(login, marina, answered):
    client = login(marina)
    response = client.post(
        reverse("questions:reply", args=[answered.pk]), {"body": "моё", "internal": "on"}
    )
    assert response.status_code == 302
    latest = Message.objects.filter(thread=answered).latest("pk")
    assert latest.body == "моё" and not latest.internal and latest.from_client


def test_staff_cannot_resolve_reopen_or_rate_for_the_client(login, sergey, answered):
    client = login(sergey)
    for name in ("resolve", "reopen", "rate"):
        client.post(reverse(f"questions:{name}", args=[answered.pk]), POST_DATA)
    answered.refresh_from_db()
    assert answered.status == "waiting_client" and answered.rating is None


def test_clients_cannot_open_the_desk_or_the_numbers(login, marina, viktoria):
    assert login(marina).get(reverse("questions:desk")).status_code == 404
    assert login(marina).get(reverse("questions:numbers")).status_code == 404
    assert login(viktoria).get(reverse("questions:numbers")).status_code == 404


def test_related_panel_is_staff_only(login, marina, answered):
    assert login(marina).get(reverse("questions:related", args=[answered.pk])).status_code == 404


def test_questions_of_other_companies_are_not_listed(login, oleg, marina, project, other_project):
    ask(marina, project, subject="Вопрос ТехноДома")
    page = login(oleg).get(reverse("questions:project", args=[other_project.pk]))
    assert page.status_code == 200 and "Вопрос ТехноДома" not in page.content.decode()
    assert list(selectors.threads(v(oleg))) == []
    assert Kind.QUESTION in {e.kind for e in timeline_selectors.events(v(marina))}


# --------------------------------------------------------------------------- the API, same rules


def api(user, agency):
    from django.test import Client

    from kabinet.core.scoping import viewer_for
    from kabinet.core.services import create_api_token

    _token, key = create_api_token(viewer=viewer_for(user), name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_api_gives_oleg_404_for_marinas_thread(agency, oleg, answered):
    client = api(oleg, agency)
    pk = answered.pk
    assert client.get(f"/api/v1/questions/{pk}").status_code == 404
    assert client.get(f"/api/v1/questions/{pk}/related").status_code == 404
    assert client.get(f"/api/v1/projects/{answered.project_id}/questions").status_code == 404
    for url, body in (
        (f"/api/v1/questions/{pk}/messages", {"body": "чужое"}),
        (f"/api/v1/questions/{pk}/resolve", {}),
        (f"/api/v1/questions/{pk}/reopen", {"body": "чужое"}),
        (f"/api/v1/questions/{pk}/rate", {"rating": 1}),
        (f"/api/v1/projects/{answered.project_id}/questions", {"subject": "x", "body": "y"}),
    ):
        assert client.post(url, body, content_type="application/json").status_code == 404, url
    assert Message.objects.filter(thread=answered).count() == 3


def test_api_never_gives_marina_internal_notes_or_sla(agency, marina, answered):
    data = api(marina, agency).get(f"/api/v1/questions/{answered.pk}").json()
    assert [m["body"] for m in data["messages"]] == [
        "Трафик из поиска упал на 20%.",
        "Проверили: это сезонность.",
    ]
    assert data["sla"] is None
    assert api(marina, agency).get(f"/api/v1/questions/{answered.pk}/related").status_code == 404


def test_api_closes_the_loop_for_marina_and_shows_sla_to_sergey(agency, marina, sergey, answered):
    client = api(marina, agency)
    # Rating before the question is solved: the thread is not there yet, a conflict (409).
    early = client.post(
        f"/api/v1/questions/{answered.pk}/rate", {"rating": 5}, content_type="application/json"
    )
    assert early.status_code == 409
    assert "solved" in str(early.json()["detail"]) or "решён" in str(early.json()["detail"])
    assert (
        client.post(
            f"/api/v1/questions/{answered.pk}/resolve", {}, content_type="application/json"
        ).status_code
        == 201
    )
    done = client.post(
        f"/api/v1/questions/{answered.pk}/rate",
        {"rating": 5, "comment": "ok"},
        content_type="application/json",
    )
    assert done.status_code == 201 and done.json()["rating"] == 5
    staff = api(sergey, agency).get(f"/api/v1/questions/{answered.pk}").json()
    assert {c["target"] for c in staff["sla"]} >= {"first_response", "resolution"}
    assert any(m["internal"] for m in staff["messages"])


def test_a_manager_reassigns_only_within_the_project_team(login, sergey, viktoria, irina, answered):
    client = login(sergey)
    client.post(reverse("questions:assign", args=[answered.pk]), {"assignee": irina.pk})
    answered.refresh_from_db()
    assert answered.assignee == sergey  # Irina is not on the project
    client.post(reverse("questions:assign", args=[answered.pk]), {"assignee": viktoria.pk})
    answered.refresh_from_db()
    assert answered.assignee == viktoria


def test_a_specialist_cannot_reassign(login, viktoria, sergey, answered):
    login(viktoria).post(reverse("questions:assign", args=[answered.pk]), {"assignee": viktoria.pk})
    answered.refresh_from_db()
    assert answered.assignee == sergey


def test_the_side_panel_lists_only_what_the_viewer_may_see(marina, oleg, project, answered):
    from django.template.loader import render_to_string

    from kabinet.core.scoping import viewer_for
    from kabinet.questions.selectors import open_on_project

    def panel(user) -> str:
        viewer = viewer_for(user)
        context = {
            "viewer": viewer,
            "project": project,
            "threads": open_on_project(viewer, project.pk),
        }
        return render_to_string("questions/_project_side.html", context)

    assert answered.subject in panel(marina) and answered.subject not in panel(oleg)
