"""The improvement loop: reviewers correct the topic of a user message, or mark a red flag
the assistant missed; `make export-training` writes the corrections as Rasa NLU YAML, ready
to merge into data/nlu/, and the missed red flags as new cases for the safety table
(tests/data/red_flag_cases.yml)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Dict, List, Optional

import yaml
from sqlalchemy import select

from bot.db import MessageLabel, session_scope, utcnow
from bot.topics import ANSWER_TOPICS

SEVERITIES = ("emergency", "urgent")
# Topics a corrected message can be taught as: an intent of the same name.
TEACHABLE_TOPICS = tuple(t for t in ANSWER_TOPICS)


class LabelError(ValueError):
    """A correction that cannot be recorded as given."""


def save_label(sender_id: str, event_id: int, text: str, by: str,
               correct_topic: Optional[str] = None, missed_red_flag: bool = False,
               severity: Optional[str] = None, predicted_topic: Optional[str] = None,
               url: Optional[str] = None) -> MessageLabel:
    """Record (or replace) the correction of one user message."""
    if missed_red_flag:
        if severity not in SEVERITIES:
            raise LabelError("Say how urgent the missed red flag is: emergency or urgent.")
        correct_topic = None
    elif correct_topic not in TEACHABLE_TOPICS:
        raise LabelError("Choose the topic the message was about.")
    with session_scope(url) as session:
        label = session.execute(select(MessageLabel).where(
            MessageLabel.sender_id == sender_id, MessageLabel.event_id == event_id)
        ).scalar_one_or_none() or MessageLabel(sender_id=sender_id, event_id=event_id)
        label.text, label.predicted_topic = text, predicted_topic
        label.correct_topic, label.missed_red_flag = correct_topic, missed_red_flag
        label.severity = severity if missed_red_flag else None
        label.labelled_by, label.labelled_at, label.exported_at = by, utcnow(), None
        session.add(label)
        session.flush()
        return label


def labels_for(sender_id: str, url: Optional[str] = None) -> Dict[int, MessageLabel]:
    with session_scope(url) as session:
        return {label.event_id: label for label in session.execute(
            select(MessageLabel).where(MessageLabel.sender_id == sender_id)).scalars()}


def nlu_yaml(labels: List[MessageLabel]) -> str:
    """Rasa NLU training data (version 3.1) with one intent block per corrected topic."""
    by_intent: Dict[str, List[str]] = {}
    for label in labels:
        if label.correct_topic:
            examples = by_intent.setdefault(label.correct_topic, [])
            text = " ".join(label.text.split())
            if text and text not in examples:
                examples.append(text)
    blocks = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
              for intent, texts in sorted(by_intent.items())]
    return yaml.dump({"version": "3.1", "nlu": blocks}, Dumper=_LiteralDumper,
                     sort_keys=False, allow_unicode=True)


def safety_cases_yaml(labels: List[MessageLabel]) -> str:
    """Missed red flags in the safety table's format, for review before merging."""
    cases = [{"text": " ".join(label.text.split()), "escalate": True, "severity": label.severity,
              "kind": "staff_review", "note": f"missed; marked by {label.labelled_by} "
                                              f"on {label.labelled_at:%Y-%m-%d}"}
             for label in labels if label.missed_red_flag]
    return yaml.dump({"cases": cases}, sort_keys=False, allow_unicode=True)


def export_training(out_dir: Path, include_exported: bool = False,
                    url: Optional[str] = None) -> Dict[str, object]:
    """Write the corrections not yet exported (or all) to out_dir; mark them exported."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    with session_scope(url) as session:
        query = select(MessageLabel).order_by(MessageLabel.id)
        if not include_exported:
            query = query.where(MessageLabel.exported_at.is_(None))
        labels = list(session.execute(query).scalars())
        nlu_path = out_dir / f"nlu-corrections-{stamp}.yml"
        cases_path = out_dir / f"red-flag-cases-{stamp}.yml"
        nlu_path.write_text(nlu_yaml(labels), encoding="utf-8")
        cases_path.write_text(safety_cases_yaml(labels), encoding="utf-8")
        for label in labels:
            label.exported_at = utcnow()
    return {"nlu": nlu_path, "red_flag_cases": cases_path,
            "examples": sum(1 for label in labels if label.correct_topic),
            "missed_red_flags": sum(1 for label in labels if label.missed_red_flag)}


class _LiteralDumper(yaml.SafeDumper):
    """Writes the examples as a literal block ("examples: |"), as Rasa's own files do."""


def _literal(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal)
