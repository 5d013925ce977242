"""Where a late task sits in its person's queue is told from its two neighbours, and only they are
read: a person with a long queue (a thousand planned tasks at agency scale, each forecast with its
factors) costs the board no more than a short one."""

from __future__ import annotations

from datetime import timedelta

from django.db.models.signals import post_init

from kabinet.core.scoping import viewer_for
from kabinet.planning.models import TaskForecast
from kabinet.planning.selectors import risk_board


def _forecasts_loaded_by(call) -> tuple[object, int]:
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count, sender=TaskForecast)
    try:
        result = call()
    finally:
        post_init.disconnect(count, sender=TaskForecast)
    return result, len(loaded)


def _board_with_queue(length, project, viktoria, sergey, make_task, plan, now):
    due = now + timedelta(hours=2)
    for n in range(length):
        make_task(f"Работа {n}", assignee=viktoria, hours=3, due=due)
    plan()
    return _forecasts_loaded_by(lambda: risk_board(viewer_for(sergey)))


def test_a_long_queue_reads_as_many_forecasts_as_a_short_one(
    project, viktoria, sergey, make_task, plan, now
):
    short_board, short = _board_with_queue(3, project, viktoria, sergey, make_task, plan, now)
    assert all(row.position.get("rank") for row in short_board.rows if row.forecast)
    long_board, long = _board_with_queue(40, project, viktoria, sergey, make_task, plan, now)
    shown = [row for row in long_board.rows if row.forecast]
    # the page's own forecasts, the commitments box and two neighbours per shown row at most
    assert len(shown) >= 3
    assert long - short <= 2 * (len(shown) - 2)
    middle = next(row for row in shown if "after" in row.position and "before" in row.position)
    assert middle.position["after"][0].startswith("Работа")
