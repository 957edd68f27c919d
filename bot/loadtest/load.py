"""The load generator: N patients at once, each replaying conversations of
data/loadtest/conversations.yml through the REST channel, one message after the reply to
the previous one (a closed loop: no think time unless asked), for a set time.

A message that gets no answer (connection refused or reset, 502, 503, 504) is sent again
after a short wait, up to `attempts` times, as the chat widget lets a patient do; each
such retry is counted. Latency is from the first try to the answer, what the patient
waits.
"""
from __future__ import annotations

import asyncio
import random
from collections import Counter
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import yaml

from bot.settings import PROJECT_ROOT

CONVERSATIONS_PATH = PROJECT_ROOT / "data" / "loadtest" / "conversations.yml"
RETRY_STATUSES = {502, 503, 504}


def load_conversations(path: Path = CONVERSATIONS_PATH) -> List[List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [[str(turn) for turn in conversation["turns"]] for conversation in data["conversations"]]


@dataclass
class Turn:
    sender: str
    text: str
    started: float          # seconds since the load began
    latency_ms: float       # first try to answer (or to giving up)
    status: int             # final HTTP status; 0: no HTTP answer
    attempts: int
    error: str = ""         # why the first try got no answer (also when a retry did)
    escalated: bool = False

    @property
    def answered(self) -> bool:
        return self.status == 200


@dataclass
class LoadResult:
    turns: List[Turn] = field(default_factory=list)
    duration: float = 0.0
    concurrency: int = 0

    def sent_by_sender(self) -> Dict[str, List[str]]:
        """The messages each conversation sent, in order (answered or not)."""
        sent: Dict[str, List[str]] = {}
        for turn in sorted(self.turns, key=lambda t: t.started):
            sent.setdefault(turn.sender, []).append(turn.text)
        return sent

    def summary(self) -> dict:
        answered = [t for t in self.turns if t.answered]
        latencies = sorted(t.latency_ms for t in answered)
        return {
            "concurrency": self.concurrency,
            "duration_s": round(self.duration, 1),
            "turns": len(self.turns),
            "answered": len(answered),
            "turns_per_s": round(len(answered) / self.duration, 2) if self.duration else 0.0,
            "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99),
            "max_ms": round(latencies[-1], 1) if latencies else None,
            "retried": sum(1 for t in self.turns if t.attempts > 1),
            "retry_causes": dict(Counter(t.error.split(":")[0] for t in self.turns
                                         if t.attempts > 1)),
            "errors": sum(1 for t in self.turns if not t.answered),
            "conversations": len({t.sender for t in self.turns}),
            "escalations": sum(1 for t in answered if t.escalated),
        }


def percentile(sorted_values: Sequence[float], q: float) -> Optional[float]:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceil(n * q / 100)
    return round(sorted_values[int(rank) - 1], 1)


async def _send(session, url: str, sender: str, text: str, attempts: int,
                retry_wait: float) -> tuple:
    import aiohttp

    error, first_error = "", ""
    for attempt in range(1, attempts + 1):
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as response:
                body = await response.read()
                if response.status not in RETRY_STATUSES:
                    return response.status, attempt, first_error, body
                error = f"HTTP {response.status}"
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
        first_error = first_error or error
        if attempt < attempts:
            await asyncio.sleep(retry_wait)
    return (int(error[5:8]) if error.startswith("HTTP ") else 0), attempts, error, b""


def _escalated(body: bytes) -> bool:
    import json

    try:
        replies = json.loads(body)
    except ValueError:
        return False
    return any(isinstance(r, dict) and isinstance(r.get("custom"), dict)
               and r["custom"].get("escalate") is True for r in replies)


async def run_load(url: str, concurrency: int, duration: float, seed: int = 7,
                   conversations: Optional[List[List[str]]] = None, attempts: int = 5,
                   retry_wait: float = 1.0, think_time: float = 0.0,
                   timeout: float = 60.0, run_id: Optional[str] = None) -> LoadResult:
    """Keep `concurrency` conversations going for `duration` seconds; a conversation in
    progress when the time is up is finished (so every conversation is whole)."""
    import aiohttp

    conversations = conversations or load_conversations()
    run_id = run_id or uuid.uuid4().hex[:6]
    result = LoadResult(concurrency=concurrency)
    began = time.monotonic()
    stop_at = began + duration

    async def patient(number: int, session) -> None:
        rng = random.Random(seed * 1000 + number)
        count = 0
        while time.monotonic() < stop_at:
            count += 1
            sender = f"load-{run_id}-{number}-{count}"
            for text in rng.choice(conversations):
                sent_at = time.monotonic()
                status, tries, error, body = await _send(session, url, sender, text,
                                                         attempts, retry_wait)
                result.turns.append(Turn(
                    sender, text, sent_at - began, (time.monotonic() - sent_at) * 1000,
                    status, tries, error, status == 200 and _escalated(body)))
                if think_time:
                    await asyncio.sleep(rng.uniform(0, 2 * think_time))

    connector = aiohttp.TCPConnector(limit=concurrency * 2)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:
        await asyncio.gather(*(patient(n, session) for n in range(concurrency)))
    result.duration = time.monotonic() - began
    return result
