"""Faults under load, in the production layout on one machine (bot.loadtest.cluster):
two Rasa instances and two action servers behind HAProxy, a PostgreSQL server of the
test's own, the local Redis for the shared lock store. Patients' conversations run
throughout (bot.loadtest.load: a message that gets no answer is sent again, as the chat
widget lets a patient do). Each test prints what was lost; the target is nothing.

Slow (the cluster takes about a minute to start): `make test-faults` runs these alone.
"""
import asyncio
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from bot.db import Escalation, session_scope
from bot.knowledge_base import load_answers
from bot.loadtest.cluster import running_cluster
from bot.loadtest.integrity import check_store
from bot.loadtest.load import run_load
from tests.e2e.conftest import MODEL, contract, text_of, wait_until
from tests.support.private_postgres import PrivatePostgres
from tests.support.receivers import Receiver
from tests.support.redis_server import REDIS_TEST_URL, redis_or_skip, unique_prefix

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def postgres():
    server = PrivatePostgres().start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def cluster(postgres, tmp_path_factory):
    redis_or_skip()
    if not MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    load_answers(url=postgres.url)
    receiver = Receiver()
    env = {"ESCALATION_WEBHOOK_URL": receiver.url, "ESCALATION_WEBHOOK_SECRET": "faults",
           "SMTP_HOST": "off", "REDIS_LOCK_PREFIX": unique_prefix()}
    try:
        with running_cluster(postgres.url, rasa_instances=2, action_servers=2,
                             redis_url=REDIS_TEST_URL, model=str(MODEL),
                             work_dir=tmp_path_factory.mktemp("cluster"),
                             extra_env=env) as servers:
            yield servers
    finally:
        receiver.close()


class BackgroundLoad:
    """Conversations through the balancer in a thread, while the test breaks things."""

    def __init__(self, url: str, concurrency: int, duration: float):
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(url, concurrency, duration))
        self.thread.start()

    def _run(self, url, concurrency, duration):
        self.result = asyncio.run(run_load(url, concurrency, duration, attempts=8,
                                           retry_wait=1.0, run_id=uuid.uuid4().hex[:6]))

    def join(self):
        self.thread.join()
        return self.result


def say(cluster, message, sender):
    response = requests.post(cluster.webhook, json={"sender": sender, "message": message},
                             timeout=60)
    assert response.status_code == 200, response.text[:200]
    return response.json()


def recorded_escalations(db_url, senders):
    with session_scope(db_url) as session:
        return {e.conversation_id for e in session.query(Escalation)
                .filter(Escalation.conversation_id.in_(list(senders)))}


def report(name, load, store, extra=""):
    summary = load.summary()
    print(f"\nFAULT {name}: {store.line()}; {summary['answered']}/{summary['turns']} "
          f"answered, {summary['retried']} sent again after no answer, p95 "
          f"{summary['p95_ms']} ms, max {summary['max_ms']} ms{extra}")


def test_two_messages_of_one_conversation_at_once_are_taken_in_turn(cluster, postgres):
    """Through the balancer the two go to different instances; the Redis lock store makes
    the second wait for the first, so the conversation reads question, answer, question,
    answer."""
    sender = f"same-{uuid.uuid4().hex[:8]}"
    say(cluster, "hello", sender)
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda m: say(cluster, m, sender),
                                ["does it hurt?", "how long does it take?"]))
    answered = [contract(r)["answer_id"] for r in replies]
    assert all(a and not a.startswith(("service_unavailable", "fallback")) for a in answered), replies
    engine = sa.create_engine(postgres.url)
    with engine.connect() as connection:
        kinds = [row[0] for row in connection.execute(sa.text(
            "SELECT type_name FROM events WHERE sender_id = :s AND type_name IN ('user', 'bot') "
            "ORDER BY id"), {"s": sender})]
    engine.dispose()
    collapsed = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
    assert collapsed == ["user", "bot"] * 3, kinds


