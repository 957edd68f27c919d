"""The curated answers in the database: loading new versions and choosing the answer to send."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.answers_yaml import AnswerSpec, read_answer_specs
from bot.clinic import ClinicConfig
from bot.db import Answer, init_db, session_scope

logger = logging.getLogger(__name__)


class AnswerVersionError(ValueError):
    """An answer's text changed but its version number did not go up."""


@dataclass
class LoadReport:
    added: List[str]
    updated: List[str]
    unchanged: List[str]
    retired: List[str]


def load_answers(specs: Optional[List[AnswerSpec]] = None, url: Optional[str] = None) -> LoadReport:
    """Put the YAML answers into the database. Idempotent: an unchanged answer is left
    alone; a changed one must carry a higher version in its YAML, is stored under that
    version, and the old version is kept (not current), so every answer id a patient was
    shown (key@vN) can still be read. A change without a new version is refused."""
    specs = specs if specs is not None else read_answer_specs()
    init_db(url)
    report = LoadReport([], [], [], [])
    with session_scope(url) as session:
        stored = {(a.key, a.version): a for a in session.execute(select(Answer)).scalars()}
        stale = [
            f"{spec.key} (version {spec.version})" for spec in specs
            if (spec.key, spec.version) in stored
            and stored[(spec.key, spec.version)].content_hash != spec.content_hash
        ]
        if stale:
            raise AnswerVersionError(
                "These answers changed but kept the version already stored: "
                + ", ".join(stale) + ". Raise `version:` (and the review dates) in data/answers.")
        current: Dict[str, Answer] = {a.key: a for a in stored.values() if a.is_current}
        latest_version: Dict[str, int] = {}
        for key, version in stored:
            latest_version[key] = max(latest_version.get(key, 0), version)
        for spec in specs:
            existing = current.pop(spec.key, None)
            if existing is not None and existing.content_hash == spec.content_hash:
                report.unchanged.append(spec.key)
                continue
            earlier = stored.get((spec.key, spec.version))
            if earlier is not None:  # back to a version stored before (same text)
                if existing is not None:
                    existing.is_current = False
                earlier.is_current = True
                report.updated.append(spec.key)
                continue
            if existing is not None:
                existing.is_current = False
                report.updated.append(spec.key)
            else:
                report.added.append(spec.key)
            if spec.version < latest_version.get(spec.key, 0):
                raise AnswerVersionError(
                    f"{spec.origin}: '{spec.key}' is version {spec.version}, but version "
                    f"{latest_version[spec.key]} is already stored; versions only go up.")
            session.add(Answer(
                key=spec.key, topic=spec.topic, version=spec.version, jurisdiction=spec.jurisdiction,
                is_current=True, text=spec.text, sources=spec.sources,
                quick_replies=list(spec.quick_replies) or None,
                week_min=spec.week_min, week_max=spec.week_max, severity=spec.severity,
                reviewed_by=spec.reviewed_by, reviewed_on=spec.reviewed_on,
                review_due=spec.review_due, content_hash=spec.content_hash,
            ))
            session.flush()
        for key, answer in current.items():  # removed from YAML: keep history, stop serving
            answer.is_current = False
            report.retired.append(key)
    return report


@dataclass(frozen=True)
class ChosenAnswer:
    answer_id: Optional[str]
    topic: str
    text: str
    sources: List[dict]
    quick_replies: tuple = ()


def _matches_week(answer, week: Optional[int]) -> bool:
    if answer.week_min is None and answer.week_max is None:
        return True
    if week is None:
        return False
    low = answer.week_min if answer.week_min is not None else 0
    high = answer.week_max if answer.week_max is not None else 99
    return low <= week <= high


def pick(candidates, topic: str, week: Optional[int] = None, severity: Optional[str] = None,
         key: Optional[str] = None, jurisdiction: Optional[str] = None):
    """The best answer of `candidates` for a topic in the clinic's jurisdiction: the one
    named by `key`, or a week- or severity-specific variant when one fits, else the topic's
    general answer. Answers marked for another jurisdiction are never picked."""
    of_topic = [a for a in candidates if a.topic == topic
                and getattr(a, "jurisdiction", None) in (None, jurisdiction)]
    if key:
        return next((a for a in of_topic if a.key == key), None)
    if severity:
        # "red_flag.emergency" before another emergency-level variant such as the crisis reply
        specific = sorted((a for a in of_topic if a.severity == severity),
                          key=lambda a: a.key != f"{topic}.{severity}")
        if specific:
            return specific[0]
    weekly = [a for a in of_topic if a.week_min is not None or a.week_max is not None]
    for answer in weekly:
        if _matches_week(answer, week):
            return answer
    general = [a for a in of_topic if a.week_min is None and a.week_max is None
               and a.severity is None]
    # The topic's own answer (key == topic) before others of the topic picked by key only,
    # such as the widget's notice or the refusal replies.
    general.sort(key=lambda a: a.key != topic)
    return (general or of_topic or [None])[0]


def render(text: str, clinic: ClinicConfig, week: Optional[int] = None) -> str:
    values = clinic.placeholders()
    values["week"] = str(week) if week is not None else ""
    return text.format(**values)


class KnowledgeBase:
    """Answers for topics, from the database; from the YAML files when the database
    cannot be reached, so a patient still gets the curated text."""

    def __init__(self, clinic: ClinicConfig, url: Optional[str] = None):
        self.clinic = clinic
        self.url = url

    def answer(self, topic: str, week: Optional[int] = None,
               severity: Optional[str] = None, key: Optional[str] = None) -> ChosenAnswer:
        try:
            with session_scope(self.url) as session:
                rows = list(session.execute(
                    select(Answer).where(Answer.topic == topic, Answer.is_current.is_(True))
                    .order_by(Answer.key)
                ).scalars())
            chosen = pick(rows, topic, week, severity, key, self.clinic.jurisdiction)
            answer_id = chosen.answer_id if chosen else None
        except SQLAlchemyError:
            logger.exception("Answer database unreachable; answering from the YAML files")
            chosen = pick(read_answer_specs(), topic, week, severity, key,
                          self.clinic.jurisdiction)
            answer_id = f"{chosen.key}@v{chosen.version}" if chosen else None
        if chosen is None:
            raise LookupError(f"No curated answer for topic '{topic}'" + (f" key '{key}'" if key else ""))
        used_week = week if (chosen.week_min is not None or chosen.week_max is not None) else None
        return ChosenAnswer(
            answer_id=answer_id, topic=chosen.topic,
            text=render(chosen.text, self.clinic, used_week), sources=list(chosen.sources),
            quick_replies=tuple(chosen.quick_replies or ()),
        )
