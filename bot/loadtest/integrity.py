"""After a load: is every message that was sent in the tracker store, in its
conversation, in the order it was sent? Reads Rasa's events table directly.

Stored user messages are redacted (bot.privacy); the texts sent are compared in their
redacted form.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Dict, List

import sqlalchemy as sa

from bot.privacy.redaction import redact


@dataclass
class StoreCheck:
    conversations: int = 0
    sent: int = 0
    stored_in_order: int = 0
    missing: int = 0
    duplicated: int = 0
    out_of_order: int = 0
    examples: List[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.missing

    @property
    def intact(self) -> bool:
        return self.missing == 0 and self.out_of_order == 0

    def line(self) -> str:
        return (f"{self.sent} messages sent in {self.conversations} conversations: "
                f"{self.stored_in_order} stored in order, {self.missing} lost, "
                f"{self.out_of_order} out of order, {self.duplicated} stored twice")


def stored_user_messages(db_url: str, senders: List[str]) -> Dict[str, List[str]]:
    engine = sa.create_engine(db_url, future=True)
    found: Dict[str, List[str]] = {sender: [] for sender in senders}
    try:
        with engine.connect() as connection:
            for start in range(0, len(senders), 500):
                batch = senders[start:start + 500]
                rows = connection.execute(sa.text(
                    "SELECT sender_id, data FROM events WHERE type_name = 'user' "
                    "AND sender_id IN :senders ORDER BY id").bindparams(
                        sa.bindparam("senders", expanding=True)), {"senders": batch})
                for sender, data in rows:
                    found[sender].append(json.loads(data).get("text") or "")
    finally:
        engine.dispose()
    return found


def compare(sent: Dict[str, List[str]], stored: Dict[str, List[str]],
            redacted: bool = True) -> StoreCheck:
    check = StoreCheck(conversations=len(sent))
    for sender, texts in sent.items():
        expected = [redact(text) for text in texts] if redacted else list(texts)
        actual = list(stored.get(sender, []))
        check.sent += len(expected)
        check.duplicated += max(0, len(actual) - len(_dedupe_adjacent(actual)))
        actual = _dedupe_adjacent(actual)
        # the longest stretch of the sent messages found in order
        position, matched = 0, 0
        for text in expected:
            try:
                position = actual.index(text, position) + 1
                matched += 1
            except ValueError:
                if text in actual:
                    check.out_of_order += 1
                else:
                    check.missing += 1
                    if len(check.examples) < 5:
                        check.examples.append(f"{sender}: {text!r}")
        check.stored_in_order += matched
    return check


def _dedupe_adjacent(texts: List[str]) -> List[str]:
    """A message retried after its answer was lost may be stored twice, one after the
    other; that is a duplicate, not a loss."""
    result: List[str] = []
    for text in texts:
        if not result or result[-1] != text:
            result.append(text)
    return result


def check_store(db_url: str, sent: Dict[str, List[str]], redacted: bool = True) -> StoreCheck:
    """`redacted`: the store redacts user messages (ours does; Rasa's own does not)."""
    return compare(sent, stored_user_messages(db_url, list(sent)), redacted)
