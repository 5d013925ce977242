"""The deliverable of a promise as a key, so one promise written in several texts is one proposal.

«Пришлю отчёт в пятницу» (in an answer) and «Отчёт пришлём в пятницу» (in the meeting notes) are
the same promise: the key keeps the words that say *what* (stemmed, sorted, deduplicated) and
drops the verbs, pronouns, names, fillers and time expressions that say who, how and when. Two keys
mean the same deliverable when the words of one are all among the words of the other («отчёт по
позициям» and «итоги встречи: отчёт по позициям»). The product pairs this with the due time.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from kabinet.lib.promise_detector.commitment import guess_language
from kabinet.lib.promise_detector.names import known_names
from kabinet.lib.promise_detector.ru import _RU_FIRST_PERSON, _RU_PERF_PREFIX
from kabinet.lib.promise_detector.third_person import _ru_verb
from kabinet.lib.promise_detector.times import _find_anchors

_TOKEN = re.compile(r"[a-zа-яё0-9]+(?:-[a-zа-яё0-9]+)*", re.IGNORECASE)
_STOP_RU = frozenset(
    """я мы вы вам вас ваш ваша ваше ваши нам нас наш наша наше наши он она они его её их ему ей
    и а но или да же ли бы не ни это этот эта эти тот та те всё все весь вся так как что чтобы
    в во на к ко до по с со у о об от из за для при про над под без через после перед между
    уже ещё еще тоже также только обязательно сразу точно пожалуйста тогда потом затем
    будет будут буду будем готов готова готово готовы""".split()
)
_STOP_EN = frozenset(
    """i we you he she they it me us them my our your his her their its the a an and or but to
    of for in on at by with from into over about as this that these those it's will shall 'll
    be is are am was were been have has had do does did get got make send sent prepare share
    deliver finish complete update fix publish launch set up give provide email forward write
    call check review upload show bring come back let go going try also then soon ready done
    definitely please just all everything ll s re ve d m as agreed promised discussed""".split()
)
_FIRST = frozenset(w.replace("ё", "е") for w in _RU_FIRST_PERSON)
_NAMES = known_names()


@lru_cache(maxsize=2)
def _stemmer(lang: str):
    return snowballstemmer.stemmer("russian" if lang == "ru" else "english")


def deliverable_key(quote: str, lang: str | None = None) -> str:
    """A short key for what ``quote`` promises (empty when nothing but verbs and times remain)."""
    lang = lang or guess_language(quote)
    text = list(quote)
    for a in _find_anchors(quote):
        text[a.start : a.end] = " " * (a.end - a.start)
    words = []
    for w in _TOKEN.findall("".join(text)):
        low = w.casefold().replace("ё", "е")
        if low in _STOP_RU or low in _STOP_EN or low in _NAMES or low.isdigit():
            continue
        if lang == "ru" and (low in _FIRST or _ru_verb(low) or _RU_PERF_PREFIX.match(low)):
            continue
        if lang == "en" and low.endswith(("'ll", "’ll")):
            continue
        words.append(low)
    stems = sorted({_stemmer(lang).stemWord(w) for w in words})
    return " ".join(stems)[:300]


def same_deliverable(a: str, b: str) -> bool:
    """True when two keys name the same deliverable: one's words are all among the other's."""
    sa, sb = set(a.split()), set(b.split())
    return bool(sa and sb) and (sa <= sb or sb <= sa)
