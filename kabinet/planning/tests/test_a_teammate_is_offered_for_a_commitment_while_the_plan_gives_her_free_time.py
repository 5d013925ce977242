"""What would meet a late commitment is what the last plan run stored: Elena, free today, is
offered to take Viktoria's late text; once her own work takes the day and the plan runs again,
she is not."""

from __future__ import annotations

from datetime import timedelta

from kabinet.core.scoping import viewer_for
from kabinet.planning import selectors


def test_elena_is_offered_until_her_own_work_takes_her_day(
    login, sergey, viktoria, elena, make_task, accepted_date, plan, now
):
    for title in ("Тексты категорий", "Тексты брендов"):  # 8 h for tonight: Viktoria has 6
        accepted_date(make_task(title, assignee=viktoria, hours=4, due=now + timedelta(hours=9)))
    plan()

    [risk] = selectors.commitments_at_risk(viewer_for(sergey))
    assert risk.others == [elena]
    assert risk.forecast.details["commitment"]["others"] == [elena.pk]
    html = login(sergey).get("/planning/at-risk/").content.decode()
    assert 'data-testid="option-reassign"' in html and "Елена Морозова" in html

    make_task("Аудит ссылок", assignee=elena, hours=4, due=now + timedelta(hours=4))
    plan()

    [risk] = selectors.commitments_at_risk(viewer_for(sergey))
    assert risk.others == []
    html = login(sergey).get("/planning/at-risk/").content.decode()
    assert 'data-testid="option-reassign"' not in html
