"""Questions, past events, other people's promises, facts, negations, hedges are not promises."""

from __future__ import annotations

from datetime import datetime

import pytest

from kabinet.lib.business_calendar import BusinessCalendar
from kabinet.lib.promise_detector import detect

CAL = BusinessCalendar()
NOW = datetime.fromisoformat("2026-11-26T10:00:00+03:00")


def nothing(text: str) -> None:
    assert detect(text, NOW, CAL) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "Пришлёте отчёт завтра?",
        "Can you send it by Friday?",
        "Сможете прислать доступы до пятницы?",
        "Will you have the copy ready by Wednesday?",
        "Марина, вы согласуете макеты к среде?",
    ],
)
def test_questions_are_not_promises(text: str) -> None:
    nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "Вчера отправили отчёт.",
        "We sent it on Monday.",
        "В понедельник мы уже отправили вам план.",
        "We delivered the audit last week.",
        "Отчёт отправлен на прошлой неделе.",
    ],
)
def test_past_events_are_not_promises(text: str) -> None:
    nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "Вы пришлёте доступы до пятницы.",
        "You will send the access by Friday.",
        "Клиент обещал оплатить до пятницы.",
        "The client will send the photos tomorrow.",
        "Они сказали, что пришлют ТЗ на следующей неделе.",
        "He will send you the invoice by Monday.",
        "Пожалуйста, пришлите логотип до среды.",
        "Please send us the access by the end of the day.",
        "Ждём от вас обратную связь до конца недели.",
        "We need your approval by Wednesday.",
    ],
)
def test_promises_and_duties_of_the_client_or_third_persons_are_not_ours(text: str) -> None:
    nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "Отчёт за ноябрь готов.",
        "The meeting was on Friday.",
        "Мы работаем с 9:00 до 18:00.",
        "Дедлайн по контракту — 15 декабря.",
        "Our office is closed until January 11.",
        "I'll be out of office until Monday.",
    ],
)
def test_statements_of_fact_are_not_promises(text: str) -> None:
    nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "We won't be able to send it today.",
        "Мы не успеем подготовить аудит к пятнице.",
        "К сожалению, сегодня не сможем отправить макеты.",
        "We will not send the report today.",
        "I can't promise it will be done by Friday.",
    ],
)
def test_negations_are_not_promises(text: str) -> None:
    nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "Возможно, успеем к пятнице, но не обещаю.",
        "Maybe we could send it by Friday.",
        "Hopefully we'll have the results by Friday.",
        "Если получится, пришлю завтра.",
        "We might be able to finish by next week.",
    ],
)
def test_hedges_are_too_weak(text: str) -> None:
    nothing(text)


def test_recurring_schedules_are_not_single_promises() -> None:
    nothing("We send the reports every Friday.")
    nothing("Отчёты отправляем каждую пятницу.")


def test_a_commitment_without_a_time_is_not_offered() -> None:
    nothing("We will keep you posted.")
    nothing("Пришлём отчёт, как будет готов.")
