from __future__ import annotations

from kabinet.core.models import Notification
from kabinet.promises import services
from kabinet.promises.tests.conftest import msk
from kabinet.work.models import AutomationRule, RuleFiring
from kabinet.work.rules import run_rule


def test_a_promise_due_within_the_window_with_its_task_open_escalates_once(
    wednesday, agency, project, sergey, head, as_viewer
):
    promise = services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="План",
        due_at=msk(2026, 12, 3, 13, 0),
        create_task=True,
    )
    rule = AutomationRule.objects.create(
        agency=agency, kind=AutomationRule.Kind.PROMISE_AT_RISK, params={"hours": 24}
    )

    first = run_rule(rule, msk(2026, 12, 2, 15, 0))
    second = run_rule(rule, msk(2026, 12, 2, 16, 0))

    assert (first, second) == (1, 0)
    assert (
        RuleFiring.objects.filter(rule=rule, cause_key__startswith=f"promise:{promise.pk}:").count()
        == 1
    )
    assert Notification.objects.filter(user=head, kind="promise_at_risk").count() == 1


def test_a_promise_whose_task_is_done_is_not_at_risk(wednesday, agency, project, sergey, as_viewer):
    from kabinet.work.services import complete_task

    promise = services.create_promise(
        viewer=as_viewer(sergey),
        project=project,
        what="План",
        due_at=msk(2026, 12, 3, 13, 0),
        create_task=True,
    )
    complete_task(viewer=sergey, task=promise.task)
    rule = AutomationRule.objects.create(
        agency=agency, kind=AutomationRule.Kind.PROMISE_AT_RISK, params={"hours": 24}
    )

    assert run_rule(rule, msk(2026, 12, 2, 15, 0)) == 0
