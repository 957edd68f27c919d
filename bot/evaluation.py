"""Scores conversations sent through the REST channel (the format of eval/dev.jsonl).

Per turn: the topic is that of the first reply carrying one; it escalates when any
reply has escalate: true; its severity is the highest given.
"""
from __future__ import annotations

import json
import tempfile
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import requests

SEVERITY_RANK = {None: 0, "urgent": 1, "emergency": 2}


def load_cases(path: Path) -> List[dict]:
    cases = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    cases.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: not JSON ({error})") from error
    return cases


@dataclass
class TurnResult:
    case_id: str
    text: str
    expected: dict
    topic: Optional[str]
    escalate: bool
    severity: Optional[str]
    latency_ms: float


def read_replies(replies: List[dict]) -> dict:
    topic, escalate, severity = None, False, None
    for reply in replies:
        custom = reply.get("custom")
        if not isinstance(custom, dict):
            continue
        if topic is None and custom.get("topic"):
            topic = custom["topic"]
        escalate = escalate or bool(custom.get("escalate"))
        if SEVERITY_RANK.get(custom.get("severity"), 0) > SEVERITY_RANK[severity]:
            severity = custom.get("severity")
    return {"topic": topic, "escalate": escalate, "severity": severity}


def run_cases(cases: List[dict], webhook: str, timeout: float = 60) -> List[TurnResult]:
    results = []
    with requests.Session() as session:
        for case in cases:
            sender = f"eval-{case['id']}-{uuid.uuid4().hex[:8]}"
            for turn in case["turns"]:
                started = time.perf_counter()
                response = session.post(webhook, json={"sender": sender, "message": turn["text"]},
                                        timeout=timeout)
                latency = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                seen = read_replies(response.json())
                results.append(TurnResult(case["id"], turn["text"], turn, seen["topic"],
                                          seen["escalate"], seen["severity"], latency))
    return results


@dataclass
class Scores:
    turns: int
    topic_accuracy: float
    escalation_recall: float
    false_escalation_rate: float
    emergency_under_triage: int
    emergency_turns: int
    p50_ms: float
    p95_ms: float
    errors: List[TurnResult] = field(default_factory=list)

    def as_dict(self) -> Dict:
        return {k: v for k, v in self.__dict__.items() if k != "errors"}


def score(results: List[TurnResult]) -> Scores:
    calm = [r for r in results if not r.expected["escalate"]]
    escalating = [r for r in results if r.expected["escalate"]]
    emergencies = [r for r in results if r.expected.get("severity") == "emergency"]
    right = [r for r in calm if r.topic in r.expected["topics"] and not r.escalate]
    caught = [r for r in escalating if r.escalate]
    false = [r for r in calm if r.escalate]
    under = [r for r in emergencies if r.severity != "emergency"]
    latencies = sorted(r.latency_ms for r in results) or [0.0]
    errors = [r for r in calm if r not in right] + [r for r in escalating if not r.escalate] + under
    return Scores(
        turns=len(results),
        topic_accuracy=len(right) / len(calm) if calm else 1.0,
        escalation_recall=len(caught) / len(escalating) if escalating else 1.0,
        false_escalation_rate=len(false) / len(calm) if calm else 0.0,
        emergency_under_triage=len(under), emergency_turns=len(emergencies),
        p50_ms=statistics.median(latencies),
        p95_ms=latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))],
        errors=errors,
    )


def format_scores(scores: Scores, name: str) -> str:
    return (f"{name}: {scores.turns} turns\n"
            f"  topic accuracy        {scores.topic_accuracy:.3f}\n"
            f"  escalation recall     {scores.escalation_recall:.3f}\n"
            f"  false escalations     {scores.false_escalation_rate:.3f}\n"
            f"  emergency under-triage {scores.emergency_under_triage} of {scores.emergency_turns}\n"
            f"  turn latency p50/p95  {scores.p50_ms:.0f} / {scores.p95_ms:.0f} ms")


def main(args) -> int:
    from bot.servers import running_assistant
    from bot.settings import PROJECT_ROOT

    cases = load_cases(Path(args.cases))
    if args.url:
        results = run_cases(cases, args.url)
    else:
        # Evaluation traffic stays out of the clinic's database and never notifies staff.
        from bot.knowledge_base import load_answers

        with tempfile.TemporaryDirectory(prefix="assistant-eval-") as scratch:
            db_url = f"sqlite:///{Path(scratch) / 'eval.db'}"
            load_answers(url=db_url)
            isolated = {"ESCALATION_SPOOL_DIR": str(Path(scratch) / "spool"),
                        "ESCALATION_WEBHOOK_URL": "off", "SMTP_HOST": "off"}
            with running_assistant(model=args.model, db_url=db_url, extra_env=isolated,
                                   log_dir=PROJECT_ROOT / "var" / "logs") as assistant:
                results = run_cases(cases, assistant.webhook)
    scores = score(results)
    print(format_scores(scores, args.cases))
    if args.show_errors:
        for r in scores.errors:
            print(f"  x {r.case_id}: {r.text!r} -> {r.topic} esc={r.escalate} sev={r.severity}; "
                  f"want {r.expected['topics']} esc={r.expected['escalate']} sev={r.expected.get('severity')}")
    if args.json:
        Path(args.json).write_text(json.dumps(scores.as_dict(), indent=2))
    return 0
