"""Replies in the reply contract of topics.md: text plus the JSON payload."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional


@dataclass(frozen=True)
class Reply:
    text: str
    topic: str
    escalate: bool = False
    severity: Optional[str] = None
    answer_id: Optional[str] = None
    sources: tuple = ()
    # Beyond topics.md's fields, for staff review and evaluation: what chose the topic
    # ("model", "context" of the conversation, "symptom_question", "safety") and the
    # model's confidence in the topic answered (None when no model score applies).
    basis: Optional[str] = None
    confidence: Optional[float] = None
    # Questions offered as quick-reply buttons (not part of the payload: channels show
    # them as buttons, or as a list in text-only apps).
    quick_replies: tuple = ()

    @property
    def buttons(self) -> List[dict]:
        """Rasa's button format; tapping one sends the question as the patient's message."""
        return [{"title": question, "payload": question} for question in self.quick_replies]

    @property
    def payload(self) -> dict:
        payload = {
            "topic": self.topic, "escalate": self.escalate, "severity": self.severity,
            "answer_id": self.answer_id, "sources": [dict(s) for s in self.sources],
        }
        if self.basis is not None:
            payload["basis"] = self.basis
            payload["confidence"] = None if self.confidence is None else round(self.confidence, 3)
        return payload


def sources_tuple(sources: List[dict]) -> tuple:
    return tuple({"title": s["title"], "url": s["url"]} for s in sources)
