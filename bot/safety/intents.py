"""The dialogue intents a detection maps to (the rules in data/rules.yml answer them)."""
from __future__ import annotations

from typing import Optional

from bot.safety.detector import Detection

HANDOFF_INTENT = "human_handoff"  # a request for a person
RED_FLAG_INTENTS = {"red_flag_emergency": "emergency", "red_flag_urgent": "urgent",
                    "red_flag_crisis": "emergency"}


def intent_for(detection: Detection) -> Optional[str]:
    if not detection.escalate:
        return None
    if detection.is_crisis:
        return "red_flag_crisis"
    return f"red_flag_{detection.severity}"
