"""Tasks over the API: list with filters, create, update (a due-date move needs a reason), done,
dependencies (a loop is refused) — through work.services, as on the pages; clients only read
their client-visible tasks and get 404 for every write."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from kabinet.core.scoping import viewer_for
from kabinet.core.services import create_api_token
from kabinet.timeline.models import Event, Kind
from kabinet.work.models import Task


def api(user) -> Client:
    _token, key = create_api_token(viewer=viewer_for(user), name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def send(client, method, url, body=None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


def test_staff_create_move_and_finish_a_task_and_the_client_sees_it_done(
    project, sergey, viktoria, marina
):
    staff, client = api(sergey), api(marina)
    due = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    made = send(
        staff,
        "post",
        f"/api/v1/projects/{project.pk}/tasks",
        {
            "title": "Аудит ссылок",
            "assignee_id": viktoria.pk,
            "due_at": due.isoformat(),
            "visibility": "client",
        },
    )
    assert made.status_code == 201, made.json()
    task_id = made.json()["id"]
    url = f"/api/v1/tasks/{task_id}"

    no_reason = send(staff, "patch", url, {"due_at": (due + timedelta(days=2)).isoformat()})
    moved = send(
        staff,
        "patch",
        url,
        {"due_at": (due + timedelta(days=2)).isoformat(), "reason": "ждём доступы"},
    )
    done = send(staff, "post", f"{url}/done")

    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    assert moved.status_code == 200 and moved.json()["due_at"].startswith(
        str((due + timedelta(days=2)).date())
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert Event.objects.filter(project=project, kind=Kind.TASK).exists()
    seen = client.get("/api/v1/tasks", {"project": project.pk, "status": "done"}).json()["items"]
    assert [t["id"] for t in seen] == [task_id]
    assert send(client, "post", f"{url}/done").status_code == 404
    assert send(client, "patch", url, {"title": "x"}).status_code == 404


def test_an_internal_task_never_reaches_the_client_and_filters_narrow_the_list(
    project, sergey, viktoria, marina
):
    staff = api(sergey)
    for title, visibility, who in (
        ("внутренняя", "internal", viktoria.pk),
        ("видна клиенту", "client", None),
    ):
        body = {"title": title, "visibility": visibility}
        if who:
            body["assignee_id"] = who
        assert send(staff, "post", f"/api/v1/projects/{project.pk}/tasks", body).status_code == 201
    mine = staff.get("/api/v1/tasks", {"assignee": viktoria.pk}).json()["items"]
    theirs = api(marina).get("/api/v1/tasks").json()["items"]
    assert [t["title"] for t in mine] == ["внутренняя"]
    assert [t["title"] for t in theirs] == ["видна клиенту"]
    internal = Task.objects.get(title="внутренняя")
    assert api(marina).get(f"/api/v1/tasks/{internal.pk}").status_code == 404


def test_dependencies_are_replaced_and_a_loop_is_refused(project, sergey):
    staff = api(sergey)
    ids = [
        send(staff, "post", f"/api/v1/projects/{project.pk}/tasks", {"title": t}).json()["id"]
        for t in ("первая", "вторая")
    ]
    first, second = ids
    ok = send(staff, "put", f"/api/v1/tasks/{second}/dependencies", {"blocked_by": [first]})
    loop = send(staff, "put", f"/api/v1/tasks/{first}/dependencies", {"blocked_by": [second]})
    unknown = send(staff, "put", f"/api/v1/tasks/{first}/dependencies", {"blocked_by": [10**9]})
    assert ok.status_code == 200 and ok.json()["blocked_by"] == [first]
    assert loop.status_code == 400 and "blocked_by" in loop.json()["fields"]
    assert unknown.status_code == 400 and "blocked_by" in unknown.json()["fields"]
    huge = send(staff, "put", f"/api/v1/tasks/{first}/dependencies", {"blocked_by": [10**25]})
    assert huge.status_code == 400
