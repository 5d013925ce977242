"""The client's own conditions: «если вы согласуете макеты до среды», "once you send the access".

A condition on the client is not the agency's promise, and its date is the client's, not ours.
The condition is cut out of the sentence (masked, so offsets stay true); whatever the agency
promises in the rest of the sentence is a *conditional* promise that carries the condition.
"""

from __future__ import annotations

import re

_START_RU = re.compile(
    r"(?:^|(?<=[\s,;:—–(]))(?:если|как только|когда|после того,?\s+как|при условии,?\s+что|"
    r"при условии|в случае,?\s+если)\b",
    re.IGNORECASE,
)
_START_EN = re.compile(
    r"\b(?:if|once|as soon as|when|after|provided(?:\s+that)?|providing|on condition that)\b",
    re.IGNORECASE,
)
_CLIENT_RU = re.compile(r"\b(?:вы|вам|вас|вами|ваш\w*|клиент\w*)\b", re.IGNORECASE)
_CLIENT_EN = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
# Where a condition stops when no comma closes it: the agency's own clause begins.
_END = re.compile(
    r"[,;:—–]|\s(?=(?:we|i)(?:'ll|’ll|\s+will|\s+shall|\s+are going to|\s+am going to)\b)",
    re.IGNORECASE,
)


def client_conditions(sentence: str, lang: str) -> list[tuple[int, int]]:
    """Spans (in ``sentence``) of the conditions that depend on the client."""
    start_re, client_re = (_START_RU, _CLIENT_RU) if lang == "ru" else (_START_EN, _CLIENT_EN)
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = start_re.search(sentence, pos)
        if m is None:
            return spans
        end_m = _END.search(sentence, m.end())
        end = end_m.start() if end_m else len(sentence)
        if client_re.search(sentence, m.end(), end):
            spans.append((m.start(), end))
        pos = max(end, m.end())


def mask(sentence: str, spans: list[tuple[int, int]]) -> str:
    """The sentence with the spans blanked out (same length, so offsets stay valid)."""
    if not spans:
        return sentence
    chars = list(sentence)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def condition_text(sentence: str, spans: list[tuple[int, int]]) -> str | None:
    parts = [sentence[a:b].strip(" ,;:—–.") for a, b in spans]
    parts = [p for p in parts if p]
    return "; ".join(parts) if parts else None
