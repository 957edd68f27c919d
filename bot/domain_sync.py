"""Writes the static replies of domain.yml from the curated answers and clinic.yml.

Escalation and handoff replies are static domain responses so they reach the patient
even when the action server or the database is down (so is the "cannot answer right
now" reply the channels send when nothing else came). Their text still comes from the
curated answers (one source of truth), rendered with the clinic's numbers.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Dict, Optional

from ruamel.yaml import YAML
from sqlalchemy import select

from bot.clinic import ClinicConfig
from bot.db import Answer, session_scope
from bot.knowledge_base import render

# response name -> (answer key, payload fields besides the answer's own)
STATIC_RESPONSES = {
    "utter_red_flag_emergency": ("red_flag.emergency", {"escalate": True, "severity": "emergency"}),
    "utter_red_flag_urgent": ("red_flag.urgent", {"escalate": True, "severity": "urgent"}),
    "utter_red_flag_crisis": ("red_flag.crisis", {"escalate": True, "severity": "emergency"}),
    "utter_human_handoff": ("human_handoff", {"escalate": True, "severity": None}),
    # sent by the channels when no other reply came (the action server is down)
    "utter_service_unavailable": ("service_unavailable", {"escalate": False, "severity": None}),
    # sent by the channels instead of handling a message over the size limit, or over the
    # sender's rate limit (bot.channels.limits)
    "utter_message_too_long": ("message_too_long", {"escalate": False, "severity": None}),
    "utter_too_many_messages": ("too_many_messages", {"escalate": False, "severity": None}),
}


def static_response(name: str, domain_path: Path) -> dict:
    """One static response of domain.yml as a bot message ({"text", "custom"})."""
    yaml = _yaml()
    with open(domain_path, encoding="utf-8") as handle:
        responses = yaml.load(handle)["responses"]
    if name not in responses:
        raise LookupError(f"domain.yml has no response '{name}': run `make setup`.")
    (response,) = responses[name]
    return {"text": str(response["text"]), "custom": _plain(response["custom"])}


def _plain(value):
    """ruamel's round-trip containers as plain dicts and lists (for JSON)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100000
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def static_responses(clinic: ClinicConfig, url: Optional[str] = None) -> Dict[str, list]:
    keys = [key for key, _ in STATIC_RESPONSES.values()]
    with session_scope(url) as session:
        rows = {a.key: a for a in session.execute(
            select(Answer).where(Answer.key.in_(keys), Answer.is_current.is_(True))).scalars()}
    responses = {}
    for name, (key, fields) in STATIC_RESPONSES.items():
        if key not in rows:
            raise LookupError(f"Answer '{key}' (for {name}) is not loaded; run `make setup`.")
        answer = rows[key]
        payload = {"topic": answer.topic, **fields, "answer_id": answer.answer_id,
                   "sources": [dict(s) for s in answer.sources]}
        responses[name] = [{"text": render(answer.text, clinic), "custom": payload}]
    return responses


def sync_domain(domain_path: Path, clinic: ClinicConfig, url: Optional[str] = None,
                check_only: bool = False) -> bool:
    """Update the static responses in domain.yml. Returns True when something changed
    (with check_only, when something would change)."""
    yaml = _yaml()
    with open(domain_path, encoding="utf-8") as handle:
        original = handle.read()
    document = yaml.load(original)
    for name, value in static_responses(clinic, url).items():
        document["responses"][name] = value
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    updated = buffer.getvalue()
    if updated == original:
        return False
    if not check_only:
        Path(domain_path).write_text(updated, encoding="utf-8")
    return True
