"""Recording escalations (red flags and requests for a person) for clinic staff."""
from __future__ import annotations

import logging
from typing import List, Optional

from bot.db import Escalation, init_db, session_scope
from bot.safety.intents import RED_FLAG_INTENTS

logger = logging.getLogger(__name__)
_tables_ready = set()


def escalation_from_message(latest_message: dict) -> Optional[dict]:
    """What to record for this parsed message, or None when it does not escalate."""
    intent = (latest_message.get("intent") or {}).get("name")
    red_flag = latest_message.get("red_flag") or {}
    if intent in RED_FLAG_INTENTS or red_flag.get("escalate"):
        return {"kind": "red_flag", "symptoms": list(red_flag.get("symptoms") or []),
                "severity": red_flag.get("severity") or RED_FLAG_INTENTS.get(intent)}
    if intent == "human_handoff":
        return {"kind": "handoff", "symptoms": [], "severity": None}
    return None


def record_escalation(conversation_id: str, message: str, kind: str,
                      symptoms: List[str], severity: Optional[str],
                      url: Optional[str] = None) -> int:
    if url not in _tables_ready:
        init_db(url)
        _tables_ready.add(url)
    with session_scope(url) as session:
        row = Escalation(conversation_id=conversation_id, kind=kind, message=message,
                         symptoms=symptoms, severity=severity)
        session.add(row)
        session.flush()
        logger.info("Escalation %s recorded: %s %s %s", row.id, kind, severity, symptoms)
        return row.id
