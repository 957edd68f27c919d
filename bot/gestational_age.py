"""Gestational age in a message: "13 weeks", "14+3", "week 16", "4 months", "at 13?"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "twenty-one": 21, "twenty one": 21, "twenty-two": 22, "twenty two": 22,
}
_NUM = r"(\d{1,2}|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
# A number of weeks that is a duration, not the pregnancy's age.
# ...or a limit ("before 15 weeks", "under 14 weeks"), not her own week.
_DURATION_BEFORE = (r"(?:in|for|within|after|every|last|next|past|wait|waited|take|takes|took|than|over|"
                    r"before|under|below|from|until|till|by|since|prior to|up to)\s+$")
_DURATION_AFTER = r"^\s*(?:ago|after|later|before|from now|time|since|of|to|or|apart|postpartum)\b"

PATTERNS = [
    ("plus", re.compile(r"\b(\d{1,2})\s*\+\s*\d\b(?:\s*(?:weeks?|wks?|w)\b)?")),
    ("weeks", re.compile(r"\b" + _NUM + r"\s*(?:-|\s)?\s*(?:weeks?|wks?|wk|w)\b(?:\s*(?:and|\+)\s*\d\s*days?)?")),
    ("week_n", re.compile(r"\bweek\s*(?:no\.?\s*)?(\d{1,2})\b")),
    ("months", re.compile(r"\b" + _NUM + r"\s*(?:-|\s)?\s*(?:months?|mths?|mos?)\b")),
    ("bare", re.compile(r"\b(?:at|like|around|about)\s+(\d{1,2})\s*(?:\?|$|\s+(?:instead|then|too|ok|okay|safe|fine|risky)\b)")),
]


@dataclass(frozen=True)
class GestationalAge:
    weeks: int
    start: int
    end: int
    text: str


def _number(token: str) -> int:
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


def find_gestational_age(text: str) -> Optional[GestationalAge]:
    """The first gestational age the message states, in completed weeks, or None."""
    lowered = text.lower()
    found = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(lowered):
            before = lowered[:match.start()]
            after = lowered[match.end():]
            if kind in ("weeks", "months", "plus", "week_n") and (re.search(_DURATION_BEFORE, before)
                                                or re.match(_DURATION_AFTER, after)):
                continue
            value = _number(match.group(1))
            if kind == "months":
                if not 1 <= value <= 9 or re.search(r"\b(?:baby|son|daughter|old)\b", after[:12]):
                    continue
                value = round(value * 4.35)
            if 4 <= value <= 42:
                found.append(GestationalAge(value, match.start(), match.end(), text[match.start():match.end()]))
    if not found:
        return None
    return min(found, key=lambda g: g.start)
