from __future__ import annotations

from datetime import date, datetime

from kabinet.clients.models import Project
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event
from kabinet.work.models import AutomationRule, RuleFiring, Task
from kabinet.work.rules import fire_once, run_all_rules
from kabinet.work.services import ensure_default_rules


def test_client_silence_creates_one_update_task_for_the_account_manager(agency, project, sergey):
    ensure_default_rules(agency=agency)
    AutomationRule.objects.filter(agency=agency).exclude(kind="client_silence").update(
        enabled=False
    )
    Project.objects.filter(pk=project.pk).update(
        last_client_update_at=datetime(2027, 3, 1, 12, tzinfo=MSK)
    )
    now = datetime(2027, 3, 12, 10, tzinfo=MSK)  # 9 business days of silence

    first = run_all_rules(now)
    again = run_all_rules(now)

    tasks = Task.objects.filter(project=project, source_type="rule")
    assert first == 1 and again == 0
    assert tasks.count() == 1
    assert tasks.get().assignee == sergey
    assert RuleFiring.objects.get(task=tasks.get()).cause_key.startswith(f"silence:{project.pk}:")


def test_client_silence_fires_again_only_after_a_new_silence(agency, project, sergey):
    ensure_default_rules(agency=agency)
    AutomationRule.objects.filter(agency=agency).exclude(kind="client_silence").update(
        enabled=False
    )
    Project.objects.filter(pk=project.pk).update(
        last_client_update_at=datetime(2027, 3, 1, 12, tzinfo=MSK)
    )
    run_all_rules(datetime(2027, 3, 12, 10, tzinfo=MSK))

    record_event(
        project=project,
        kind=Kind.MESSAGE,
        title="Новости",
        author=sergey,
        occurred_at=datetime(2027, 3, 12, 11, tzinfo=MSK),
    )
    run_all_rules(datetime(2027, 3, 15, 10, tzinfo=MSK))  # 1 business day later: still fine
    assert Task.objects.filter(project=project, source_type="rule").count() == 1
    run_all_rules(datetime(2027, 3, 22, 10, tzinfo=MSK))  # 6 business days later: a new silence
    assert Task.objects.filter(project=project, source_type="rule").count() == 2


def test_report_missing_creates_one_report_task_after_the_grace_period(agency, project, viktoria):
    ensure_default_rules(agency=agency)
    AutomationRule.objects.filter(agency=agency).exclude(kind="report_missing").update(
        enabled=False
    )

    run_all_rules(datetime(2027, 3, 2, 10, tzinfo=MSK))  # 1 business day after February: grace
    assert not Task.objects.filter(project=project).exists()
    run_all_rules(datetime(2027, 3, 5, 10, tzinfo=MSK))
    run_all_rules(datetime(2027, 3, 9, 10, tzinfo=MSK))

    task = Task.objects.get(project=project, source_type="rule")
    assert task.assignee == viktoria and "02.2027" in task.title
    assert RuleFiring.objects.filter(cause_key=f"report:{project.pk}:2027-02").count() == 1


def test_a_published_report_means_no_report_task(agency, project, viktoria):
    ensure_default_rules(agency=agency)
    AutomationRule.objects.filter(agency=agency).exclude(kind="report_missing").update(
        enabled=False
    )
    record_event(
        project=project,
        kind=Kind.REPORT,
        title="Отчёт за февраль",
        author=viktoria,
        period_start=date(2027, 2, 1),
        period_end=date(2027, 2, 28),
    )

    run_all_rules(datetime(2027, 3, 9, 10, tzinfo=MSK))

    assert not Task.objects.filter(project=project).exists()


def test_a_disabled_rule_does_not_fire(agency, project):
    ensure_default_rules(agency=agency)
    AutomationRule.objects.filter(agency=agency).update(enabled=False)
    Project.objects.filter(pk=project.pk).update(
        last_client_update_at=datetime(2027, 3, 1, 12, tzinfo=MSK)
    )

    assert run_all_rules(datetime(2027, 3, 12, 10, tzinfo=MSK)) == 0
    assert not Task.objects.exists()


def test_fire_once_runs_the_action_once_and_rolls_back_with_a_failing_action(agency, project):
    rule = ensure_default_rules(agency=agency)[0]
    calls = []

    def failing():
        raise RuntimeError("boom")

    try:
        fire_once(rule, "cause-1", failing)
    except RuntimeError:
        pass
    assert not RuleFiring.objects.filter(cause_key="cause-1").exists()  # retried next time

    assert fire_once(rule, "cause-1", lambda: calls.append(1)) is True
    assert fire_once(rule, "cause-1", lambda: calls.append(2)) is False
    assert calls == [1]


def test_default_rules_are_created_once_with_their_numbers(agency):
    ensure_default_rules(agency=agency)
    rules = {r.kind: r for r in ensure_default_rules(agency=agency)}

    assert len(rules) == 4
    assert rules["question_waiting"].param("business_hours") == 4
    assert rules["client_silence"].param("business_days") == 5
    assert rules["report_missing"].param("grace_business_days") == 3
    assert rules["promise_at_risk"].param("hours") == 24
