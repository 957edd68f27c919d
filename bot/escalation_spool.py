"""A durable local spool of escalation reports, written before anything else can fail.

The Rasa process writes each escalation here (one JSON file, fsynced, renamed into
place) at the moment it answers the patient. Nothing in this step needs the database,
the action server or the network. The relay (bot.escalation_relay) moves the files into
the database when it can, so an escalation reported while the database is down is
recorded as soon as it is back.

Several relays may share a spool (several processes on one machine): a file is claimed
by renaming it, which only one of them can do.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

DEFAULT_SPOOL_DIR = PROJECT_ROOT / "var" / "spool" / "escalations"
# A claim older than this is taken to belong to a relay that died while holding it.
STALE_CLAIM_SECONDS = 300


def spool_dir() -> Path:
    return Path(os.environ.get("ESCALATION_SPOOL_DIR", DEFAULT_SPOOL_DIR))


def _file_name(report: dict) -> str:
    """Sorts by the time of the report; the same message always gets the same name."""
    when = "".join(c for c in str(report.get("reported_at") or "") if c.isdigit())
    digest = hashlib.sha256(report["source_key"].encode("utf-8")).hexdigest()[:24]
    return f"{when or 0}-{digest}.json"


class EscalationSpool:
    def __init__(self, directory: Optional[Path] = None):
        self.directory = Path(directory or spool_dir())

    def put(self, report: dict) -> Path:
        """Write one report durably; the same `source_key` twice keeps one file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / _file_name(report)
        temporary = target.with_suffix(f".tmp{os.getpid()}")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(report, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        self._sync_directory()
        return target

    def _sync_directory(self) -> None:
        try:
            descriptor = os.open(self.directory, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(descriptor)
        except OSError:
            pass
        finally:
            os.close(descriptor)

    def pending(self) -> List[Path]:
        """Unclaimed reports, oldest report first; stale claims are released first."""
        if not self.directory.is_dir():
            return []
        now = time.time()
        for claimed in self.directory.glob("*.claimed"):
            try:
                if now - claimed.stat().st_mtime > STALE_CLAIM_SECONDS:
                    os.replace(claimed, claimed.with_suffix(".json"))
            except FileNotFoundError:
                pass
        return sorted(self.directory.glob("*.json"))

    def claim(self) -> Iterator[Tuple[Path, dict]]:
        """Yield (claimed file, report) for each pending report this process could claim."""
        for path in self.pending():
            claimed = path.with_suffix(".claimed")
            try:
                os.replace(path, claimed)
                os.utime(claimed)
            except FileNotFoundError:
                continue  # another relay took it
            try:
                report = json.loads(claimed.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                logger.error("Unreadable escalation spool file %s kept as .bad: %s", claimed, error)
                self.set_aside(claimed)
                continue
            yield claimed, report

    @staticmethod
    def done(claimed: Path) -> None:
        claimed.unlink(missing_ok=True)

    @staticmethod
    def set_aside(claimed: Path) -> None:
        """Keep a report that cannot be stored as .bad, for a person to look at."""
        os.replace(claimed, claimed.with_suffix(".bad"))

    @staticmethod
    def release(claimed: Path) -> None:
        """Give a claimed report back (the database was not reachable)."""
        try:
            os.replace(claimed, claimed.with_suffix(".json"))
        except FileNotFoundError:
            pass

    def count(self) -> int:
        return len(self.pending())

    def remove_conversation(self, conversation_id: str) -> int:
        """Delete every file (waiting, claimed, set aside or half-written) holding a report
        of this conversation, for erasure on request; how many were deleted."""
        if not self.directory.is_dir():
            return 0
        quoted = json.dumps(conversation_id, ensure_ascii=False)
        removed = 0
        for path in self.directory.iterdir():
            try:
                raw = path.read_text(encoding="utf-8", errors="replace")
            except (FileNotFoundError, IsADirectoryError):
                continue
            try:
                ours = json.loads(raw).get("conversation_id") == conversation_id
            except (ValueError, AttributeError):
                ours = f'"conversation_id": {quoted}' in raw  # unreadable: set aside as .bad
            if ours:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
