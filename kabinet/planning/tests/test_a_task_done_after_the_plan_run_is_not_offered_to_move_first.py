"""The other work a late commitment could go before is stored by the plan run; a task of it
finished since (before the next run has stored its plan) is not offered any more."""

from __future__ import annotations

from datetime import timedelta

from kabinet.core.scoping import viewer_for
from kabinet.planning import selectors
from kabinet.work.models import Task


def _commitments_box(html: str) -> str:
    """The page's box of late commitments (the board below may name the audit too)."""
    start = html.index('data-testid="commitments"')
    return html[start : html.index("</details>", start)]


def test_the_finished_audit_is_no_longer_offered(
    login, sergey, viktoria, make_task, accepted_date, plan, now
):
    # The texts wait for the audit, so the plan puts the audit first and the texts miss Tuesday.
    audit = make_task("Аудит ссылок", assignee=viktoria, hours=6, due=now + timedelta(days=2))
    texts = make_task(
        "Тексты категорий",
        assignee=viktoria,
        hours=4,
        due=now + timedelta(days=1, hours=3),  # Tuesday noon, a date the client accepted
        blocked_by=[audit],
    )
    accepted_date(texts)
    plan()

    [risk] = selectors.commitments_at_risk(viewer_for(sergey))
    assert risk.move_first == [audit]
    box = _commitments_box(login(sergey).get("/planning/at-risk/").content.decode())
    assert 'data-testid="option-move-other"' in box and "«Аудит ссылок»" in box

    # Done since the plan run; the new run has not stored its plan yet.
    Task.objects.filter(pk=audit.pk).update(status=Task.Status.DONE)

    [risk] = selectors.commitments_at_risk(viewer_for(sergey))
    assert risk.forecast.task == texts and risk.move_first == []
    box = _commitments_box(login(sergey).get("/planning/at-risk/").content.decode())
    assert 'data-testid="option-move-other"' not in box and "«Аудит ссылок»" not in box
