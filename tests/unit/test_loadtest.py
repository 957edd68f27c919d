"""The load benchmark's parts that decide its figures: percentiles, the nothing-lost
check, the balancer's configuration, the conversation scripts and the report."""
import json
import subprocess

import pytest

from bot.loadtest.balancer import haproxy_config
from bot.loadtest.integrity import compare
from bot.loadtest.load import LoadResult, Turn, load_conversations, percentile
from bot.loadtest.report import END, START, render, write_report


def test_percentiles_are_nearest_rank():
    values = sorted(float(v) for v in range(1, 101))
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50, 95, 99)
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def test_summary_counts_retries_errors_and_rates():
    turns = [Turn("a", "hi", 0.0, 100, 200, 1), Turn("a", "x", 1.0, 300, 200, 2),
             Turn("b", "hi", 2.0, 5000, 0, 5, "ClientConnectorError")]
    result = LoadResult(turns, duration=2.0, concurrency=2)
    summary = result.summary()
    assert (summary["answered"], summary["errors"], summary["retried"]) == (2, 1, 2)
    assert summary["turns_per_s"] == 1.0 and summary["p50_ms"] == 100
    assert result.sent_by_sender() == {"a": ["hi", "x"], "b": ["hi"]}


def test_store_check_finds_lost_reordered_and_duplicated_messages():
    sent = {"c1": ["hello", "does it hurt?", "thanks"], "c2": ["a", "b"], "c3": ["q"]}
    stored = {"c1": ["hello", "does it hurt?", "does it hurt?", "thanks"],  # stored twice
              "c2": ["b", "a"],                                          # order swapped
              "c3": []}                                                  # lost
    check = compare(sent, stored, redacted=False)
    assert (check.sent, check.missing, check.duplicated, check.out_of_order) == (6, 1, 1, 1)
    assert not check.intact and "c3: 'q'" in check.examples[0]
    assert compare({"c": ["x", "y"]}, {"c": ["x", "y"]}, redacted=False).intact


def test_store_check_compares_the_redacted_form_of_what_was_sent():
    sent = {"c": ["my number is 07700 900123, does it hurt?"]}
    stored = {"c": ["my number is [phone], does it hurt?"]}
    assert compare(sent, stored).intact
    assert not compare(sent, {"c": ["something else"]}).intact


def test_haproxy_accepts_the_balancer_configuration(tmp_path):
    from bot.loadtest.balancer import haproxy_path

    try:
        haproxy = haproxy_path()
    except subprocess.CalledProcessError:
        pytest.skip("HAProxy not installable here")
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config({18000: [18001, 18002], 18010: [18011]},
                                      {18000: "/", 18010: "/health"}))
    checked = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    text = config.read_text()
    assert "retry-on conn-failure" in text and "balance roundrobin" in text
    assert "server s18002 127.0.0.1:18002 check" in text


def test_the_conversation_scripts_are_real_multi_turn_chats():
    conversations = load_conversations()
    assert len(conversations) >= 15
    assert sum(len(c) >= 3 for c in conversations) >= 15
    assert all(isinstance(t, str) and t.strip() for c in conversations for t in c)
    assert any("bleeding" in t for c in conversations for t in c)  # red flags among them


def _results():
    run = {"label": "ours, 1x Rasa, SQLite",
           "summary": {"turns_per_s": 20.5, "p50_ms": 100.0, "p95_ms": 200.0, "p99_ms": 300.0,
                       "max_ms": 400.0, "turns": 1000, "errors": 0, "retried": 0,
                       "conversations": 200},
           "store": {"lost": 0, "duplicated": 0},
           "started_s": {"rasa-1": 30.1, "actions-1": 1.2},
           "memory_mb_idle": {"rasa-1": 1100.0, "actions-1": 50.0},
           "memory_mb_loaded": {"rasa-1": 1120.0, "actions-1": 60.0},
           "latency_timeline": [(0.5, 90.0), (6.0, 120.0)]}
    return {"when": "2026-11-21T12:00:00", "concurrency": 16, "duration_s": 60, "took_s": 300,
            "machine": {"cpu": "test cpu, 2 cores"}, "runs": [run]}


def test_the_report_keeps_the_hand_written_parts_of_the_page(tmp_path):
    page = tmp_path / "performance.md"
    page.write_text(f"# Performance\n\nWritten by hand.\n\n{START}\nold\n{END}\n\n## Faults\nkept\n")
    write_report(_results(), page)
    text = page.read_text()
    assert "Written by hand." in text and "## Faults\nkept" in text and "old" not in text
    assert "| ours, 1x Rasa, SQLite | 20.5 | 100.0 | 200.0 | 300.0 |" in text
    assert "| ours, 1x Rasa, SQLite | rasa-1 | 30.1 | 1100.0 | 1120.0 |" in text
    for plot in ("latency.png", "throughput.png", "latency-over-time.png"):
        assert (tmp_path / "performance" / plot).stat().st_size > 1000
    json.dumps(_results())  # what results.json holds is plain JSON
    assert render(_results(), [], "p").startswith(START)
