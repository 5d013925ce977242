"""A task done or cancelled after the last plan run leaves the at-risk board at once — its row,
its stored lateness and its pending move in the summary — not at the next run; the others stay."""

from __future__ import annotations

from kabinet.core.scoping import viewer_for
from kabinet.planning.selectors import risk_board
from kabinet.work.models import Task


def test_a_done_task_with_a_pending_move_is_not_on_the_board(
    login, sergey, viktoria, stored_plan, pending_moves
):
    done, cancelled, open_task = stored_plan(viktoria, 0, 3, late_hours=2.0)
    pending_moves([done, cancelled, open_task])
    client = login(sergey)
    before = client.get("/planning/at-risk/").content.decode()
    assert before.count('data-testid="risk-row"') == 3

    Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE)
    Task.objects.filter(pk=cancelled.pk).update(status=Task.Status.CANCELLED)
    html = client.get("/planning/at-risk/").content.decode()
    assert html.count('data-testid="risk-row"') == 1
    assert f'data-testid="risk-row" data-task="{open_task.pk}"' in html
    assert f'data-task="{done.pk}"' not in html and f'data-task="{cancelled.pk}"' not in html
    summary = risk_board(viewer_for(sergey)).summary
    assert (summary.late, summary.moves) == (1, 1)
