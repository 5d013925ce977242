"""The at-risk page says how many tasks are on time with little to spare and fetches the list when
the manager opens that fold (htmx: the list alone; without JavaScript: a page of its own). Only
the manager's own projects are in it; a client gets 404."""

from __future__ import annotations

from kabinet.planning.models import TaskForecast


def _close_calls(stored_plan, viktoria, n=3):
    tasks = stored_plan(viktoria, 0, n)
    TaskForecast.objects.filter(task__in=tasks).update(slack_hours=2.0)
    return tasks


def test_the_page_counts_them_and_the_fold_brings_the_list(login, sergey, viktoria, stored_plan):
    tasks = _close_calls(stored_plan, viktoria)
    client = login(sergey)
    board = client.get("/planning/at-risk/").content.decode()
    assert 'data-testid="close-calls-slot"' in board
    assert "(3)" in board
    assert tasks[0].title not in board

    fold = client.get("/planning/at-risk/close-calls/", HTTP_HX_REQUEST="true")
    html = fold.content.decode()
    assert fold.status_code == 200 and "<html" not in html
    assert [t.title in html for t in tasks] == [True, True, True]
    assert "запас 2,0 рабочих часов" in html

    page = client.get("/planning/at-risk/close-calls/").content.decode()
    assert "<html" in page and tasks[0].title in page


def test_another_manager_sees_none_of_them_and_a_client_gets_404(
    login, irina, marina, viktoria, stored_plan
):
    tasks = _close_calls(stored_plan, viktoria)
    html = login(irina).get("/planning/at-risk/close-calls/", HTTP_HX_REQUEST="true")
    assert html.status_code == 200
    assert tasks[0].title not in html.content.decode()
    assert login(marina).get("/planning/at-risk/close-calls/").status_code == 404
