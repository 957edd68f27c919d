"""The load benchmark (`make bench`): our assistant with 1 and 2 Rasa instances behind
HAProxy, on SQLite and on PostgreSQL, and Rasa's example bot as the reference, one after
the other in the same run, under the same load (bot.loadtest.load). For each: turns per
second, latency percentiles, errors, the nothing-lost check of the tracker store,
start-up time and memory of each process. Writes docs/performance.md with plots, and the
raw figures to reports/bench-<time>/results.json.

    .venv/bin/python -m bot.loadtest.benchmark --concurrency 16 --duration 60
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator, List, Optional

from bot.loadtest.cluster import running_cluster
from bot.loadtest.databases import temporary_postgres_database
from bot.loadtest.integrity import check_store
from bot.loadtest.load import run_load
from bot.settings import PROJECT_ROOT

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass(frozen=True)
class Setup:
    name: str
    bot: str          # ours | stock
    database: str     # sqlite | postgresql
    instances: int

    @property
    def label(self) -> str:
        who = "ours" if self.bot == "ours" else "rasa init"
        return f"{who}, {self.instances}x Rasa, {'PostgreSQL' if self.database == 'postgresql' else 'SQLite'}"


SETUPS = [
    Setup("stock-sqlite-1", "stock", "sqlite", 1),
    Setup("ours-sqlite-1", "ours", "sqlite", 1),
    Setup("ours-sqlite-2", "ours", "sqlite", 2),
    Setup("ours-postgres-1", "ours", "postgresql", 1),
    Setup("ours-postgres-2", "ours", "postgresql", 2),
]


@contextlib.contextmanager
def new_database(kind: str, work_dir: Path) -> Iterator[str]:
    """An empty database of that kind, dropped afterwards (PostgreSQL) or left in
    work_dir (SQLite)."""
    if kind == "sqlite":
        yield f"sqlite:///{work_dir / ('bench_' + uuid.uuid4().hex[:8] + '.db')}"
        return
    with temporary_postgres_database(POSTGRES_ADMIN_URL, "bench") as url:
        yield url.render_as_string(hide_password=False)


def measure(setup: Setup, concurrency: int, duration: float, work_dir: Path,
            model: str) -> dict:
    from bot.knowledge_base import load_answers
    from bot.loadtest.stock_bot import stock_rasa_command

    print(f"\n== {setup.label}: starting", flush=True)
    with new_database(setup.database, work_dir) as db_url:
        options = {}
        if setup.bot == "ours":
            load_answers(url=db_url)
        else:
            options = {"rasa_command_for": stock_rasa_command(db_url), "with_actions": False}
        if setup.bot == "ours" and setup.instances == 1:
            options["with_staff"] = True  # its start-up and memory, idle beside the load
        with running_cluster(db_url, rasa_instances=setup.instances,
                             redis_url=REDIS_URL if setup.instances > 1 else None,
                             model=model, work_dir=work_dir / setup.name,
                             **options) as cluster:
            started = {name: round(seconds, 1) for name, seconds in cluster.started_in.items()}
            idle_memory = cluster.memory_mb()
            # warm-up: the first messages load lazily initialised parts
            asyncio.run(run_load(cluster.webhook, concurrency=2, duration=3, seed=99,
                                 run_id="warm" + uuid.uuid4().hex[:4]))
            print(f"   started in {started}; running {concurrency} conversations for "
                  f"{duration:.0f} s", flush=True)
            result = asyncio.run(run_load(cluster.webhook, concurrency, duration))
            loaded_memory = cluster.memory_mb()
        store = check_store(db_url, result.sent_by_sender(), redacted=setup.bot == "ours")
    summary = result.summary()
    print(f"   {summary['turns_per_s']} turns/s, p50 {summary['p50_ms']} ms, p95 "
          f"{summary['p95_ms']} ms, p99 {summary['p99_ms']} ms, errors {summary['errors']}; "
          f"{store.line()}", flush=True)
    return {"setup": asdict(setup), "label": setup.label, "summary": summary,
            "store": {**asdict(store), "lost": store.lost},
            "started_s": started, "memory_mb_idle": idle_memory,
            "memory_mb_loaded": loaded_memory,
            "latency_timeline": [(round(t.started, 2), round(t.latency_ms, 1))
                                 for t in result.turns if t.answered]}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--setups", default=",".join(s.name for s in SETUPS),
                        help="comma-separated, of: " + ", ".join(s.name for s in SETUPS))
    parser.add_argument("--model", default="models/assistant.tar.gz")
    parser.add_argument("--report", default=str(PROJECT_ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    from bot.loadtest.report import machine_description, write_report

    chosen = [s for s in SETUPS if s.name in args.setups.split(",")]
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    work_dir = PROJECT_ROOT / "var" / "bench" / stamp
    work_dir.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    runs = [measure(setup, args.concurrency, args.duration, work_dir, args.model)
            for setup in chosen]
    results = {"when": dt.datetime.now().isoformat(timespec="seconds"),
               "concurrency": args.concurrency, "duration_s": args.duration,
               "machine": machine_description(POSTGRES_ADMIN_URL, REDIS_URL), "runs": runs,
               "took_s": round(time.monotonic() - began)}
    out = PROJECT_ROOT / "reports" / f"bench-{stamp}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    report = write_report(results, Path(args.report))
    print(f"\nResults: {out / 'results.json'}; report: {report}")
    lost = sum(run["store"]["lost"] for run in runs)
    print(f"Lost messages in all setups: {lost}")
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
