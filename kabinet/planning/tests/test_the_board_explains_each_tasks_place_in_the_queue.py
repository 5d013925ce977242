"""Each late task on the at-risk board says where it sits in its person's queue and why: the task
before it and the factors that put that one first, the task after it and what put this one first."""

from __future__ import annotations

from datetime import timedelta

from kabinet.core.scoping import viewer_for
from kabinet.planning.forms import FACTOR_SHORT
from kabinet.planning.selectors import risk_board


def test_the_boosted_task_goes_first_and_the_other_says_so(
    project, viktoria, sergey, make_task, plan, now, login
):
    due = now + timedelta(hours=9)
    boosted = make_task("Срочный аудит", assignee=viktoria, hours=5, due=due, priority_boost=3)
    other = make_task("Мета-теги", assignee=viktoria, hours=5, due=due)
    plan()

    rows = {r.task.pk: r for r in risk_board(viewer_for(sergey)).rows}
    assert boosted.pk not in rows  # it is on time
    position = rows[other.pk].position
    assert position["rank"] == 2 and position["after"][0] == "Срочный аудит"
    assert str(FACTOR_SHORT["boost"]) in position["after"][1]
    assert "«Срочный аудит»" in position["text"] and str(FACTOR_SHORT["boost"]) in position["text"]

    html = login(sergey).get("/planning/at-risk/").content.decode()
    assert position["text"].replace("«", "&laquo;") in html or position["text"] in html
