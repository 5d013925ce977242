"""The head's table of account managers is built by a template tag, not the template language:
it must still escape what people typed (a name), mark the manager whose clients are listed, show
alarms as late and say "No account manager" for clients without one — in the reader's language."""

from __future__ import annotations

from django.utils import translation

from kabinet.core.models import User
from kabinet.health.selectors import AgencyView, ManagerRow
from kabinet.health.templatetags.health_tags import manager_rows


def _row(manager, key, alarms=0):
    row = ManagerRow(manager, key, 3, alarms, 4.5, 0.5, 0.9, 4.2, 2.0, 1)
    row.text = {
        "clients": "3",
        "alarms": str(alarms),
        "lowest": "4,5",
        "kept": "50 %",
        "sla": "90 %",
        "rating": "4,2",
        "silence": "2",
        "at_risk": "1",
    }
    return row


def test_a_name_is_escaped_and_the_chosen_manager_is_marked():
    sly = User(pk=7, full_name='<script>alert("x")</script>')
    chosen = _row(sly, "7", alarms=2)
    other = _row(None, "none")
    html = manager_rows(AgencyView(None, [chosen, other], 5.0, manager=chosen))

    assert "<script>" not in html and "&lt;script&gt;" in html
    first, second = html.split("\n")
    assert 'aria-current="true"' in first and 'aria-current="true"' not in second
    assert 'href="?manager=7"' in first and 'href="?manager=none"' in second
    assert '<td class="num late">2</td>' in first
    assert '<td class="num">4,5</td><td class="num">50 %</td>' in first
    assert first.count("<td") == second.count("<td") == 8


def test_clients_without_a_manager_are_named_in_the_readers_language():
    rows = AgencyView(None, [_row(None, "none")], 5.0)
    with translation.override("ru"):
        assert "Без аккаунт-менеджера" in manager_rows(rows)
    with translation.override("en"):
        assert "No account manager" in manager_rows(rows)
