"""Personal details in a patient's message, replaced by markers before the message is stored.

`redact("I'm Sarah, 07700 900123")` gives "I'm [name], [phone]". What is found: phone numbers
(UK, US and international styles), NHS, hospital, National Insurance and social security
numbers, e-mail addresses, dates of birth and any other full date with a year, UK postcodes,
US ZIP codes, street addresses and the names people give (bot.privacy.names). Clinical
content is left alone: weeks ("14+3", "week 16"), times ("10am"), risks ("1 in 200",
"0.5%"), temperatures ("38.5C"), amounts ("15-20 ml"). The rules are regular expressions
without nested repetition: a 5,000-character message takes a few milliseconds, a usual one
a few microseconds. What they miss is in docs/privacy.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import FrozenSet, Iterator, List, Tuple

from bot.privacy.names import find_names, name_scores

MARKERS = {
    "name": "[name]", "phone": "[phone]", "id_number": "[id number]", "email": "[email]",
    "date_of_birth": "[date of birth]", "date": "[date]", "postcode": "[postcode]",
    "zip_code": "[zip code]", "address": "[address]",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


# ------------------------------------------------------------------ e-mail addresses

EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b")

# ------------------------------------------------------------------ phone and id numbers

# Digits with single separators between them, "+44 (0)7700 900123", "(555) 010-0199".
PHONE_CANDIDATE = re.compile(
    r"(?<![\w+])(?:\+|00)?(?:\(\d{1,5}\)|\d)(?:[ .\-]?(?:\(\d{1,5}\)|\d)){6,17}(?![\w])")
ID_CUE = re.compile(r"\b(?:nhs|hospital|patient|mrn|medical\s+record|record|chi)\s*"
                    r"(?:no\.?|number|num|#|id)?\s*(?:is\s*)?[:#]?\s*$", re.IGNORECASE)


def _is_phone(candidate: str) -> bool:
    """Is this run of digits a phone (or NHS/hospital) number rather than figures? 10 to 15
    digits; one kind of separator; a long run of short groups only with a leading + or 0
    (French style "01 23 45 67 89", not a list of weeks "15 16 17 18 19 20")."""
    digits = sum(c.isdigit() for c in candidate)
    if not 10 <= digits <= 15:
        return False
    separators = set(re.sub(r"[\d()+]", "", candidate))
    if "." in separators and len(separators) > 1:
        return False  # decimals in a list: "38.5 37.9 38.1 38.4"
    groups = re.findall(r"\d+", candidate)
    if len(groups) >= 5 and not candidate.startswith(("+", "0", "(")):
        return False
    return True


# US social security numbers (078-05-1120), UK National Insurance numbers (AB 12 34 56 C).
ID_NUMBER = re.compile(r"\b\d{3}-\d{2}-\d{4}\b"
                       r"|\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")


def _phones(text: str) -> Iterator[Span]:
    for match in PHONE_CANDIDATE.finditer(text):
        if _is_phone(match.group()):
            kind = "id_number" if ID_CUE.search(text, max(0, match.start() - 40),
                                                 match.start()) else "phone"
            yield Span(match.start(), match.end(), kind)
    for match in ID_NUMBER.finditer(text):
        yield Span(match.start(), match.end(), "id_number")


# ------------------------------------------------------------------ dates

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
FULL_DATE = re.compile(
    rf"\b(?:{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}"  # 3 March 1990, 3rd of Mar, 1990
    rf"|{_MONTH}\s+{_DAY},?\s+{_YEAR}"  # March 3, 1990
    # 12/03/1990, 3.12.90
    r"|(?:3[01]|[12]\d|0?[1-9])([/.\-])(?:3[01]|[12]\d|0?[1-9])\1(?:(?:19|20)\d{2}|\d{2})"
    r"|(?:19|20)\d{2}([/.\-])(?:1[0-2]|0?[1-9])\2(?:3[01]|[12]\d|0?[1-9]))\b",  # 1990-03-12
    re.IGNORECASE)
# After these, part of a date is enough: "born in March 1990", "DOB: 1990", "birthday 3 May".
_BIRTH = r"\b(?:dob|d\.o\.b|date\s+of\s+birth|birth\s*date|birthday|bday|born)\b"
_BIRTH_FILLER = r"(?:\s*(?:is|was|on|in|[:.\-–]))*\s*(?:the\s+)?"
BIRTH_CUE_BEFORE = re.compile(_BIRTH + _BIRTH_FILLER + "$", re.IGNORECASE)
BIRTH_DATE_AFTER_CUE = re.compile(
    _BIRTH + _BIRTH_FILLER + rf"({_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"
    rf"|{_MONTH}\s+(?:{_DAY},?\s+)?{_YEAR}|{_MONTH}\s+{_DAY}|{_YEAR})\b", re.IGNORECASE)


def _dates(text: str) -> Iterator[Span]:
    for match in FULL_DATE.finditer(text):
        after_cue = BIRTH_CUE_BEFORE.search(text, max(0, match.start() - 40), match.start())
        yield Span(match.start(), match.end(), "date_of_birth" if after_cue else "date")
    for match in BIRTH_DATE_AFTER_CUE.finditer(text):
        yield Span(match.start(1), match.end(1), "date_of_birth")


# ------------------------------------------------------------------ postcodes and addresses

# Outward code, then inward code (its letters never C, I, K, M, O or V); not "T21 2nd".
UK_POSTCODE = re.compile(
    r"\b[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?[ \t]?(?!\d(?:st|nd|rd|th)\b)\d[ABD-HJLNP-UW-Z]{2}\b",
    re.IGNORECASE)
_STATES = ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT "
           "NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR").split()
ZIP_PLUS_4 = re.compile(r"(?<![\d\-])\d{5}-\d{4}(?![\d\-])")
ZIP_AFTER_CUE = re.compile(
    r"(?:\b(?:zip(?:\s*code)?|zipcode|postal\s*code|post\s*code|postcode)\b[\s:#\-]*(?:is\s+)?"
    r"|\b(?-i:" + "|".join(_STATES) + r")\.?,?[ \t]+)(\d{5})(?![\d\-])", re.IGNORECASE)
_STREET_TYPES = (r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Way|Court|Ct|Crescent"
                 r"|Place|Boulevard|Blvd|Terrace|Gardens|Grove|Square|Mews|Parade|Walk|Row")
STREET_ADDRESS = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?,?[ \t]+(?:[A-Z][a-z'’]+[ \t]+){{1,3}}(?:{_STREET_TYPES})\b\.?")


def _places(text: str) -> Iterator[Span]:
    for match in UK_POSTCODE.finditer(text):
        yield Span(match.start(), match.end(), "postcode")
    for match in ZIP_PLUS_4.finditer(text):
        yield Span(match.start(), match.end(), "zip_code")
    for match in ZIP_AFTER_CUE.finditer(text):
        yield Span(match.start(1), match.end(1), "zip_code")
    for match in STREET_ADDRESS.finditer(text):
        yield Span(match.start(), match.end(), "address")


# ------------------------------------------------------------------ all of them

def find_personal_details(text: str) -> List[Span]:
    """The personal details in the text, in order, none overlapping (where two rules
    overlap, the one starting first wins, then the longer one)."""
    found: List[Span] = []
    if "@" in text:
        found.extend(Span(m.start(), m.end(), "email") for m in EMAIL.finditer(text))
    if any(c.isdigit() for c in text):
        found.extend(_phones(text))
        found.extend(_dates(text))
        found.extend(_places(text))
    found.extend(Span(start, end, "name") for start, end in find_names(text))
    kept: List[Span] = []
    for span in sorted(found, key=lambda s: (s.start, -(s.end - s.start))):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


@dataclass(frozen=True)
class Redacted:
    """A message with its personal details replaced: the new text and where each detail
    was (in the original), so offsets into the original can be moved to the new text."""

    original: str
    text: str
    spans: Tuple[Span, ...]

    @property
    def kinds(self) -> FrozenSet[str]:
        """What was redacted: {"name", "phone", ...}."""
        return frozenset(s.kind for s in self.spans)

    @property
    def changed(self) -> bool:
        return bool(self.spans)

    def position(self, offset: int, end: bool = False) -> int:
        """Where an offset of the original falls in the redacted text (inside a redacted
        detail: the start of its marker, or its end for the `end` of a range)."""
        shift = 0
        for span in self.spans:
            if offset <= span.start:
                break
            marker = MARKERS[span.kind]
            if offset < span.end:
                return span.start + shift + (len(marker) if end else 0)
            shift += len(marker) - (span.end - span.start)
        return offset + shift

    def overlaps(self, start: int, end: int) -> bool:
        """Does the range [start, end) of the original touch a redacted detail?"""
        return any(s.start < end and start < s.end for s in self.spans)

    def scrub(self, value: str) -> str:
        """Another string taken from the message (an entity's text, a finding's words) with
        the same details, as whole words, replaced."""
        for span in sorted(self.spans, key=lambda s: s.start - s.end):
            detail = re.escape(self.original[span.start:span.end])
            value = re.sub(rf"(?<!\w){detail}(?!\w)", MARKERS[span.kind], value)
        return value


def redaction(text: str) -> Redacted:
    """The text with its personal details replaced by markers, and what was replaced."""
    spans = tuple(find_personal_details(text or ""))
    pieces, last = [], 0
    for span in spans:
        pieces.append(text[last:span.start])
        pieces.append(MARKERS[span.kind])
        last = span.end
    pieces.append((text or "")[last:])
    return Redacted(text or "", "".join(pieces), spans)


def redact(text: str) -> str:
    """The text as it may be stored: "[name]", "[phone]", "[email]", "[date of birth]",
    "[date]", "[postcode]", "[zip code]", "[address]", "[id number]" for the details."""
    return redaction(text).text


def warm_up() -> None:
    """Build the name vocabulary now (about a second), not on a patient's first message."""
    name_scores()
