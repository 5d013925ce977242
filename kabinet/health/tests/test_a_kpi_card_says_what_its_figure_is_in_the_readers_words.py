"""A KPI card says what its big number is ("the month's total"), not the metric form's choice
with its examples: "sum (sessions, leads, spend)" under a chart of sessions read as if the figure
mixed sessions, leads and spend."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@time_machine.travel(NOW, tick=False)
def test_a_summed_and_an_averaged_metric_say_total_and_average(
    project, sessions, position, daily, sergey, login
):
    daily(sessions, date(2026, 10, 1), [100] * 40)
    daily(position, date(2026, 10, 1), [9.5] * 40)
    client = login(sergey)
    client.post("/language/", {"language": "en"})

    html = client.get(f"/projects/{project.pk}/overview/").content.decode()

    assert "the month&#x27;s total" in html
    assert "the month&#x27;s average" in html
    assert "sessions, leads, spend" not in html
    assert "conversion rate, cost per lead" not in html


@time_machine.travel(NOW, tick=False)
def test_the_client_reads_it_in_russian(project, sessions, daily, marina, login):
    daily(sessions, date(2026, 10, 1), [100] * 40)
    client = login(marina)
    client.post("/language/", {"language": "ru"})

    html = client.get(f"/projects/{project.pk}/overview/").content.decode()

    assert "сумма за месяц" in html
    assert "визиты, заявки, расход" not in html
