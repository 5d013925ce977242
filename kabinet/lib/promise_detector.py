"""Find promises made to a client in text written by agency staff.

"I will send the report by the end of the day" / «Пришлю отчёт до конца дня» — each such
sentence is a promise of the agency. :func:`detect` finds them (Russian and English) and
resolves each one to a due instant in the agency's business calendar. Nothing here creates
anything: callers offer the detected promises to a person for confirmation.

Pure Python, no Django. The resolution rules are documented in ``docs/promise-detection.md``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from kabinet.lib.business_calendar import BusinessCalendar

__all__ = [
    "DetectInputError",
    "DetectedPromise",
    "add_detect_arguments",
    "detect",
    "detect_lines",
    "guess_language",
    "run_detect",
]

NOON = time(12, 0)
LUNCH = time(13, 0)
# A date without a year that has already passed this year is taken to mean next year only if
# that lands within this many days of now; otherwise it is a reference to the past.
NEXT_YEAR_HORIZON_DAYS = 183


@dataclass(frozen=True)
class DetectedPromise:
    """One promise found in a text: the clause as written, its due instant and the rule used."""

    quote: str
    due: datetime
    start: int
    end: int
    rule: str


# --------------------------------------------------------------------------------------------
# Lexical resources
# --------------------------------------------------------------------------------------------

_NUM_WORDS = {
    # English
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "couple of": 2,
    "a few": 3, "few": 3,
    # Russian (all cases used after «в течение / за / через»)
    "один": 1, "одного": 1, "одну": 1, "одной": 1, "одни": 1,
    "два": 2, "двух": 2, "две": 2, "пару": 2, "пары": 2,
    "три": 3, "трёх": 3, "трех": 3, "четыре": 4, "четырёх": 4, "четырех": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
    "нескольких": 3, "несколько": 3,
}  # fmt: skip
_NUM_ALT = r"\d{1,3}|" + "|".join(sorted((re.escape(k) for k in _NUM_WORDS), key=len, reverse=True))


def _num_group(name: str) -> str:
    return f"(?P<{name}>{_NUM_ALT})"


_WEEKDAYS_EN = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
_WEEKDAYS_RU = {
    "понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5,
    "воскресень": 6,
}  # fmt: skip
_MONTHS_RU = (
    "январ[яье]|феврал[яье]|март[ае]?|апрел[яье]|ма[яйе]|июн[яье]|июл[яье]|август[ае]?|"
    "сентябр[яье]|октябр[яье]|ноябр[яье]|декабр[яье]"
)
_MONTHS_EN = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)

# Russian first-person future forms of the verbs agency staff use for deliverables.
# Each entry: the 1st-person singular and plural forms (perfective future or «буду/будем»).
_RU_FIRST_PERSON = set(
    """
    пришлю пришлём пришлем вышлю вышлем вышлём отправлю отправим подготовлю подготовим
    сделаю сделаем скину скинем дам дадим напишу напишем расскажу расскажем свяжусь свяжемся
    проверю проверим посмотрю посмотрим исправлю исправим обновлю обновим согласую согласуем
    передам передадим загружу загрузим настрою настроим запущу запустим доделаю доделаем
    закончу закончим завершу завершим подготовлю пришлю предоставлю предоставим покажу покажем
    перезвоню перезвоним позвоню позвоним отвечу ответим доработаю доработаем внесу внесём внесем
    поправлю поправим соберу соберём соберем выложу выложим опубликую опубликуем размещу
    разместим добавлю добавим подключу подключим проведу проведём проведем починю починим
    уточню уточним вернусь вернёмся вернемся созвонимся начну начнём начнем перешлю перешлём
    перешлем направлю направим подготовлю оформлю оформим составлю составим пересчитаю
    пересчитаем выставлю выставим сдам сдадим пришлю распишу распишем продублирую
    продублируем подтвержу подтвердим оценю оценим посчитаю посчитаем сформирую сформируем
    выгружу выгрузим поставлю поставим заведу заведём заведем разберусь разберёмся разберемся
    успею успеем постараюсь постараемся планирую планируем собираюсь собираемся обещаю обещаем
    обязуюсь обязуемся гарантирую гарантируем буду будем беру берём берем возьму возьмём возьмем
    пришлю дошлю дошлём дошлем выполню выполним реализую реализуем перенесу перенесём
    отправляем присылаем высылаем запускаем запускаемся стартуем выкатываем публикуем сдаём
    передаём
    """.split()
)
# Present-tense 1st-person forms that are *not* commitments (expectations, requests).
_RU_NOT_COMMIT = set(
    """
    ждём ждем ждала ждал ожидаем ожидаю просим прошу надеемся надеюсь рассчитываем рассчитываю
    хотим хочу работаем работаю думаем думаю считаем считаю можем могу сможем смогу
    предлагаем предлагаю рекомендуем рекомендую советуем советую напоминаем напоминаю
    """.split()
)
# Perfective prefixes: an unknown word after «я/мы» that starts with one of these and ends in a
# 1st-person ending is taken as a future commitment («мы переоформим ...»).
_RU_PERF_PREFIX = re.compile(
    r"^(пере|при|под|от|вы|за|на|по|про|об|обо|до|из|ис|раз|рас|с|со|у|вз|вс|в)[а-яё]{3,}"
    r"(ю|у|ем|им|ём|юсь|усь|емся|имся|ёмся)$"
)

# Imperfective present endings («получаем», «понимаем», «продолжаем»): a state, not a promise.
_RU_IMPERFECTIVE = re.compile(r"(?<!дел)(?<!мен)(?<!узн)(?<!чит)(?<!дум)(?:а|я)(?:ем|ю|емся|юсь)$")

_RU_DELIVERABLE_PARTICIPLE = (
    r"готов[аоы]?|отправлен[аоы]?|подготовлен[аоы]?|сделан[аоы]?|исправлен[аоы]?|"
    r"опубликован[аоы]?|загружен[аоы]?|запущен[аоы]?|выложен[аоы]?|обновлен[аоы]?|"
    r"обновлён|настроен[аоы]?|закончен[аоы]?|завершен[аоы]?|завершён|согласован[аоы]?|"
    r"собран[аоы]?|размещен[аоы]?|размещён|доступ[ен]?|выслан[аоы]?|направлен[аоы]?"
)
_EN_DELIVERABLE_PARTICIPLE = (
    r"ready|done|sent|delivered|prepared|finished|completed|shared|uploaded|published|fixed|"
    r"live|launched|updated|available|in your inbox|on your desk|with you|deployed|resolved|"
    r"submitted|out"
)

# What follows "I'll / we'll" when it is a state or a need, not a deliverable.
_EN_NOT_DELIVERY = (
    r"(?:be\s+(?:out|away|off|on\s+(?:holiday|vacation|leave|sick leave)|unavailable|"
    r"in\s+meetings?|travell?ing|offline|happy|glad|back in the office)|need|want|wait|"
    r"keep you posted|see|be waiting|require)\b"
)
# Commitment markers.
_EN_COMMIT = re.compile(
    r"\b(?:i|we)\s*(?:'ll|’ll|\s+will|\s+shall|'m going to|’m going to|\s+am going to|"
    r"'re going to|’re going to|\s+are going to|\s+promise|\s+commit to|\s+plan to|"
    r"\s+aim to|\s+intend to|\s+expect to|'d like to get|\s+undertake)\b(?!\s+(?:"
    + _EN_NOT_DELIVERY
    + r"))"
    r"|\b(?:i|we)(?:'ll|’ll|\s+will)\s+(?:try|do our best|do my best)\b"
    r"|^\s*(?:will|i'll|we'll)\s+(?!you\b|they\b|he\b|she\b|it be\b|" + _EN_NOT_DELIVERY + r")[a-z]"
    r"|\byou(?:'ll|’ll|\s+will)\s+(?:have|get|receive|see|find)\b"
    r"|\bexpect\s+(?:it|them|the\b|our|my|a\b|an\b|\w+\s+from\s+(?:us|me))"
    r"|\blet me\s+(?:get back|come back|send|check|look)"
    r"|\b(?:it|this|that|the\s+[\w\- ]{1,40}?|our\s+[\w\- ]{1,40}?|your\s+[\w\- ]{1,40}?)\s+"
    r"(?:will|'ll|should)\s+be\s+(?:" + _EN_DELIVERABLE_PARTICIPLE + r")\b"
    r"|\bon (?:my|our) side\b|\bfrom (?:my|our) side\b|\bon it\b"
    r"|\b(?:i'm|i’m|i am|we're|we’re|we are)\s+(?!waiting|hoping|expecting|looking|wondering|"
    r"thinking|asking|working|still|not|planning on|meeting|having|seeing|talking|running|experiencing|noticing|receiving|trying to reach)[a-z]+ing\b"
    r"|\b(?:will|'ll|is going to|are going to)\s+go\s+live\b"
    r"|\b(?:our|my)\s+(?:team|specialists?|designers?|developers?|analysts?|copywriters?|"
    r"experts?|department|agency|manager|engineers?|people)\s+(?:will|'ll|is going to|"
    r"are going to)\b",
    re.IGNORECASE,
)
_RU_COMMIT_PHRASE = re.compile(
    r"\bс меня\b|\bс нас\b|\bза мной\b|\bза нами\b|\bот нас будет\b|\bот меня будет\b"
    r"|\bбуд(?:ет|ут)\s+(?:у вас\s+)?(?:" + _RU_DELIVERABLE_PARTICIPLE + r")\b"
    r"|\b(?:" + _RU_DELIVERABLE_PARTICIPLE + r")\s+буд(?:ет|ут)\b"
    r"|\bполучите\b|\bувидите\b|\bбудет у вас\b"
    r"|\bнаш[аи]?\s+(?:команда|специалист\w*|дизайнер\w*|разработчик\w*|аналитик\w*|"
    r"копирайтер\w*|отдел|агентство|юрист\w*)\s+(?:[а-яё]+\s+)?[а-яё]+(?:ит|ет|ёт|ут|ют|ат|ят)\b",
    re.IGNORECASE,
)

# Weak or non-commitment signals.
_EN_NEGATION = re.compile(
    r"\b(?:won't|won’t|will not|wont|can't|can’t|cannot|can not|couldn't|unable|not able|"
    r"not going to|no way|won't be able|shan't|don't think|do not think|not sure|unlikely|"
    r"not be able|never)\b",
    re.IGNORECASE,
)
_RU_NEGATION = re.compile(
    r"\bне\s+(?!позднее\b|позже\b|только\b|забудем\b|забуду\b|откладывая\b|затягивая\b)"
    r"[а-яё]+|\bни\s+за\s+что\b|\bвряд ли\b|\bнельзя\b|\bне[вс]?возможно\b",
    re.IGNORECASE,
)
# Hedges that make a whole sentence too weak to offer as a promise.
_WEAK_SENTENCE = re.compile(
    r"\b(?:maybe|perhaps|possibly|hopefully|probably|if possible|if we can|ideally|"
    r"возможно|может быть|наверное|вероятно|если получится|если успеем|если повезёт|"
    r"если повезет|по возможности|в идеале)\b",
    re.IGNORECASE,
)
# Modal offers and hedges that make one clause too weak.
_WEAK = re.compile(
    r"\b(?:i|we)\s+(?:could|can|might|may|would)\b|\b(?:i|we)(?:'d|’d)\b|\bmight\b"
    r"|\bmay be able\b|\b(?:попробую|попробуем|могу|можем|смогу ли|может)\b",
    re.IGNORECASE,
)
_TAG_QUESTION = re.compile(
    r"[,\s]+(?:хорошо|ок|окей|ладно|подойд[её]т|устроит|годится|нормально|ok|okay|alright|"
    r"right|fine|does that work(?: for you)?|would that work(?: for you)?|is that ok(?:ay)?|"
    r"sounds good)\s*\?\s*$",
    re.IGNORECASE,
)
_CONDITION_ON_CLIENT = re.compile(
    r"\b(?:if|once|as soon as|when|after|unless|provided)\s+(?:you|your|the client|they)\b"
    r"|\b(?:если|как только|когда|после того как|при условии)\b[^.!?]{0,40}?"
    r"\b(?:вы|вам|ваш\w*|клиент\w*|они)\b",
    re.IGNORECASE,
)
_OTHER_SUBJECT_EN = re.compile(
    r"\byou(?:'ll|’ll|\s+will)\s+(?!have\b|get\b|receive\b|see\b|find\b)"
    r"|\b(?:they|he|she|the client|client|your\s+\w+|marina|sergey|the customer|"
    r"the vendor|the developer|the developers)\s*"
    r"(?:'ll|’ll|will|shall|are going to|is going to|promised|said|agreed|have to|need to|"
    r"must|should|is supposed to|are supposed to)\b"
    r"|\bwe\s+(?:expect|need|are waiting|wait|ask|asked|look forward|hope|would like)\b"
    r"|\bplease\b|\bwaiting for\b",
    re.IGNORECASE,
)
_OTHER_SUBJECT_RU = re.compile(
    r"\bвы\b|\bвам\s+(?:нужно|надо|необходимо|следует|придётся|придется|стоит|нужн\w+)\b"
    r"|\bот вас\b|\bваш[аеи]?\s+(?:команд|специалист|бухгалтер|юрист|отдел|сторон|разработчик)"
    r"|\bклиент(?:ы)?\b|\bони\b|\bон\b|\bона\b|\bподрядчик(?:и)?\b|\bбухгалтерия\b"
    r"|\bразработчики\b|\bюрист(?:ы)?\b|\bдиректор\b|\bруководство\b"
    r"|\bпожалуйста\b|\bпросьба\b|\bждём\b|\bждем\b|\bнужно\b|\bнадо\b|\bпришлите\b"
    r"|\bотправьте\b|\bдайте\b|\bпредоставьте\b",
    re.IGNORECASE,
)
_EN_PAST = re.compile(
    r"\b(?:yesterday|last (?:week|month|friday|monday|tuesday|wednesday|thursday)|ago|"
    r"already (?:sent|did|done|shared)|have sent|has been sent|was sent|were sent|sent it|"
    r"did send|we sent|i sent|was|were|had)\b",
    re.IGNORECASE,
)
_RU_PAST = re.compile(r"\b(?:вчера|позавчера|уже|на прошлой неделе|прошлой|прошлую)\b", re.I)
_RECURRING = re.compile(
    r"\b(?:every|each|weekly|monthly|daily|каждый|каждую|каждое|каждые|ежедневно|"
    r"еженедельно|ежемесячно|по (?:понедельникам|вторникам|средам|четвергам|пятницам))\b",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^\s*(?:can|could|would|(?:will|shall)(?=\s+(?:you|they|it|we|he|she|the|your|this)\b)|"
    r"should|do|does|did|is|are|when|what|why|how|"
    r"сможете|можете|пришлёте|пришлете|когда|почему|а когда|можно ли|ли)\b",
    re.IGNORECASE,
)

_WORD = re.compile(r"[а-яёa-z]+(?:['’][a-z]+)?", re.IGNORECASE)

# --------------------------------------------------------------------------------------------
# Time expressions
# --------------------------------------------------------------------------------------------

_BY = r"(?:by|before|until|till|no later than|not later than|on|for|this|at|до|к|ко|в|во|на|не позднее|не позже)"

_P_EOD = re.compile(
    r"\b(?:by\s+|until\s+|before\s+)?(?:the\s+)?(?:eod|cob|eob|end of (?:the |my |our )?"
    r"(?:business |working |work )?day|close of (?:business|play)|end of business)\b"
    r"|(?:до|к|в)\s+конц[ау]\s+(?:этого\s+|сегодняшнего\s+)?(?:рабочего\s+)?дня"
    r"|\bв течение (?:сегодняшнего |этого )?(?:рабочего )?дня\b"
    r"|\bсегодня\s+вечером\b|\bсегодня\s+до\s+вечера\b|\bдо\s+вечера\b|\bк\s+вечеру\b"
    r"|\btonight\b|\bthis evening\b|\bthis afternoon\b|\blater today\b",
    re.IGNORECASE,
)
_P_TODAY = re.compile(r"\b(?:today|сегодня|сейчас же)\b", re.IGNORECASE)
_P_DAY_AFTER = re.compile(r"\b(?:the )?day after tomorrow\b|\bпослезавтра\b", re.IGNORECASE)
_P_TOMORROW = re.compile(r"\b(?:tomorrow|tmrw|завтра|завтрашнего дня)\b", re.IGNORECASE)
_P_LUNCH = re.compile(
    r"\b(?:до|перед)\s+обеда\b|\bк\s+обеду\b|\b(?:before|by)\s+lunch(?:time)?\b",
    re.IGNORECASE,
)
_P_NOON = re.compile(
    r"\b(?:до|к)\s+полудн[яю]\b|\b(?:noon|midday)\b|\bутром\b|\bс утра\b"
    r"|(?<!good )\bmorning\b|\bfirst thing\b|\bв первой половине дня\b|\bдо середины дня\b"
    r"|\b(?:in|during) the first half of the day\b|\bby mid-?day\b",
    re.IGNORECASE,
)
_P_AFTERNOON = re.compile(
    r"\bпосле обеда\b|\bin the afternoon\b|(?<!good )\bafternoon\b|\bвечером\b|\bin the evening\b"
    r"|\bво второй половине дня\b|\bin the second half of the day\b",
    re.IGNORECASE,
)
_P_CLOCK = re.compile(
    r"(?:\b(?:by|before|until|till|at|no later than|до|к|в|не позднее)\s+)"
    r"(?P<h>[01]?\d|2[0-3])(?:(?::(?P<m>[0-5]\d))|(?:\.(?P<m2>00|15|30|45)))?"
    r"\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?(?:\s*(?P<ru>час(?:ам|ов|а)?|ч\b\.?))?"
    r"(?:\s*(?P<rupart>утра|дня|вечера))?"
    r"|\b(?P<h3>[01]?\d|2[0-3]):(?P<m3>[0-5]\d)\b"
    r"|\b(?P<h4>1[0-2]|[1-9])\s*(?P<ampm4>a\.?m\.?|p\.?m\.?)(?![a-z])",
    re.IGNORECASE,
)
_P_HOURS = re.compile(
    r"\b(?:(?:within|in|during)\s+(?:the\s+(?:next\s+)?)?(?:"
    + _num_group("num1")
    + r"\s+)?(?P<unit>hours?|minutes?|mins?)"
    r"|(?:within|in)\s+(?P<half>half an hour|an hour and a half)"
    r"|(?:через|в течение|за|в ближайшие)\s+(?:"
    + _num_group("num2")
    + r"\s+)?(?P<ruunit>час(?:а|ов)?|минут[ау]?)"
    r"|(?:через|в течение|за)\s+(?P<ruhalf>полчаса|полтора часа))\b",
    re.IGNORECASE,
)
_P_BDAYS = re.compile(
    r"\b(?:(?:within|in|during)\s+(?:the\s+next\s+)?"
    + _num_group("num1")
    + r"\s+(?:business|working|work)\s+days?"
    r"|(?:в течение|за|через|в ближайшие|в)\s+"
    + _num_group("num2")
    + r"\s+рабоч(?:их|его|ий|ие|ую)\s+(?:дн(?:я|ей|и)|день)"
    r"|(?:в течение|за)\s+(?:одного\s+)?рабочего\s+дня(?=\s+(?:после|с момента)))\b",
    re.IGNORECASE,
)
_P_NEXT_BDAY = re.compile(
    r"\b(?:(?:by|on|within)\s+)?(?:the\s+)?next\s+(?:business|working)\s+day\b"
    r"|\b(?:в\s+|на\s+|к\s+|до\s+)?следующ(?:ий|его|ему)\s+рабоч(?:ий|его|ему)\s+дн[юяь]\b",
    re.IGNORECASE,
)
_P_CDAYS = re.compile(
    r"\b(?:(?:within|in)\s+(?:the\s+next\s+)?"
    + _num_group("num1")
    + r"\s+(?:calendar\s+)?(?P<u>days?|weeks?)"
    r"|(?:within|in)\s+(?P<u2>a week|a fortnight|two weeks)"
    r"|(?:в течение|за|через|в ближайшие)\s+(?:" + _num_group("num2") + r"\s+)?(?:календарных\s+)?"
    r"(?P<ru>дн(?:я|ей|и)|день|недел(?:и|ю|ь)|недел)"
    r"|(?:в течение|за|через)\s+(?P<ru2>неделю|недели|пару дней|пару недель))\b",
    re.IGNORECASE,
)
_P_NEXT_WEEK = re.compile(
    r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+next\s+week|next\s+week|(?:during|over)\s+the\s+next\s+week"
    r"|(?:до\s+конца\s+|к\s+концу\s+)?следующей\s+недели|на\s+следующей\s+неделе"
    r"|на\s+будущей\s+неделе|на\s+той\s+неделе)\b",
    re.IGNORECASE,
)
_P_EARLY_NEXT_WEEK = re.compile(
    r"\b(?:early\s+next\s+week|(?:at\s+)?the\s+(?:beginning|start)\s+of\s+next\s+week"
    r"|в\s+начале\s+(?:следующей|будущей)\s+недели)\b",
    re.IGNORECASE,
)
_P_THIS_WEEK = re.compile(
    r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|eow|this\s+week|later\s+this\s+week"
    r"|(?:до|к)\s+конц[ау]\s+(?:этой\s+|текущей\s+)?недели|на\s+этой\s+неделе)\b",
    re.IGNORECASE,
)
_P_NEXT_MONTH = re.compile(
    r"\b(?:next\s+month|в\s+следующем\s+месяце|в\s+начале\s+следующего\s+месяца)\b", re.I
)
_P_END_OF_MONTH = re.compile(
    r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|this\s+month|eom"
    r"|(?:до|к)\s+конц[ау]\s+(?:этого\s+|текущего\s+)?месяца|в\s+этом\s+месяце)\b",
    re.IGNORECASE,
)
_P_WEEKDAY = re.compile(
    r"(?:\b(?P<prep>by|before|until|till|on|this|next|coming|до|к|ко|в|во|на|не позднее|"
    r"не позже)\s+)?(?:(?P<mod>this|next|coming|следующ(?:ий|ую|его|ей|ему)|"
    r"эт(?:от|у|ого|ой)|ближайш(?:ий|ую|его|ей|ему)|будущ(?:ий|ую|его|ей))\s+)?"
    r"\b(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"понедельник[ау]?|вторник[ау]?|сред[ауые]|четверг[ау]?|пятниц[ауые]|суббот[ауые]|"
    r"воскресень[еяю])\b(?P<nw>\s+next\s+week|\s+on\s+next\s+week)?",
    re.IGNORECASE,
)
_P_DATE = re.compile(
    r"\b(?P<d1>[0-3]?\d)(?:-?(?:го|е|st|nd|rd|th))?\s+(?:of\s+)?(?P<m1>"
    + _MONTHS_RU
    + "|"
    + _MONTHS_EN
    + r")\.?(?:,?\s+(?P<y1>20\d\d))?\b"
    r"|\b(?P<m2>"
    + _MONTHS_EN
    + r")\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<y2>20\d\d))?\b"
    r"|(?<![\d.:])(?P<d3>[0-3]?\d)\.(?P<m3>[01]\d)(?:\.(?P<y3>(?:20)?\d\d))?(?![\d:])"
    r"|\b(?P<iy>20\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b",
    re.IGNORECASE,
)
_RU_DAYPART_BEFORE = re.compile(
    r"\b(?:вечера|утра|обеда|полудня|конца дня|середины дня|первой половины|второй половины)"
    r"(?:\s+дня)?\s*$",
    re.IGNORECASE,
)
_P_DAY_OF_MONTH = re.compile(
    r"\b(?:on|by|until|before|no later than)\s+the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b"
    r"(?!\s+of\b)"
    r"|\b(?:до|к|не позднее)\s+(?P<d2>[0-3]?\d)-?(?:го|му|е)(?:\s+числа)?\b"
    r"(?!\s+(?:" + _MONTHS_RU + r"))",
    re.IGNORECASE,
)
_PAST_TIME_WORDS = re.compile(r"\b(?:last|прошл\w+|позапрошл\w+)\s*$", re.IGNORECASE)
_NOT_DEADLINE_PREP = re.compile(r"(?:\bfor|\bза|\bпосле|\bafter|\bsince|\bс|\bсо|'s)\s*$", re.I)


@dataclass
class _Anchor:
    """What a clause says about time, before resolution."""

    kind: str  # rule family
    start: int
    end: int
    value: object = None


def _num_of(m: re.Match[str]) -> str | None:
    for key, value in m.groupdict().items():
        if key.startswith("num") and value:
            return value
    return None


def _num(value: str | None, default: int = 1) -> int:
    if not value:
        return default
    value = value.lower()
    if value.isdigit():
        return int(value)
    return _NUM_WORDS.get(value, default)


def _find_anchors(clause: str) -> list[_Anchor]:
    """All time expressions in a clause, longest/strongest first, without overlaps."""
    found: list[_Anchor] = []

    def add(kind: str, m: re.Match[str], value: object = None) -> None:
        found.append(_Anchor(kind, m.start(), m.end(), value))

    for m in _P_HOURS.finditer(clause):
        if m.group("half") or m.group("ruhalf"):
            txt = (m.group("half") or m.group("ruhalf")).lower()
            minutes = 90 if ("half" in txt and "and" in txt) or "полтора" in txt else 30
        else:
            unit = (m.group("unit") or m.group("ruunit") or "").lower()
            n = _num(_num_of(m))
            minutes = n * (60 if unit.startswith(("hour", "час")) else 1)
        add("hours", m, timedelta(minutes=minutes))
    for m in _P_BDAYS.finditer(clause):
        add("business_days", m, _num(_num_of(m)))
    for m in _P_NEXT_BDAY.finditer(clause):
        add("business_days", m, 1)
    for m in _P_CDAYS.finditer(clause):
        unit = (m.group("u") or m.group("u2") or m.group("ru") or m.group("ru2") or "").lower()
        if unit in ("a fortnight", "two weeks"):
            n, unit = 14, "day"
        elif unit == "пару дней":
            n, unit = 2, "day"
        elif unit == "пару недель":
            n, unit = 14, "day"
        else:
            n = _num(_num_of(m))
        days = n * 7 if unit.startswith(("week", "a week", "недел")) else n
        add("calendar_days", m, days)
    for m in _P_EARLY_NEXT_WEEK.finditer(clause):
        add("early_next_week", m)
    for m in _P_NEXT_WEEK.finditer(clause):
        add("next_week", m)
    for m in _P_THIS_WEEK.finditer(clause):
        add("this_week", m)
    for m in _P_NEXT_MONTH.finditer(clause):
        add("next_month", m)
    for m in _P_END_OF_MONTH.finditer(clause):
        add("end_of_month", m)
    for m in _P_DATE.finditer(clause):
        add("date", m)
    for m in _P_DAY_OF_MONTH.finditer(clause):
        add("day_of_month", m, int(m.group("d") or m.group("d2")))
    for m in _P_WEEKDAY.finditer(clause):
        before = clause[: m.start()]
        if not m.group("prep") and not m.group("mod"):
            if _NOT_DEADLINE_PREP.search(before) or _PAST_TIME_WORDS.search(before):
                continue
            if not re.match(r"[a-z]", m.group("day"), re.I) and not _RU_DAYPART_BEFORE.search(
                before
            ):
                continue  # a bare Russian weekday («пятница») is not a deadline
        if m.group("prep") and m.group("prep").lower() in ("for",):
            continue
        if _PAST_TIME_WORDS.search(before):
            continue
        add("weekday", m)
    for m in _P_DAY_AFTER.finditer(clause):
        add("day_after_tomorrow", m)
    for m in _P_TOMORROW.finditer(clause):
        add("tomorrow", m)
    for m in _P_EOD.finditer(clause):
        add("eod", m)
    for m in _P_TODAY.finditer(clause):
        add("today", m)
    for m in _P_LUNCH.finditer(clause):
        add("lunch", m)
    for m in _P_NOON.finditer(clause):
        add("noon", m)
    for m in _P_AFTERNOON.finditer(clause):
        add("afternoon", m)
    for m in _P_CLOCK.finditer(clause):
        h = m.group("h") or m.group("h3") or m.group("h4")
        mi = m.group("m") or m.group("m2") or m.group("m3") or "0"
        ampm = (m.group("ampm") or m.group("ampm4") or "").lower().replace(".", "")
        has_marker = bool(
            m.group("m")
            or m.group("m2")
            or m.group("m3")
            or ampm
            or m.group("ru")
            or m.group("rupart")
        )
        if not has_marker:
            continue  # «к 15» alone is too ambiguous (a date? a count?)
        hour = int(h)
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        part = (m.group("rupart") or "").lower()
        if part in ("дня", "вечера") and hour < 12:
            hour += 12
        add("clock", m, time(hour, int(mi)))

    # Drop anchors that sit inside a longer one (e.g. «дня» inside «в течение дня»).
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    kept: list[_Anchor] = []
    for a in found:
        if any(k.start <= a.start and a.end <= k.end for k in kept):
            continue
        kept = [k for k in kept if not (a.start <= k.start and k.end <= a.end)]
        kept.append(a)
    return kept


# --------------------------------------------------------------------------------------------
# Resolution against the business calendar
# --------------------------------------------------------------------------------------------


def _at(d: date, t: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, t, tzinfo=tz)


def _on_or_after_business(cal: BusinessCalendar, d: date) -> date:
    for _ in range(400):
        if cal.is_business_day(d):
            return d
        d += timedelta(days=1)
    return d  # pragma: no cover - a calendar without business days


def _next_business_after(cal: BusinessCalendar, d: date) -> date:
    return _on_or_after_business(cal, d + timedelta(days=1))


def _nth_business_after(cal: BusinessCalendar, d: date, n: int) -> date:
    for _ in range(max(n, 1)):
        d = _next_business_after(cal, d)
    return d


def _close(cal: BusinessCalendar, d: date) -> datetime:
    return cal.closing_of(d).astimezone(cal.tz)


def _period_close_day(cal: BusinessCalendar, today: date, now: datetime, bounds, ahead: int) -> date:
    """The last business day of this (ahead=0, from today on, still open) or the next period; a
    period with no business day left falls to the first business day after it."""
    if ahead == 0:
        _first, last = bounds(today)
        d = _last_business_in(cal, today, last)
        if d is not None and _close(cal, d) > now:
            return d
    first, last = bounds(today, 1)
    return _last_business_in(cal, first, last) or _next_business_after(cal, last)


def _last_business_in(cal: BusinessCalendar, first: date, last: date) -> date | None:
    d = last
    while d >= first:
        if cal.is_business_day(d):
            return d
        d -= timedelta(days=1)
    return None


def _first_business_in(cal: BusinessCalendar, first: date, last: date) -> date | None:
    d = first
    while d <= last:
        if cal.is_business_day(d):
            return d
        d += timedelta(days=1)
    return None


def _week_bounds(d: date, weeks_ahead: int = 0) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday()) + timedelta(weeks=weeks_ahead)
    return monday, monday + timedelta(days=6)


def _month_bounds(d: date, months_ahead: int = 0) -> tuple[date, date]:
    y, m = d.year, d.month + months_ahead
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    first = date(y, m, 1)
    nxt = date(y + (m // 12), m % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _weekday_index(word: str) -> int:
    w = word.lower()
    if w in _WEEKDAYS_EN:
        return _WEEKDAYS_EN[w]
    for stem, idx in _WEEKDAYS_RU.items():
        if w.startswith(stem):
            return idx
    raise ValueError(word)


def _parse_date(m: re.Match[str], clause_lang: str, today: date) -> tuple[date, bool] | None:
    """Day and month of a date expression (via dateparser); returns (date, year_given)."""
    import dateparser

    text = m.group(0)
    year = m.group("y1") or m.group("y2") or m.group("y3") or m.group("iy")
    if m.group("iy"):
        try:
            return date(int(m.group("iy")), int(m.group("im")), int(m.group("id"))), True
        except ValueError:
            return None
    if m.group("d3"):
        try:
            y = int(year) if year else today.year
            if y < 100:
                y += 2000
            return date(y, int(m.group("m3")), int(m.group("d3"))), bool(year)
        except ValueError:
            return None
    lang = "ru" if re.search(r"[а-яё]", text, re.I) else "en"
    fragment = re.sub(r"-?(го|е)\b", "", text) if lang == "ru" else text
    parsed = dateparser.parse(
        fragment if year else f"{fragment} {today.year}",
        languages=[lang],
        settings={"REQUIRE_PARTS": ["day", "month"], "DATE_ORDER": "DMY"},
    )
    if parsed is None:
        return None
    return parsed.date(), bool(year)


def _resolve(
    anchors: list[_Anchor], clause: str, now: datetime, cal: BusinessCalendar, lang: str
) -> tuple[datetime, str] | None:
    tz = cal.tz
    now = now.astimezone(tz)
    today = now.date()
    kinds = {a.kind for a in anchors}
    by_kind = {a.kind: a for a in anchors}

    # Time-of-day part.
    tod: time | None = None
    tod_rule = ""
    if "clock" in by_kind:
        tod, tod_rule = by_kind["clock"].value, "clock"  # type: ignore[assignment]
    elif "lunch" in kinds:
        tod, tod_rule = LUNCH, "lunch"
    elif "noon" in kinds:
        tod, tod_rule = NOON, "noon"

    def with_tod(d: date, rule: str) -> tuple[datetime, str]:
        if tod is None:
            return _close(cal, d), rule
        return _at(d, tod, tz), f"{rule}+{tod_rule}"

    # Durations and periods resolve on their own.
    if "hours" in kinds:
        span: timedelta = by_kind["hours"].value  # type: ignore[assignment]
        if span >= timedelta(hours=24) and span % timedelta(hours=24) == timedelta(0):
            days = span // timedelta(hours=24)
            return _close(cal, _nth_business_after(cal, today, days)), "business_days"
        return cal.add(now, span).astimezone(tz), "hours"
    if "business_days" in kinds:
        n = int(by_kind["business_days"].value)  # type: ignore[arg-type]
        return _close(cal, _nth_business_after(cal, today, n)), "business_days"
    if "calendar_days" in kinds:
        days = int(by_kind["calendar_days"].value)  # type: ignore[arg-type]
        d = _on_or_after_business(cal, today + timedelta(days=days))
        return _close(cal, d), "calendar_days"
    if "early_next_week" in kinds:
        first, last = _week_bounds(today, 1)
        d = _first_business_in(cal, first, last) or _next_business_after(cal, last)
        return with_tod(d, "early_next_week")

    # Explicit dates and weekdays.
    if "date" in kinds:
        a = by_kind["date"]
        m = _P_DATE.search(clause, a.start)
        parsed = _parse_date(m, lang, today) if m else None
        if parsed is None:
            return None
        d, year_given = parsed
        if d < today:
            if year_given:
                return None
            try:
                d = d.replace(year=d.year + 1)
            except ValueError:
                return None
            if (d - today).days > NEXT_YEAR_HORIZON_DAYS:
                return None
        d = _on_or_after_business(cal, d)
        due, rule = with_tod(d, "date")
        return (due, rule) if due > now else None
    if "day_of_month" in kinds:
        day = int(by_kind["day_of_month"].value)  # type: ignore[arg-type]
        first, _ = _month_bounds(today)
        for months in (0, 1, 2):
            first, last = _month_bounds(today, months)
            if day <= last.day and date(first.year, first.month, day) >= today:
                d = _on_or_after_business(cal, date(first.year, first.month, day))
                due, rule = with_tod(d, "day_of_month")
                if due > now:
                    return due, rule
        return None
    if "weekday" in kinds:
        a = by_kind["weekday"]
        m = _P_WEEKDAY.search(clause, a.start)
        assert m is not None
        target = _weekday_index(m.group("day"))
        mod = (m.group("mod") or m.group("prep") or "").lower()
        next_week = (
            mod.startswith(("next", "следующ", "будущ"))
            or bool(m.group("nw"))
            or "next_week" in kinds
        )
        if next_week:
            monday, _ = _week_bounds(today, 1)
            d = monday + timedelta(days=target)
        else:
            d = today + timedelta(days=(target - today.weekday()) % 7)
            if d == today:
                due_today = _at(d, tod, tz) if tod else _close(cal, d)
                if not cal.is_business_day(d) or due_today <= now:
                    d += timedelta(days=7)
        d = _on_or_after_business(cal, d)
        return with_tod(d, "weekday")
    periods = {"next_week": (_week_bounds, 1), "this_week": (_week_bounds, 0),
               "next_month": (_month_bounds, 1), "end_of_month": (_month_bounds, 0)}  # fmt: skip
    for kind, (bounds, ahead) in periods.items():
        if kind in kinds:
            return with_tod(_period_close_day(cal, today, now, bounds, ahead), kind)

    # Relative days.
    if "day_after_tomorrow" in kinds:
        return with_tod(_on_or_after_business(cal, today + timedelta(days=2)), "day_after_tomorrow")
    if "tomorrow" in kinds:
        return with_tod(_on_or_after_business(cal, today + timedelta(days=1)), "tomorrow")

    # Today / no day: a clock time or a part of the day.
    if tod is not None:
        candidate = _at(today, tod, tz)
        rule = "today" if "today" in kinds else "time"
        if cal.is_business_day(today) and candidate > now:
            return candidate, f"{rule}+{tod_rule}"
        return _at(_next_business_after(cal, today), tod, tz), f"{rule}+{tod_rule}"
    if kinds & {"eod", "today", "afternoon"}:
        return cal.end_of_business_day(now).astimezone(tz), "eod"
    return None


# --------------------------------------------------------------------------------------------
# Sentences, clauses and commitment
# --------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=[.!?])(?=[A-ZА-ЯЁ])")
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s*|\s+[—–-]\s+(?=(?:а|и|но|and|but|then|потом|затем)\b)"
    r"|,\s*(?=(?:а|но|and|but|then|and then|while|whereas|потом|затем|плюс|а также)\b)"
    r"|\s+(?=(?:а|но|but|and|и)\s+(?:i|we|я|мы)(?:'ll|’ll|'m|'re)?\b)"
    r"|\s+(?=(?:а|но|but|and|и)\s+(?:[а-яёa-z'’]+\s+){0,3}?(?:"
    r"tomorrow|today|by|within|next|on|завтра|сегодня|к|до|в течение|на следующей|через|"
    r"in)\b)"
    r"|,(?!\s*\d)\s*",
    re.IGNORECASE,
)
_FILLER = set("at on in by до к в во на — – - the a and и а".split())
_SENTENCE_BLOCK = re.compile(
    r"\bне обеща\w*|\bне гарантир\w*|\b(?:can't|cannot|can not|won't)\s+(?:promise|guarantee)\b"
    r"|\bno promises\b|\bnot promising\b",
    re.IGNORECASE,
)


def _only_time(clause: str, anchors: list[_Anchor]) -> bool:
    """True if the clause is nothing but time expressions («, 7 декабря», ", at 3pm")."""
    rest = list(clause)
    for a in anchors:
        rest[a.start : a.end] = [" "] * (a.end - a.start)
    words = [w.lower() for w in _WORD.findall("".join(rest))]
    return bool(anchors) and all(w in _FILLER for w in words)


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\r\n,;:—–-\"'«»()":
        s += 1
    while e > s and text[e - 1] in " \t\r\n,;:—–-\"'«»(":
        e -= 1
    return s, e


def guess_language(text: str) -> str:
    """'ru' if the text is mostly Cyrillic, else 'en'."""
    cyr = len(re.findall(r"[а-яё]", text, re.IGNORECASE))
    lat = len(re.findall(r"[a-z]", text, re.IGNORECASE))
    return "ru" if cyr >= lat else "en"


def _ru_commitment(clause: str) -> bool:
    if _RU_COMMIT_PHRASE.search(clause):
        return True
    words = [w.lower().replace("ё", "е") for w in _WORD.findall(clause)]
    lex = {w.replace("ё", "е") for w in _RU_FIRST_PERSON}
    stop = {w.replace("ё", "е") for w in _RU_NOT_COMMIT}
    has_pronoun = any(w in ("я", "мы") for w in words)
    for w in words:
        if w in stop:
            continue
        if w in lex:
            return True
        if has_pronoun and _RU_PERF_PREFIX.match(w) and not _RU_IMPERFECTIVE.search(w):
            return True
    return False


def _en_commitment(clause: str) -> bool:
    return bool(_EN_COMMIT.search(clause.strip()))


def _commitment(clause: str, lang: str) -> bool:
    return _ru_commitment(clause) if lang == "ru" else _en_commitment(clause)


def _blocked(clause: str, lang: str) -> str | None:
    """Why a clause is not a promise of the agency even if it has a time (or None)."""
    if _RECURRING.search(clause):
        return "recurring"
    if _CONDITION_ON_CLIENT.search(clause):
        return "condition"
    if lang == "ru":
        if _RU_NEGATION.search(clause):
            return "negation"
        if _OTHER_SUBJECT_RU.search(clause):
            return "other_subject"
        if _RU_PAST.search(clause):
            return "past"
    else:
        if _EN_NEGATION.search(clause):
            return "negation"
        if _OTHER_SUBJECT_EN.search(clause):
            return "other_subject"
        if _EN_PAST.search(clause) and not _EN_COMMIT.search(clause):
            return "past"
    if _WEAK.search(clause):
        return "weak"
    return None


def _is_question(sentence: str) -> bool:
    s = _TAG_QUESTION.sub(".", sentence.rstrip())
    return s.endswith("?") or (bool(_QUESTION_START.match(s)) and not s.endswith((".", "!")))


def detect(
    text: str, now: datetime, calendar: BusinessCalendar, lang: str | None = None
) -> list[DetectedPromise]:
    """Promises made by the writer (first person / agency "we") in ``text``, with due instants.

    ``now`` must be timezone-aware; due instants are in ``calendar.tz``. ``lang`` is "ru" or
    "en"; when None it is guessed per sentence.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    results: list[DetectedPromise] = []
    for s_start, s_end in _spans(_SENTENCE_END, text, 0, len(text)):
        s_start, s_end = _strip_span(text, s_start, s_end)
        if s_start >= s_end:
            continue
        sentence = text[s_start:s_end]
        if _is_question(sentence):
            continue
        slang = lang or guess_language(sentence)
        if _CONDITION_ON_CLIENT.search(sentence) or _SENTENCE_BLOCK.search(sentence):
            continue
        if _WEAK_SENTENCE.search(sentence) and not re.search(
            r"[,;]\s*(?:а|но|but)\b", sentence, re.I
        ):
            continue
        clauses: list[tuple[int, int, str, list[_Anchor]]] = []
        for c_start, c_end in _spans(_CLAUSE_SPLIT, text, s_start, s_end):
            c_start, c_end = _strip_span(text, c_start, c_end)
            if c_start >= c_end:
                continue
            clause = text[c_start:c_end]
            anchors = _find_anchors(clause)
            if clauses and _only_time(clause, anchors):
                # «пришлю в понедельник, 7 декабря»: the date belongs to the previous clause.
                p_start = clauses[-1][0]
                clause = text[p_start:c_end]
                clauses[-1] = (p_start, c_end, clause, _find_anchors(clause))
                continue
            clauses.append((c_start, c_end, clause, anchors))
        timed = [c for c in clauses if c[3]]
        if not timed:
            continue
        if len(timed) == 1:
            # One time expression: the whole sentence is one candidate.
            c_start, c_end, clause, anchors = timed[0]
            own = _commitment(clause, slang)
            if not own and _blocked(clause, slang) is None:
                own = any(_commitment(c[2], slang) for c in clauses) and not any(
                    _blocked(c[2], slang) for c in clauses if _commitment(c[2], slang)
                )
                if own:
                    c_start, c_end = s_start, s_end
            if not own or _blocked(clause, slang):
                continue
            resolved = _resolve(anchors, clause, now, calendar, slang)
            if resolved is None:
                continue
            results.append(
                DetectedPromise(text[c_start:c_end], resolved[0], c_start, c_end, resolved[1])
            )
            continue
        # Several timed clauses: each is a candidate; a clause without its own verb inherits
        # the commitment of the previous committed clause («пришлю отчёт сегодня, а план — к
        # пятнице»).
        prev_commit = False
        for idx, (c_start, c_end, clause, anchors) in enumerate(clauses):
            own = _commitment(clause, slang)
            blocked = _blocked(clause, slang)
            has_verb = own or _has_finite_verb(clause, slang)
            committed = own or (not has_verb and prev_commit)
            if not anchors:
                if own and not blocked:
                    prev_commit = True
                elif has_verb:
                    prev_commit = False
                continue
            if not committed and not has_verb:
                # «Завтра, как договорились, пришлю»: look ahead for a verb-only clause.
                nxt = clauses[idx + 1] if idx + 1 < len(clauses) else None
                committed = bool(nxt and not nxt[3] and _commitment(nxt[2], slang))
            if committed and not blocked:
                resolved = _resolve(anchors, clause, now, calendar, slang)
                if resolved is not None:
                    results.append(
                        DetectedPromise(clause, resolved[0], c_start, c_end, resolved[1])
                    )
            if has_verb:
                prev_commit = committed and not blocked
    return results


