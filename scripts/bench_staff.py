"""Page load time of the staff app's conversation list with many stored conversations.

    make bench-staff   (CONVERSATIONS=10000)

Stores N conversations (2 to 6 turns each, some escalated, some fallbacks) in a fresh
SQLite database in Rasa's events table, as Rasa's SQL tracker store writes them, then
times: the first summary pass over all events (what the first page view after an upgrade
does), and the conversation list page over HTTP from the running staff app (waitress),
plain, filtered (escalated; a topic; low confidence), searched, and a far page; p50/p95
of 20 loads each; and the list in headless Chromium, from navigation to the load event.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy import insert

from bot.db import init_db
from bot.servers import _stop, _wait_for, free_port
from bot.settings import PROJECT_ROOT
from bot.staff import accounts, summaries
from bot.staff.events import events_table
from bot.topics import ANSWER_TOPICS

QUESTIONS = ["does it hurt?", "what is the risk of miscarriage?", "when do results come?",
             "can I go to work tomorrow?", "is it safe at 14 weeks?", "what about twins?"]


def fill(db_url: str, conversations: int, seed: int = 7) -> int:
    """Store the conversations; the number of events written."""
    store = SQLTrackerStore(domain=Domain.empty(), host=db_url)  # creates Rasa's table
    table = events_table(store.engine)
    rng = random.Random(seed)
    start = time.time() - 90 * 86400
    rows = []
    for number in range(conversations):
        sender = f"bench-{number:06d}"
        at = start + rng.random() * 90 * 86400
        for turn in range(rng.randint(2, 6)):
            topic = rng.choice(ANSWER_TOPICS)
            confidence = round(rng.uniform(0.3, 1.0), 3)
            escalate = rng.random() < 0.03
            if rng.random() < 0.05:
                topic, confidence = "fallback", 0.2
            text = rng.choice(QUESTIONS)
            user = {"event": "user", "timestamp": at, "text": text, "input_channel": "rest",
                    "parse_data": {"text": text, "intent": {"name": topic, "confidence": confidence}}}
            custom = {"topic": "red_flag" if escalate else topic, "escalate": escalate,
                      "severity": "emergency" if escalate else None, "answer_id": f"{topic}@v1",
                      "sources": [], "basis": None if escalate else "model",
                      "confidence": None if escalate else confidence}
            bot = {"event": "bot", "timestamp": at + 0.05, "text": "An answer of about forty "
                   "words, as the curated answers are.", "data": {"custom": custom}}
            rows.append({"sender_id": sender, "type_name": "user", "timestamp": at,
                         "intent_name": topic, "action_name": None, "data": json.dumps(user)})
            rows.append({"sender_id": sender, "type_name": "bot", "timestamp": at + 0.05,
                         "intent_name": None, "action_name": None, "data": json.dumps(bot)})
            at += rng.uniform(5, 120)
    with store.engine.begin() as connection:
        for index in range(0, len(rows), 5000):
            connection.execute(insert(table), rows[index:index + 5000])
    store.engine.dispose()
    return len(rows)


def timed_get(session: requests.Session, url: str, loads: int = 20) -> tuple:
    times = []
    for _ in range(loads):
        started = time.perf_counter()
        response = session.get(url, timeout=60)
        times.append(1000 * (time.perf_counter() - started))
        response.raise_for_status()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def browser_load(base: str, loads: int = 10) -> tuple:
    """Navigation start to the load event of the list page, in Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.test_widget_browser import CHROMIUM_ARGS

    chromium = subprocess.run([str(PROJECT_ROOT / "scripts" / "find-chromium")],
                              capture_output=True, text=True, check=True).stdout.strip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/login")
        page.get_by_label("User name").fill("bench.admin")
        page.get_by_label("Password").fill("benchmark passphrase")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/conversations")
        times = []
        for _ in range(loads):
            page.goto(f"{base}/conversations", wait_until="load")
            times.append(page.evaluate(
                "() => performance.getEntriesByType('navigation')[0].loadEventEnd"))
        browser.close()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        init_db(db_url)
        started = time.perf_counter()
        events = fill(db_url, args.conversations)
        print(f"stored {args.conversations:,} conversations ({events:,} events) in "
              f"{time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        summaries.refresh(db_url)
        print(f"first summary pass over all events: {time.perf_counter() - started:.1f} s "
              "(once; later page views read only new events)")
        accounts.create_user("bench.admin", "benchmark passphrase", "admin", db_url)
        port = free_port()
        env = dict(os.environ, DATABASE_URL=db_url, PYTHONPATH=str(PROJECT_ROOT),
                   STAFF_SECRET_KEY="bench" * 10)
        process = subprocess.Popen([sys.executable, "-m", "bot.staff", "--port", str(port)],
                                   cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(f"{base}/login", [process], 60)
            session = requests.Session()
            page = session.get(f"{base}/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            session.post(f"{base}/login", data={"username": "bench.admin", "csrf_token": token,
                                                "password": "benchmark passphrase"}).raise_for_status()
            for label, query in [("list, newest first", ""), ("escalated only", "?escalated=1"),
                                 ("one topic", "?topic=pain"),
                                 ("low confidence", "?low_confidence=1"),
                                 ("search 'twins'", "?q=twins"), ("page 150", "?page=150")]:
                p50, p95 = timed_get(session, f"{base}/conversations{query}")
                print(f"conversation list, {label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
            p50, p95 = browser_load(base)
            print(f"conversation list in headless Chromium, navigation to load event: "
                  f"p50 {p50:.0f} ms, p95 {p95:.0f} ms")
        finally:
            _stop([process])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
