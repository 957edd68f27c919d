"""Escalations (red flags and requests for a person): what a message reports, and the
records staff work with.

A report is built from the user message Rasa has just answered (its parse data carries
the safety layer's decision, made on the original text) and spooled at once
(bot.tracker_store); the relay stores it. The report keeps the patient's message with
personal details redacted (bot.privacy). Staff close a handoff here (or, later, in the
staff app).
"""
from __future__ import annotations

import datetime as dt
from typing import List, Optional

from sqlalchemy import select

from bot.db import Escalation, session_scope, utcnow
from bot.privacy.redaction import redact
from bot.safety.intents import HANDOFF_INTENT, RED_FLAG_INTENTS

OPEN_STATUSES = ("open", "acknowledged")


def escalation_from_message(parse_data: dict) -> Optional[dict]:
    """What to record for this parsed message, or None when it does not escalate."""
    intent = (parse_data.get("intent") or {}).get("name")
    red_flag = parse_data.get("red_flag") or {}
    if intent in RED_FLAG_INTENTS or red_flag.get("escalate"):
        return {"kind": "red_flag", "symptoms": list(red_flag.get("symptoms") or []),
                "severity": red_flag.get("severity") or RED_FLAG_INTENTS.get(intent)}
    if intent == HANDOFF_INTENT:
        return {"kind": "handoff", "symptoms": [], "severity": None}
    return None


def escalation_from_replies(payloads: List[dict]) -> Optional[dict]:
    """What to record when the bot's replies told the patient to escalate although the
    message alone did not (a follow-up: "it's still happening" right after a red flag)."""
    for payload in payloads:
        if payload.get("escalate") and payload.get("topic") == "red_flag":
            return {"kind": "red_flag", "symptoms": [], "severity": payload.get("severity")}
    return None


def report_for_message(conversation_id: str, message_id: Optional[str], text: str,
                       parse_data: dict, input_channel: Optional[str] = None,
                       timestamp: Optional[float] = None,
                       replies: Optional[List[dict]] = None) -> Optional[dict]:
    """The spool report for one answered user message (from the safety decision in its
    parse data, or from what the bot's replies told the patient), or None. Its `message`
    is the text with personal details redacted."""
    details = escalation_from_message(parse_data or {}) or escalation_from_replies(replies or [])
    if details is None:
        return None
    when = (dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).replace(tzinfo=None)
            if timestamp else utcnow())
    key_part = message_id or f"t{timestamp}"
    return {"source_key": f"{conversation_id}:{key_part}", "conversation_id": conversation_id,
            "message": redact(text or ""), "input_channel": input_channel,
            "reported_at": when.isoformat(), **details}


def open_handoff(conversation_id: str, url: Optional[str] = None) -> Optional[int]:
    """The id of this conversation's open handoff request, if staff have not closed it."""
    with session_scope(url) as session:
        return session.execute(
            select(Escalation.id)
            .where(Escalation.conversation_id == conversation_id,
                   Escalation.kind == "handoff",
                   Escalation.status.in_(OPEN_STATUSES))
            .order_by(Escalation.id.desc()).limit(1)).scalar()


def set_status(escalation_id: int, status: str, by: str, url: Optional[str] = None,
               note: Optional[str] = None) -> Escalation:
    """Acknowledge or resolve an escalation (resolving a handoff lets the bot answer again),
    with the staff member's note when given."""
    if status not in ("acknowledged", "resolved"):
        raise ValueError("status must be acknowledged or resolved")
    if not by or not by.strip():
        raise ValueError("say who is changing the escalation (--by NAME)")
    with session_scope(url) as session:
        row = session.get(Escalation, escalation_id)
        if row is None:
            raise LookupError(f"no escalation {escalation_id}")
        row.status = status
        if status == "acknowledged":
            row.acknowledged_by, row.acknowledged_at = by.strip(), utcnow()
        if status == "resolved":
            row.closed_by, row.closed_at = by.strip(), utcnow()
        if note is not None and note.strip():
            row.note = note.strip()
        return row


def recent_escalations(limit: int = 50, url: Optional[str] = None) -> List[Escalation]:
    with session_scope(url) as session:
        return list(session.execute(
            select(Escalation).order_by(Escalation.id.desc()).limit(limit)).scalars())
