"""Rule "question_waiting": a question waiting over N business hours → one follow-up task."""

from __future__ import annotations

import pytest

from kabinet.questions import services
from kabinet.questions.tests.helpers import ask, at, msk, v
from kabinet.work.models import AutomationRule, Task
from kabinet.work.rules import run_rule


@pytest.fixture
def rule(agency):
    return AutomationRule.objects.create(
        agency=agency, kind=AutomationRule.Kind.QUESTION_WAITING, params={"business_hours": 3}
    )


def test_fires_once_for_the_same_wait(rule, marina, sergey, project):
    thread = ask(marina, project, subject="Где доступы?", at=msk(2026, 11, 23, 10, 0))
    assert run_rule(rule, msk(2026, 11, 23, 12, 0)) == 0  # 2 business hours: not yet
    assert run_rule(rule, msk(2026, 11, 23, 13, 30)) == 1
    assert run_rule(rule, msk(2026, 11, 23, 16, 0)) == 0  # same cause
    task = Task.objects.get()
    assert task.assignee == sergey and "Где доступы?" in task.title
    assert (task.source_type, task.source_id) == ("questions.thread", str(thread.pk))


def test_a_new_wait_after_an_answer_fires_again(rule, marina, sergey, project):
    thread = ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    run_rule(rule, msk(2026, 11, 23, 14, 0))
    with at(msk(2026, 11, 23, 14, 30)):
        services.reply(viewer=v(sergey), thread=thread, body="Ответ")
    with at(msk(2026, 11, 24, 10, 0)):
        services.reopen(viewer=v(marina), thread=thread, body="Не помогло")
    assert run_rule(rule, msk(2026, 11, 24, 14, 0)) == 1
    assert Task.objects.count() == 2


def test_time_waiting_for_the_client_does_not_count(rule, marina, sergey, project):
    thread = ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    with at(msk(2026, 11, 23, 11, 0)):
        services.set_waiting(viewer=v(sergey), thread=thread, status="waiting_client")
    assert run_rule(rule, msk(2026, 11, 27, 16, 0)) == 0
    assert not Task.objects.exists()
