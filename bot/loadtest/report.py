"""The benchmark's report: the machine, the table, start-up and memory, and plots, written
between the markers of docs/performance.md (the rest of that page is written by hand and
kept), the plots beside it in docs/performance/."""
from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Dict, List

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _first_line(command: List[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


def machine_description(postgres_url: str, redis_url: str) -> Dict[str, str]:
    import redis
    import sqlalchemy as sa

    cpu = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kb = next(int(line.split()[1]) for line in open("/proc/meminfo")
                     if line.startswith("MemTotal"))
    try:
        engine = sa.create_engine(postgres_url)
        with engine.connect() as connection:
            postgres = connection.execute(sa.text("SHOW server_version")).scalar()
        engine.dispose()
    except Exception as error:  # the report says so rather than failing
        postgres = f"unavailable ({type(error).__name__})"
    try:
        redis_version = redis.StrictRedis.from_url(redis_url).info("server")["redis_version"]
    except Exception as error:
        redis_version = f"unavailable ({type(error).__name__})"
    from bot.loadtest.balancer import haproxy_path
    import rasa

    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "os": f"{_first_line(['sh', '-c', '. /etc/os-release && echo $PRETTY_NAME'])}, "
              f"Linux {platform.release()}",
        "python": platform.python_version(),
        "rasa": rasa.__version__,
        "postgresql": str(postgres),
        "redis": str(redis_version),
        "haproxy": _first_line([haproxy_path(), "-v"]),
    }


def _plots(results: dict, directory: Path) -> List[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    runs = results["runs"]
    labels = [run["label"] for run in runs]
    names = []

    figure, axis = plt.subplots(figsize=(9, 4))
    width = 0.27
    for offset, key, colour in [(-width, "p50_ms", "#4c78a8"), (0, "p95_ms", "#f58518"),
                                (width, "p99_ms", "#e45756")]:
        values = [run["summary"][key] or 0 for run in runs]
        axis.bar([i + offset for i in range(len(runs))], values, width, label=key[:3], color=colour)
    axis.set_xticks(range(len(runs)))
    axis.set_xticklabels(labels, rotation=15, ha="right", fontsize=8)
    axis.set_ylabel("latency per turn (ms)")
    axis.set_title(f"Latency, {results['concurrency']} conversations at once")
    axis.legend()
    figure.tight_layout()
    figure.savefig(directory / "latency.png", dpi=110)
    plt.close(figure)
    names.append("latency.png")

    figure, axis = plt.subplots(figsize=(9, 3.6))
    axis.bar(range(len(runs)), [run["summary"]["turns_per_s"] for run in runs], color="#54a24b")
    axis.set_xticks(range(len(runs)))
    axis.set_xticklabels(labels, rotation=15, ha="right", fontsize=8)
    axis.set_ylabel("answered turns per second")
    axis.set_title("Throughput")
    figure.tight_layout()
    figure.savefig(directory / "throughput.png", dpi=110)
    plt.close(figure)
    names.append("throughput.png")

    figure, axis = plt.subplots(figsize=(9, 4))
    for run in runs:
        timeline = sorted(run["latency_timeline"])
        if not timeline:
            continue
        # p95 over each 5-second window
        windows: Dict[int, List[float]] = {}
        for started, latency in timeline:
            windows.setdefault(int(started // 5), []).append(latency)
        xs = sorted(windows)
        ys = [sorted(windows[x])[max(0, int(len(windows[x]) * 0.95) - 1)] for x in xs]
        axis.plot([x * 5 for x in xs], ys, marker=".", label=run["label"])
    axis.set_xlabel("seconds into the load")
    axis.set_ylabel("p95 latency in 5 s windows (ms)")
    axis.set_title("Latency over the run")
    axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(directory / "latency-over-time.png", dpi=110)
    plt.close(figure)
    names.append("latency-over-time.png")
    return names


def render(results: dict, plot_names: List[str], plot_dir: str) -> str:
    machine = results["machine"]
    lines = [START, "",
             f"Measured {results['when']} by `make bench` "
             f"({results['concurrency']} conversations at once, {results['duration_s']:.0f} s "
             f"a setup, the whole run {results['took_s']} s).", "",
             "Machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()) + ".", "",
             "| setup | turns/s | p50 ms | p95 ms | p99 ms | max ms | turns | errors | "
             "retried | conversations | lost | stored twice |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in results["runs"]:
        s, store = run["summary"], run["store"]
        lines.append(
            f"| {run['label']} | {s['turns_per_s']} | {s['p50_ms']} | {s['p95_ms']} | "
            f"{s['p99_ms']} | {s['max_ms']} | {s['turns']} | {s['errors']} | {s['retried']} | "
            f"{s['conversations']} | {store['lost']} | {store['duplicated']} |")
    lines += ["", "Start-up (seconds from launch until the process answers its health check; "
              "the processes of a setup start together) and resident memory (MB, idle after "
              "start-up / after the load):", "",
              "| setup | process | start-up s | memory idle MB | memory loaded MB |",
              "|---|---|---:|---:|---:|"]
    for run in results["runs"]:
        for name, seconds in run["started_s"].items():
            if name == "balancer":  # its health check passes once a Rasa instance answers
                seconds = "-"
            lines.append(f"| {run['label']} | {name} | {seconds} | "
                         f"{run['memory_mb_idle'].get(name, '')} | "
                         f"{run['memory_mb_loaded'].get(name, '')} |")
    lines.append("")
    lines += [f"![{name}]({plot_dir}/{name})" for name in plot_names]
    lines += ["", END]
    return "\n".join(lines)


TEMPLATE = """# Performance

How fast the assistant answers under load, how it scales, and what it costs to run.

{generated}
"""


def write_report(results: dict, path: Path) -> Path:
    plot_dir = path.parent / path.stem
    names = _plots(results, plot_dir)
    generated = render(results, names, path.stem)
    if path.exists() and START in path.read_text(encoding="utf-8"):
        text = path.read_text(encoding="utf-8")
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1] if END in rest else ""
        path.write_text(before + generated + after, encoding="utf-8")
    else:
        path.write_text(TEMPLATE.format(generated=generated), encoding="utf-8")
    return path