def test_action_servers_killed_then_restarted(cluster, postgres):
    """Both action servers crash: red flags still get the emergency reply and are
    recorded (static replies in the Rasa process); ordinary questions get the polite
    'cannot answer now' reply; once they are back, answers return. Nothing is lost."""
    load = BackgroundLoad(cluster.webhook, concurrency=4, duration=25)
    time.sleep(5)
    for name in cluster.action_names():
        cluster.kill(name)
    red_flags = {f"flag-{uuid.uuid4().hex[:8]}": m for m in
                 ["I'm bleeding heavily since the amnio", "my waters went an hour ago",
                  "I have a fever of 39 after the test"]}
    for sender, message in red_flags.items():
        replies = say(cluster, message, sender)
        assert contract(replies)["escalate"] is True, (message, replies)
        assert "020 7946 0999" in text_of(replies)
    down = contract(say(cluster, "does amniocentesis hurt?", f"q-{uuid.uuid4().hex[:8]}"))
    assert down["answer_id"].startswith("service_unavailable@")
    restarted = time.monotonic()
    cluster.start(*[name for name in cluster.commands if name.startswith("actions-")])
    back = wait_until(lambda: contract(say(cluster, "does amniocentesis hurt?",
                                           f"q-{uuid.uuid4().hex[:8]}"))["topic"] == "pain",
                      timeout=30)
    back_after = time.monotonic() - restarted
    result = load.join()
    stored = wait_until(lambda: recorded_escalations(postgres.url, red_flags) == set(red_flags),
                        timeout=60)
    store = check_store(postgres.url, result.sent_by_sender())
    lost_escalations = len(red_flags) - len(recorded_escalations(postgres.url, red_flags))
    report("action servers killed and restarted", result, store,
           f"; red flags escalated {len(red_flags)}/{len(red_flags)}, lost escalations "
           f"{lost_escalations}; answers back {back_after:.1f} s after the restart")
    assert back and stored
    assert store.lost == 0 and store.out_of_order == 0, store.examples


def test_postgres_restarted_under_load(cluster, postgres):
    """The database restarts (open connections cut) while patients talk, some with red
    flags: every escalation the patients were told about is recorded, and no message is
    lost (the tracker store retries through the restart)."""
    load = BackgroundLoad(cluster.webhook, concurrency=6, duration=25)
    time.sleep(6)
    red_flags = {}
    with ThreadPoolExecutor(3) as pool:
        senders = [f"pg-{uuid.uuid4().hex[:8]}" for _ in range(3)]
        futures = [pool.submit(say, cluster, "there is fluid leaking since the amnio", s)
                   for s in senders]
        postgres.restart("fast")
        for sender, future in zip(senders, futures):
            if contract(future.result())["escalate"]:
                red_flags[sender] = True
    for _ in range(3):  # and right after it
        sender = f"pg-{uuid.uuid4().hex[:8]}"
        if contract(say(cluster, "I'm bleeding heavily", sender))["escalate"]:
            red_flags[sender] = True
    result = load.join()
    escalated = {t.sender for t in result.turns if t.escalated} | set(red_flags)
    wait_until(lambda: recorded_escalations(postgres.url, escalated) == escalated, timeout=90)
    lost_escalations = escalated - recorded_escalations(postgres.url, escalated)
    store = check_store(postgres.url, result.sent_by_sender())
    report("PostgreSQL restarted", result, store,
           f"; escalations told to patients {len(escalated)}, recorded "
           f"{len(escalated) - len(lost_escalations)}, lost {len(lost_escalations)}")
    assert len(red_flags) == 6
    assert not lost_escalations
    assert store.lost == 0 and store.out_of_order == 0, store.examples


def test_a_rasa_instance_killed_under_load(cluster, postgres):
    """One Rasa instance crashes (SIGKILL) mid-load: the balancer sends everything to the
    other, conversations go on there with their history, and no message is lost (a
    message the dead instance was answering gets no answer and is sent again)."""
    load = BackgroundLoad(cluster.webhook, concurrency=8, duration=30)
    time.sleep(10)
    killed_at = time.monotonic()
    cluster.kill("rasa-1")
    result = load.join()
    store = check_store(postgres.url, result.sent_by_sender())
    began = killed_at - 10  # load started about 10 s before the kill
    spanning = {t.sender for t in result.turns if t.started < killed_at - began} & \
        {t.sender for t in result.turns if t.started > killed_at - began}
    report("one of two Rasa instances killed", result, store,
           f"; {len(spanning)} conversations went on across the kill")
    assert spanning, "no conversation spanned the kill"
    assert result.summary()["errors"] == 0
    # a conversation the dead instance held waits at most the lock's lifetime (15 s)
    assert result.summary()["max_ms"] < 20_000
    assert store.lost == 0 and store.out_of_order == 0, store.examples
