"""Scores conversations sent through the REST channel (the format of eval/dev.jsonl).

Per turn: the topic is that of the first reply carrying one; it escalates when any
reply has escalate: true; its severity is the highest given.
"""
from __future__ import annotations

import json
import sys
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
    basis: Optional[str] = None          # what chose the topic (model, context, ...)
    confidence: Optional[float] = None   # the model's confidence in the topic answered
    answer_id: Optional[str] = None


def read_replies(replies: List[dict]) -> dict:
    seen = {"topic": None, "escalate": False, "severity": None, "basis": None,
            "confidence": None, "answer_id": None}
    for reply in replies:
        custom = reply.get("custom")
        if not isinstance(custom, dict):
            continue
        if seen["topic"] is None and custom.get("topic"):
            seen.update(topic=custom["topic"], basis=custom.get("basis"),
                        confidence=custom.get("confidence"), answer_id=custom.get("answer_id"))
        seen["escalate"] = seen["escalate"] or bool(custom.get("escalate"))
        if SEVERITY_RANK.get(custom.get("severity"), 0) > SEVERITY_RANK[seen["severity"]]:
            seen["severity"] = custom.get("severity")
    return seen


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
                                          seen["escalate"], seen["severity"], latency,
                                          seen["basis"], seen["confidence"], seen["answer_id"]))
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
    out_of_scope_accuracy: Optional[float] = None
    out_of_scope_turns: int = 0
    fallback_threshold: float = 0.0
    answers_by_model: int = 0
    answers_below_threshold: int = 0
    answers_by_context: int = 0
    errors: List[TurnResult] = field(default_factory=list)

    def as_dict(self) -> Dict:
        return {k: v for k, v in self.__dict__.items() if k != "errors"}


# Replies that are not a topic's answer chosen by the model: asking to rephrase, or the
# safety layer's static escalation replies.
NOT_AN_ANSWER = {"fallback", "red_flag", None}


def score(results: List[TurnResult], fallback_threshold: float = 0.0) -> Scores:
    calm = [r for r in results if not r.expected["escalate"]]
    escalating = [r for r in results if r.expected["escalate"]]
    emergencies = [r for r in results if r.expected.get("severity") == "emergency"]
    right = [r for r in calm if r.topic in r.expected["topics"] and not r.escalate]
    caught = [r for r in escalating if r.escalate]
    false = [r for r in calm if r.escalate]
    under = [r for r in emergencies if r.severity != "emergency"]
    latencies = sorted(r.latency_ms for r in results) or [0.0]
    errors = [r for r in calm if r not in right] + [r for r in escalating if not r.escalate] + under
    out_of_scope = [r for r in calm if r.expected["topics"] == ["out_of_scope"]]
    by_model = [r for r in results if r.basis == "model" and r.topic not in NOT_AN_ANSWER]
    below = [r for r in by_model if (r.confidence or 0.0) < fallback_threshold]
    return Scores(
        out_of_scope_accuracy=(sum(r.topic == "out_of_scope" for r in out_of_scope) / len(out_of_scope)
                               if out_of_scope else None),
        out_of_scope_turns=len(out_of_scope), fallback_threshold=fallback_threshold,
        answers_by_model=len(by_model), answers_below_threshold=len(below),
        answers_by_context=sum(r.basis in ("context", "symptom_question") for r in results),
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
    oos = (f"{scores.out_of_scope_accuracy:.3f} of {scores.out_of_scope_turns}"
           if scores.out_of_scope_accuracy is not None else "-")
    return (f"{name}: {scores.turns} turns\n"
            f"  topic accuracy        {scores.topic_accuracy:.3f}\n"
            f"  out-of-scope answered out_of_scope {oos}\n"
            f"  answers below the fallback threshold ({scores.fallback_threshold:g}) "
            f"{scores.answers_below_threshold} of {scores.answers_by_model} chosen by the model "
            f"({scores.answers_by_context} more chosen by rules: a follow-up's context, a symptom question)\n"
            f"  escalation recall     {scores.escalation_recall:.3f}\n"
            f"  false escalations     {scores.false_escalation_rate:.3f}\n"
            f"  emergency under-triage {scores.emergency_under_triage} of {scores.emergency_turns}\n"
            f"  turn latency p50/p95  {scores.p50_ms:.0f} / {scores.p95_ms:.0f} ms")


def fallback_threshold(config_path: Path) -> float:
    """The FallbackClassifier's threshold in the NLU pipeline (0 when there is none)."""
    import yaml

    with open(config_path, encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}
    for component in config.get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.0


def run_all(case_sets: Dict[str, List[dict]], args) -> Dict[str, List[TurnResult]]:
    from bot.servers import running_assistant
    from bot.settings import PROJECT_ROOT

    if args.url:
        return {name: run_cases(cases, args.url) for name, cases in case_sets.items()}
    # Evaluation traffic stays out of the clinic's database and never notifies staff.
    from bot.knowledge_base import load_answers

    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as scratch:
        db_url = f"sqlite:///{Path(scratch) / 'eval.db'}"
        load_answers(url=db_url)
        isolated = {"ESCALATION_SPOOL_DIR": str(Path(scratch) / "spool"),
                    "ESCALATION_WEBHOOK_URL": "off", "SMTP_HOST": "off"}
        with running_assistant(model=args.model, db_url=db_url, extra_env=isolated,
                               log_dir=PROJECT_ROOT / "var" / "logs") as assistant:
            return {name: run_cases(cases, assistant.webhook) for name, cases in case_sets.items()}


def main(args) -> int:
    from bot.settings import PROJECT_ROOT

    case_sets = {}
    for path in args.cases:
        if not Path(path).exists():
            print(f"skipped {path}: not found")
            continue
        case_sets[path] = load_cases(Path(path))
    if not case_sets:
        print("error: no evaluation cases found", file=sys.stderr)
        return 2
    threshold = fallback_threshold(PROJECT_ROOT / "config.yml")
    results = run_all(case_sets, args)
    runs = []
    for name, turns in results.items():
        scores = score(turns, threshold)
        runs.append((name, turns, scores))
        print(format_scores(scores, name))
        if args.show_errors:
            for r in scores.errors:
                print(f"  x {r.case_id}: {r.text!r} -> {r.topic} esc={r.escalate} sev={r.severity}; "
                      f"want {r.expected['topics']} esc={r.expected['escalate']} sev={r.expected.get('severity')}")
    if args.json:
        Path(args.json).write_text(json.dumps({name: s.as_dict() for name, _, s in runs}, indent=2))
    if args.report:
        from bot.eval_report import write_report

        folder = write_report(runs, Path(args.report), args.model)
        print(f"report: {folder / 'report.md'} (with confusion matrices and confidence histograms)")
    return 0
