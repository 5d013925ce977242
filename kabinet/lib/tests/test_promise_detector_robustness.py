"""Any text is handled: no crash, offsets point at the quote, dues lie after `now`."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
WORDS = (
    "я мы вы пришлю пришлём отправим сделаем завтра сегодня послезавтра до к в течение "
    "двух рабочих дней часа обеда конца дня недели пятницы понедельник 15 декабря 10.12 "
    "15:00 не ли клиент отчёт план ? . , ! — а и "
    "I we you I'll we'll will won't send deliver the report by tomorrow today Friday "
    "next week within 3 business days hours EOD noon lunch December 15 3pm on sent "
    "yesterday client can ? . , and but"
).split()

texts = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)).map(
    lambda d: d.replace(tzinfo=CAL.tz)
)


@settings(max_examples=300, deadline=None)
@given(texts, moments)
def test_detect_never_crashes_and_returns_consistent_promises(text: str, now: datetime) -> None:
    for p in detect(text, now, CAL):
        assert text[p.start : p.end] == p.quote
        assert p.due.tzinfo is not None
        assert p.due > now - timedelta(seconds=1)
        assert p.rule
