"""The at-risk page's commitments box shows the ten latest committed dates and says how many are
at risk in all: twelve committed and late say twelve; late tasks without a commitment are not
counted, nor committed tasks the plan finishes on time."""

from __future__ import annotations

import re


def _box(client):
    response = client.get("/planning/at-risk/")
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'data-testid="commitments" open><summary>([^<]*)</summary>', html)
    return html, summary.group(1) if summary else None


def test_twelve_late_commitments_show_ten_and_say_twelve(
    login, sergey, viktoria, stored_plan, accepted_date
):
    late = stored_plan(viktoria, 0, 15, late_hours=2.0)
    on_time = stored_plan(viktoria, 15, 17)
    for task in late[:12] + on_time:
        accepted_date(task)
    client = login(sergey)

    html, summary = _box(client)
    assert html.count('data-testid="commitment"') == 10
    assert summary == "Под угрозой 12 сроков, которые есть у клиентов"


def test_three_late_commitments_show_three_and_say_three(
    login, sergey, viktoria, stored_plan, accepted_date
):
    late = stored_plan(viktoria, 0, 5, late_hours=2.0)
    for task in late[:3]:
        accepted_date(task)

    html, summary = _box(login(sergey))
    assert html.count('data-testid="commitment"') == 3
    assert summary == "Под угрозой 3 срока, которые есть у клиентов"
