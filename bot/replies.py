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

    @property
    def payload(self) -> dict:
        return {
            "topic": self.topic, "escalate": self.escalate, "severity": self.severity,
            "answer_id": self.answer_id, "sources": [dict(s) for s in self.sources],
        }


def sources_tuple(sources: List[dict]) -> tuple:
    return tuple({"title": s["title"], "url": s["url"]} for s in sources)
