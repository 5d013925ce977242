"""English: which clauses commit the writer (or the agency) to something, and which do not."""

from __future__ import annotations

import re

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
_EN_NEGATION = re.compile(
    r"\b(?:won't|won’t|will not|wont|can't|can’t|cannot|can not|couldn't|unable|not able|"
    r"not going to|no way|won't be able|shan't|don't think|do not think|not sure|unlikely|"
    r"not be able|never)\b",
    re.IGNORECASE,
)
_OTHER_SUBJECT_EN = re.compile(
    r"\byou(?:'ll|’ll|\s+will)\s+(?!have\b|get\b|receive\b|see\b|find\b)"
    r"|\b(?:they|he|she|the client|client|your\s+\w+|the customer|"
    r"the vendor|the developer|the developers)\s*"
    r"(?:'ll|’ll|will|shall|are going to|is going to|promised|said|agreed|have to|need to|"
    r"must|should|is supposed to|are supposed to)\b"
    r"|\bwe\s+(?:expect|need|are waiting|wait|ask|asked|look forward|hope|would like)\b"
    r"|\bplease\b|\bwaiting for\b",
    re.IGNORECASE,
)
_EN_PAST = re.compile(
    r"\b(?:yesterday|last (?:week|month|friday|monday|tuesday|wednesday|thursday)|ago|"
    r"already (?:sent|did|done|shared)|have sent|has been sent|was sent|were sent|sent it|"
    r"did send|we sent|i sent|was|were|had)\b",
    re.IGNORECASE,
)
_EN_FINITE = re.compile(
    r"\b(?:i|we|you|they|he|she|it|client)\b\s+\w+|\b(?:is|are|was|were|will|'ll|did|has|have)\b",
    re.IGNORECASE,
)


def _en_commitment(clause: str) -> bool:
    return bool(_EN_COMMIT.search(clause.strip()))
