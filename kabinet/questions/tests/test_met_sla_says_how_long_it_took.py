from __future__ import annotations

from django.template import Context, Template

from kabinet.lib.sla import State, Target


class FakeClock:
    def __init__(self, state, elapsed_hours, remaining_hours):
        from datetime import timedelta

        self.state, self.target = state, Target.FIRST_RESPONSE
        self.elapsed, self.remaining = (
            timedelta(hours=elapsed_hours),
            timedelta(hours=remaining_hours),
        )
        self.due_at = None


def render(clock) -> str:
    return Template('{% include "questions/_sla.html" %}').render(Context({"clock": clock}))


def test_a_met_clock_says_how_long_it_took_not_how_much_is_left(db):
    from django.utils import translation

    with translation.override("en"):
        html = render(FakeClock(State.MET, 1, 3))
    assert "met in" in html and "left" not in html


def test_a_running_clock_says_how_much_is_left(db):
    from django.utils import translation

    with translation.override("en"):
        html = render(FakeClock(State.OK, 1, 3))
    assert "left" in html and "met in" not in html