_EN_FINITE = re.compile(
    r"\b(?:i|we|you|they|he|she|it|client)\b\s+\w+|\b(?:is|are|was|were|will|'ll|did|has|have)\b",
    re.IGNORECASE,
)


def _has_finite_verb(clause: str, lang: str) -> bool:
    if lang == "en":
        return bool(_EN_FINITE.search(clause))
    words = [w.lower() for w in _WORD.findall(clause)]
    return any(
        w in ("вы", "они", "он", "она", "я", "мы", "будет", "будут", "был", "была", "было")
        or re.search(r"(ли|ла|ло|ете|ёте|ите|ут|ют|ат|ят|ет|ёт|ит)$", w)
        and len(w) > 4
        and not re.search(r"(ели|ели)$", w)
        for w in words
    )


# --------------------------------------------------------------------------------------------
# Command-line helper (used by the `kabinet promises detect` management command)
# --------------------------------------------------------------------------------------------


class DetectInputError(ValueError):
    """Bad command-line input (naive --now, unknown zone, bad time)."""


def _parse_hhmm(value: str, name: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise DetectInputError(f"{name} must be a time like 09:00, got {value!r}") from exc


def build_calendar(
    tz: str = "Europe/Moscow", start: str = "09:00", end: str = "18:00", country: str = "RU"
) -> BusinessCalendar:
    """The default business calendar for the command line, with clear errors."""
    from kabinet.lib.business_calendar import BusinessCalendar

    _zone(tz)
    s, e = _parse_hhmm(start, "--start"), _parse_hhmm(end, "--end")
    if s >= e:
        raise DetectInputError("--start must be before --end")
    try:
        return BusinessCalendar(tz=tz, start=s, end=e, country=country or None)
    except (TypeError, ValueError) as exc:  # e.g. an unknown country code
        raise DetectInputError(str(exc)) from exc


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError, IsADirectoryError ...
        raise DetectInputError(
            f"unknown time zone {tz!r} (use an IANA name such as 'Europe/Moscow')"
        ) from exc


def parse_now(value: str | None, tz: str) -> datetime:
    """--now as an aware datetime (default: the current instant)."""
    zone = _zone(tz)
    if value is None:
        return datetime.now(zone)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise DetectInputError(f"--now must be ISO-8601 with an offset, got {value!r}") from exc
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise DetectInputError(
            f"--now must include a UTC offset (e.g. 2026-11-26T10:00:00+03:00), got {value!r}"
        )
    return parsed.astimezone(zone)


def detect_lines(
    lines: Iterable[str],
    now: str | None = None,
    tz: str = "Europe/Moscow",
    start: str = "09:00",
    end: str = "18:00",
    country: str = "RU",
    lang: str | None = None,
) -> list[dict[str, object]]:
    """One result object per input line: ``{"text", "promises": [{"quote", "due"}]}``."""
    moment = parse_now(now, tz)
    cal = build_calendar(tz, start, end, country)
    out: list[dict[str, object]] = []
    for raw in lines:
        text = raw.rstrip("\r\n")
        promises = [
            {"quote": p.quote, "due": p.due.isoformat()} for p in detect(text, moment, cal, lang)
        ]
        out.append({"text": text, "promises": promises})
    return out


def add_detect_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `kabinet promises detect` (shared by the management command and tests)."""
    parser.add_argument(
        "--now",
        default=None,
        help="the moment the messages were written, ISO-8601 with a UTC offset "
        "(default: the current time)",
    )
    parser.add_argument("--tz", default="Europe/Moscow", help="IANA time zone of the agency")
    parser.add_argument("--start", default="09:00", help="opening of the working day (HH:MM)")
    parser.add_argument("--end", default="18:00", help="closing of the working day (HH:MM)")
    parser.add_argument(
        "--country", default="RU", help="ISO country code for public holidays ('' for none)"
    )
    parser.add_argument("--lang", choices=("ru", "en"), default=None, help="force a language")
    parser.add_argument("--json", action="store_true", help="print a JSON array")


def run_detect(options: dict[str, Any], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Read one message per line from ``stdin``, print the promises found; return an exit code."""
    try:
        results = detect_lines(
            stdin,
            now=options.get("now"),
            tz=options.get("tz") or "Europe/Moscow",
            start=options.get("start") or "09:00",
            end=options.get("end") or "18:00",
            country=options.get("country", "RU"),
            lang=options.get("lang"),
        )
    except DetectInputError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    if options.get("json"):
        stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        return 0
    for item in results:
        stdout.write(f"{item['text']}\n")
        for p in item["promises"]:  # type: ignore[attr-defined]
            stdout.write(f"  → {p['due']}  «{p['quote']}»\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m kabinet.lib.promise_detector --now ... --json < messages.txt``."""
    parser = argparse.ArgumentParser(prog="promises detect", description=__doc__)
    add_detect_arguments(parser)
    args = parser.parse_args(argv)
    return run_detect(vars(args), sys.stdin, sys.stdout, sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
