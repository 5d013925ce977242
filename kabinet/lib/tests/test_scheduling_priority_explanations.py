from __future__ import annotations

import numpy as np

from kabinet.lib.scheduling import priority as pr


def one_task(**kw) -> pr.PriorityInput:
    cols = dict(
        hours_to_due=[np.nan],
        remaining_hours=[2.0],
        promise=[False],
        tier=["standard"],
        budget=[0.0],
        health=[9.0],
        blocks_tasks=[0],
        blocks_hours=[0.0],
        client_visible=[False],
        age_days=[0.0],
        boost=[0],
    )
    cols.update(kw)
    return pr.PriorityInput(**{k: np.asarray(v) for k, v in cols.items()})


def test_explanation_names_the_factors_that_decided_in_english():
    res = pr.compute(one_task(promise=[True], hours_to_due=[1.0]))
    ex = pr.explain(res, 0, lang="en")
    names = [f for f, _v, _c in ex.details]
    assert names[:2] == ["promise", "deadline"]
    assert "promise" in ex.one_line and "deadline" in ex.one_line
    assert "age" not in names


def test_explanation_is_available_in_russian():
    res = pr.compute(one_task(boost=[3]))
    ex = pr.explain(res, 0, lang="ru")
    assert "менеджером" in ex.one_line
    assert ex.details[0][0] == "boost"


def test_explanation_says_so_when_nothing_is_urgent():
    res = pr.compute(one_task(health=[10.0]))
    assert "no urgent factors" in pr.explain(res, 0, lang="en").one_line


def test_an_overdue_task_is_explained_as_past_its_deadline_not_close_to_it():
    res = pr.compute(one_task(hours_to_due=[-40.0]))

    late = pr.explain(res, 0, lang="en", overdue=True).one_line
    late_ru = pr.explain(res, 0, lang="ru", overdue=True).one_line

    assert "the deadline has passed" in late and "close" not in late
    assert "срок уже прошёл" in late_ru
    assert "deadline is close" in pr.explain(res, 0, lang="en").one_line
