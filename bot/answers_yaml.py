"""Reading and checking the curated answers authored as YAML under data/answers/."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import yaml

from bot.settings import ANSWERS_DIR
from bot.topics import TOPICS

CLINIC_PLACEHOLDERS = {
    "clinic_name", "daytime_phone", "emergency_phone", "hours", "crisis_line", "week",
}
SEVERITIES = {"emergency", "urgent"}
MAX_QUICK_REPLIES = 6
MAX_QUICK_REPLY_CHARS = 40  # a button's text, on a phone's screen
REQUIRED = ("key", "topic", "version", "text", "sources", "reviewed_by", "reviewed_on",
            "review_due")


def allowed_placeholders() -> set:
    """The clinic's settings, the stated week, and the jurisdiction wording."""
    from bot.clinic import load_jurisdictions

    wording = next(iter(load_jurisdictions().values()))
    return CLINIC_PLACEHOLDERS | (set(wording) - {"description"})


def jurisdictions() -> List[str]:
    from bot.clinic import load_jurisdictions

    return sorted(load_jurisdictions())


class AnswerFileError(ValueError):
    """An answers file that cannot be loaded as it is."""


@dataclass(frozen=True)
class AnswerSpec:
    key: str
    topic: str
    version: int
    text: str
    sources: List[dict]
    reviewed_by: str
    reviewed_on: dt.date
    review_due: dt.date
    week_min: Optional[int] = None
    week_max: Optional[int] = None
    severity: Optional[str] = None
    jurisdiction: Optional[str] = None  # None: the answer serves every jurisdiction
    # Questions the patient can tap instead of typing; each is sent as the patient's message.
    quick_replies: tuple = ()
    origin: str = field(default="", compare=False)

    @property
    def answer_id(self) -> str:
        return f"{self.key}@v{self.version}"

    @property
    def content_hash(self) -> str:
        """What makes a new version: anything a patient or reviewer would see."""
        payload = {
            "topic": self.topic, "text": self.text, "sources": self.sources,
            "week_min": self.week_min, "week_max": self.week_max, "severity": self.severity,
            "reviewed_by": self.reviewed_by, "reviewed_on": self.reviewed_on.isoformat(),
            "review_due": self.review_due.isoformat(),
        }
        if self.jurisdiction:
            payload["jurisdiction"] = self.jurisdiction
        if self.quick_replies:
            payload["quick_replies"] = list(self.quick_replies)
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def placeholders_in(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _as_date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise AnswerFileError(f"{where}: '{value}' is not a date (YYYY-MM-DD)") from error


def _spec_from_entry(entry: dict, where: str, placeholders: set, known_jurisdictions: List[str],
                     ) -> AnswerSpec:
    missing = [k for k in REQUIRED if not entry.get(k)]
    if missing:
        raise AnswerFileError(f"{where}: missing {', '.join(missing)}")
    if entry["topic"] not in TOPICS:
        raise AnswerFileError(f"{where}: '{entry['topic']}' is not a topic id of the reply contract")
    text = re.sub(r"[ \t]+\n", "\n", str(entry["text"]).strip())
    unknown = placeholders_in(text) - placeholders
    if unknown:
        raise AnswerFileError(f"{where}: unknown placeholders {sorted(unknown)}")
    sources = entry["sources"]
    if not isinstance(sources, list) or not all(
        isinstance(s, dict) and s.get("title") and s.get("url") for s in sources
    ):
        raise AnswerFileError(f"{where}: every source needs a title and a url")
    weeks = entry.get("weeks") or {}
    severity = entry.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise AnswerFileError(f"{where}: severity must be one of {sorted(SEVERITIES)}")
    version = entry["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise AnswerFileError(f"{where}: version must be a whole number from 1")
    jurisdiction = entry.get("jurisdiction")
    if jurisdiction is not None and str(jurisdiction).upper() not in known_jurisdictions:
        raise AnswerFileError(f"{where}: jurisdiction must be one of {known_jurisdictions}")
    quick_replies = _quick_replies(entry.get("quick_replies"), where)
    return AnswerSpec(
        key=str(entry["key"]), topic=str(entry["topic"]), version=version, text=text,
        sources=[{"title": str(s["title"]), "url": str(s["url"])} for s in sources],
        reviewed_by=str(entry["reviewed_by"]),
        reviewed_on=_as_date(entry["reviewed_on"], where),
        review_due=_as_date(entry["review_due"], where),
        week_min=weeks.get("min"), week_max=weeks.get("max"), severity=severity,
        jurisdiction=str(jurisdiction).upper() if jurisdiction else None,
        quick_replies=quick_replies, origin=where,
    )


def _quick_replies(value, where: str) -> tuple:
    """Up to MAX_QUICK_REPLIES short questions, each as a patient would type it."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(q, str) and q.strip() for q in value):
        raise AnswerFileError(f"{where}: quick_replies must be a list of questions")
    replies = tuple(" ".join(q.split()) for q in value)
    if len(replies) > MAX_QUICK_REPLIES:
        raise AnswerFileError(f"{where}: at most {MAX_QUICK_REPLIES} quick_replies")
    too_long = [q for q in replies if len(q) > MAX_QUICK_REPLY_CHARS]
    if too_long:
        raise AnswerFileError(f"{where}: quick replies longer than {MAX_QUICK_REPLY_CHARS} "
                              f"characters: {too_long}")
    if any(q.startswith("/") for q in replies):
        raise AnswerFileError(f"{where}: a quick reply is a question, not a /command")
    if len(set(replies)) != len(replies):
        raise AnswerFileError(f"{where}: quick_replies repeat")
    return replies


def read_answer_specs(directory: Path = ANSWERS_DIR) -> List[AnswerSpec]:
    """All answers of all YAML files in `directory`; keys must be unique."""
    specs: List[AnswerSpec] = []
    placeholders, known_jurisdictions = allowed_placeholders(), jurisdictions()
    files = sorted(Path(directory).glob("*.yml"))
    if not files:
        raise AnswerFileError(f"no answer files in {directory}")
    for path in files:
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle) or {}
        for index, entry in enumerate(document.get("answers") or []):
            specs.append(_spec_from_entry(entry, f"{path.name} answer #{index + 1}",
                                         placeholders, known_jurisdictions))
    seen = set()
    for spec in specs:
        if spec.key in seen:
            raise AnswerFileError(f"{spec.origin}: duplicate key '{spec.key}'")
        seen.add(spec.key)
    return specs
