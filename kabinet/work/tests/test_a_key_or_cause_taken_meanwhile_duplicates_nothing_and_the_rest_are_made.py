"""Jobs create their tasks many at a time, but a dedupe key or a rule's cause that another run took
meanwhile — after this run read which were taken, before it inserted — still makes no duplicate
and no error: the batch is rolled back and made one at a time, where the unique constraints
decide, and every other task of the batch is made."""

from __future__ import annotations

from datetime import datetime

from kabinet.core.models import AuditEntry, Notification
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.work import services
from kabinet.work.models import AutomationRule, RuleFiring, Task
from kabinet.work.rules import fire_many
from kabinet.work.services import TaskSpec, create_system_tasks, ensure_default_rules

DUE = datetime(2027, 3, 12, 18, tzinfo=MSK)


def specs(project, viktoria, count: int = 5) -> list[TaskSpec]:
    return [
        TaskSpec(
            project=project,
            title=f"Отчёт {n}",
            assignee=viktoria,
            due_at=DUE,
            source=("test", n),
            dedupe_key=f"test:{n}",
        )
        for n in range(count)
    ]


def other_run_made(project, key: str) -> Task:
    return Task.objects.create(
        agency=project.agency, project=project, title="Другой запуск", dedupe_key=key
    )


def test_a_key_taken_before_the_run_gives_that_task_and_the_rest_are_made(project, viktoria):
    theirs = other_run_made(project, "test:2")

    made = create_system_tasks(agency=project.agency, specs=specs(project, viktoria))

    assert [new for _task, new in made] == [True, True, False, True, True]
    assert made[2][0] == theirs
    assert Task.objects.filter(dedupe_key="test:2").count() == 1
    assert Task.objects.count() == 5
    assert AuditEntry.objects.filter(verb="task_created").count() == 4
    assert Notification.objects.filter(user=viktoria, kind="task_assigned").count() == 4


def test_a_key_taken_between_the_read_and_the_insert_duplicates_nothing(
    project, viktoria, monkeypatch
):
    read = services._tasks_with_keys
    theirs: list[Task] = []

    def read_then_another_run_commits(agency, keys):
        found = read(agency, keys)
        theirs.append(other_run_made(project, "test:3"))
        return found

    monkeypatch.setattr(services, "_tasks_with_keys", read_then_another_run_commits)

    made = create_system_tasks(agency=project.agency, specs=specs(project, viktoria))

    assert [new for _task, new in made] == [True, True, True, False, True]
    assert made[3][0] == theirs[0]
    assert Task.objects.filter(dedupe_key="test:3").count() == 1
    assert Task.objects.count() == 5
    assert AuditEntry.objects.filter(verb="task_created").count() == 4
    assert Notification.objects.filter(user=viktoria, kind="task_assigned").count() == 4


def test_a_cause_another_run_fired_meanwhile_fires_once_and_the_rest_fire(
    agency, project, viktoria
):
    rule = next(
        r
        for r in ensure_default_rules(agency=agency)
        if r.kind == AutomationRule.Kind.CLIENT_SILENCE
    )
    causes = [f"silence:{n}" for n in range(5)]
    RuleFiring.objects.create(agency=agency, rule=rule, cause_key="silence:1")  # the other run

    fired = fire_many(rule, list(zip(causes, specs(project, viktoria), strict=True)))

    assert [cause for cause, _task in fired] == ["silence:0", "silence:2", "silence:3", "silence:4"]
    assert RuleFiring.objects.filter(cause_key="silence:1").get().task is None
    assert Task.objects.count() == 4
    assert not Task.objects.filter(dedupe_key="test:1").exists()
    assert {f.cause_key: f.task.dedupe_key for f in RuleFiring.objects.exclude(task=None)} == {
        "silence:0": "test:0",
        "silence:2": "test:2",
        "silence:3": "test:3",
        "silence:4": "test:4",
    }
    assert fire_many(rule, list(zip(causes, specs(project, viktoria), strict=True))) == []
    assert Task.objects.count() == 4
