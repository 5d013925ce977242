"""The demo's monthly plans list work to do ("Ускорить загрузку…"), not work done ("Ускорена
загрузка…"): a plan in the past tense told the client the month's work was finished already."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from kabinet.core.demo import PLANNED, WORK_DONE, _plan_body


@pytest.mark.parametrize("service", sorted(WORK_DONE))
def test_a_plan_names_no_done_work(service):
    done_titles = {title for title, _ in WORK_DONE[service]}

    body = _plan_body(SimpleNamespace(service=service), random.Random(7))

    items = [line.split(". ", 1)[1] for line in body.splitlines() if line[:1].isdigit()]
    assert items and not done_titles & set(items)
    assert set(items) <= {PLANNED[t] for t in done_titles}
