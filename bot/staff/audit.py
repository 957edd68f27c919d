"""The audit log: every staff view of a transcript, export, escalation change, label and
account change, with who and when."""
from __future__ import annotations

from typing import List, Optional

from sqlalchemy import select

from bot.db import AuditEntry, session_scope


def record(username: str, action: str, target: Optional[str] = None,
           detail: Optional[str] = None, url: Optional[str] = None) -> None:
    with session_scope(url) as session:
        session.add(AuditEntry(username=username, action=action, target=target, detail=detail))


def entries(limit: int = 500, username: Optional[str] = None, action: Optional[str] = None,
            url: Optional[str] = None) -> List[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if username:
        query = query.where(AuditEntry.username == username)
    if action:
        query = query.where(AuditEntry.action == action)
    with session_scope(url) as session:
        return list(session.execute(query).scalars())
