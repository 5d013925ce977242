"""Promises of outcomes: «к концу квартала выведем 20 запросов в топ-10», "we'll double your leads".

An agency controls what it delivers, not what the market does. A promised *result* (traffic,
leads, rankings, cost per lead) is not tracked as a deliverable: it is flagged to the manager as
an expectation risk. A clause is an outcome promise when it commits to changing a business metric
(a verb of change + a metric), or states that a metric *will* change, without a hedge.
"""

from __future__ import annotations

import re

from kabinet.lib.promise_detector.en import _EN_NEGATION
from kabinet.lib.promise_detector.ru import _RU_NEGATION

_RU_METRIC = (
    r"трафик\w*|посещаемост\w*|заяв(?:ок|ки|ка|кам|ками)|лид(?:ов|ы|а|ам)?|продаж\w*|выручк\w*|"
    r"конверси\w*|позици\w*|топ(?:-?\d+)?|cpa|cpl|cpc|cpo|дрр|roi|romi|roas|"
    r"стоимост\w*\s+(?:заявки|лида|клика|привлечения|конверсии|заказа)|охват\w*|подписчик\w*|"
    r"звонк\w*|заказ(?:ов|ы)|доход\w*|прибыл\w*|окупаемост\w*|видимост\w*|рост\w*"
)
_RU_CHANGE = (
    r"выведем|выведу|увеличим|увеличу|удвоим|утроим|поднимем|подниму|снизим|снижу|сократим|"
    r"сокращу|уменьшим|повысим|повышу|нарастим|обеспечим|обеспечу|добьёмся|добьемся|приведём|"
    r"приведем|принесём|принесем|гарантируем|гарантирую"
)
_RU_WILL_CHANGE = (
    r"вырастет|вырастут|увеличится|увеличатся|удвоится|удвоятся|утроится|снизится|снизятся|"
    r"сократится|сократятся|уменьшится|повысится|повысятся|поднимется|поднимутся|окупится|окупятся"
)
_RU_MORE = r"получите\s+(?:[\w%-]+\s+){0,4}?(?:больше|меньше|в\s+\S+\s+раза?|на\s+\d+\s*%)"

_RU_OUTCOME = re.compile(
    rf"\b(?:{_RU_CHANGE})\b[^.!?]*?\b(?:{_RU_METRIC})"
    rf"|\b(?:{_RU_METRIC})\b[^.!?]*?\b(?:{_RU_WILL_CHANGE})\b"
    rf"|\b(?:{_RU_WILL_CHANGE})\b[^.!?]*?\b(?:{_RU_METRIC})"
    rf"|\b{_RU_MORE}[^.!?]*?\b(?:{_RU_METRIC})",
    re.IGNORECASE,
)

_EN_METRIC = (
    r"leads?|traffic|sales|revenue|conversions?|conversion rate|rankings?|positions?|"
    r"top[- ]?\d+|top ten|first page|page one|cpa|cpl|cpc|cost per (?:lead|click|acquisition|order)|"
    r"roi|roas|romi|followers|reach|orders|calls|visibility|bookings|sign-?ups"
)
_EN_CHANGE = (
    r"double|triple|increase|boost|grow|raise|lift|cut|reduce|lower|halve|bring|get|push|rank|"
    r"drive|deliver|generate|improve"
)
_EN_COMMIT = r"(?:we|i)(?:'ll|’ll|\s+will|\s+shall|\s+are\s+going\s+to|\s+am\s+going\s+to)"
_EN_OUTCOME = re.compile(
    rf"\b{_EN_COMMIT}\s+(?:\w+\s+){{0,2}}?(?:{_EN_CHANGE})\b[^.!?]*?\b(?:{_EN_METRIC})\b"
    rf"|\b(?:we|i)\s+guarantee\b[^.!?]*?\b(?:{_EN_METRIC})\b"
    rf"|\b(?:{_EN_METRIC})\s+(?:\w+\s+){{0,2}}?(?:will|'ll|is\s+going\s+to|are\s+going\s+to)\s+"
    r"(?:\w+\s+){0,2}?(?:double|triple|grow|increase|rise|go\s+up|improve|drop|fall|halve)\b"
    rf"|\byou(?:'ll|’ll|\s+will)\s+(?:get|see|have)\s+[^.!?]*?\b(?:more|fewer|times)\b[^.!?]*?"
    rf"\b(?:{_EN_METRIC})\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:надеемся|надеюсь|ожидаем|рассчитываем|планируем|постараемся|попробуем|цель\w*|"
    r"прогноз\w*|возможно|может быть|hope|hoping|expect|aim|target|goal|forecast|estimate|"
    r"try|maybe|perhaps|possibly|might|could|may)\b",
    re.IGNORECASE,
)


def is_outcome(clause: str, lang: str) -> bool:
    """True when the clause promises a business result (an expectation risk)."""
    if _HEDGE.search(clause):
        return False
    if lang == "ru":
        return bool(_RU_OUTCOME.search(clause)) and not _RU_NEGATION.search(clause)
    return bool(_EN_OUTCOME.search(clause)) and not _EN_NEGATION.search(clause)
