"""Time to an answer in the browser: the demo page in headless Chromium, through the
widget and Rasa's socket.io channel, against a freshly started assistant.

    make bench-widget   (ROUNDS=5 pages, each asking the questions below)

Prints the widget's size, the time from opening the page to the first answer on screen
(loading the page and the widget, connecting, asking, the answer drawn), and the time from
sending a question to its answer on screen, p50/p95 over every question asked.
"""
from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bot.demo_site import demo_site
from bot.knowledge_base import load_answers
from bot.servers import free_port, running_assistant
from bot.settings import PROJECT_ROOT

WIDGET = PROJECT_ROOT / "web" / "dist" / "assistant-widget.js"
QUESTIONS = ["does an amniocentesis hurt?", "what is the risk of miscarriage?",
             "when will I get the results?", "I'm bleeding since the amnio",
             "can I go to work tomorrow?", "thanks"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


def percentile(values, share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ask(page, text: str) -> float:
    """Seconds from pressing Enter to the answer (with its reply contract) on screen."""
    answered = page.locator(".ca-turn[data-topic]").count()
    page.locator(".ca-input").fill(text)
    started = time.perf_counter()
    page.locator(".ca-input").press("Enter")
    try:
        page.locator(".ca-turn[data-topic]").nth(answered).wait_for(timeout=30_000)
    except Exception as error:
        raise SystemExit(f"No answer on screen to {text!r} within 30 s; the chat shows:\n"
                         + page.locator(".ca-log").inner_text()[-600:]) from error
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    raw = WIDGET.read_bytes()
    print(f"widget: {len(raw):,} bytes, {len(gzip.compress(raw, 9)):,} bytes gzipped")
    chromium = subprocess.run([str(PROJECT_ROOT / "scripts" / "find-chromium")],
                              capture_output=True, text=True, check=True).stdout.strip()
    demo_port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        load_answers(url=db_url)
        env = {"ALLOWED_ORIGINS": f"http://127.0.0.1:{demo_port}", "SMTP_HOST": "off",
               "ESCALATION_WEBHOOK_URL": "off", "ESCALATION_SPOOL_DIR": str(Path(tmp) / "spool"),
               "ASSISTANT_MESSAGES_PER_MINUTE": "1000"}
        with running_assistant(db_url=db_url, extra_env=env) as servers, \
                demo_site(demo_port, f"http://127.0.0.1:{servers.port}", "Benchmark clinic") as url, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            first_answers, turns = [], []
            for _ in range(args.rounds):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                opened = time.perf_counter()
                page.goto(url)
                page.get_by_role("button", name="Ask a question").click()
                turns.append(ask(page, QUESTIONS[0]))
                first_answers.append(time.perf_counter() - opened)
                turns.extend(ask(page, question) for question in QUESTIONS[1:])
                context.close()
            browser.close()
    ms = [1000 * t for t in turns]
    first = [1000 * t for t in first_answers]
    print(f"page opened to first answer on screen: median {statistics.median(first):.0f} ms "
          f"(min {min(first):.0f}, max {max(first):.0f}) over {len(first)} fresh pages")
    print(f"question sent to answer on screen: p50 {percentile(ms, .5):.0f} ms, "
          f"p95 {percentile(ms, .95):.0f} ms, max {max(ms):.0f} ms over {len(ms)} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
