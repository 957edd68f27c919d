"""The database becomes unreachable while the assistant runs (PostgreSQL behind a TCP
proxy the test cuts and restores): red flags still get the escalation reply with the
numbers to call, answers come from the YAML files, and every escalation reported during
the outage is in the database once it is back."""

import pytest

from bot.db import Escalation, session_scope
from bot.knowledge_base import load_answers
from bot.servers import free_port
from tests.e2e.conftest import E2E, contract, new_sender, start_servers, text_of, wait_until
from tests.support.postgres import temporary_database
from tests.support.receivers import Receiver
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def postgres_database():
    """A new, empty database on the local PostgreSQL server, dropped afterwards."""
    with temporary_database("assistant_outage") as url:
        yield url


def test_escalations_survive_a_database_outage(postgres_database, tmp_path, capsys):
    direct_url = postgres_database.render_as_string(hide_password=False)
    load_answers(url=direct_url)
    proxy = TcpProxy(free_port(), (postgres_database.host, postgres_database.port or 5432)).start()
    through_proxy = postgres_database.set(host="127.0.0.1", port=proxy.listen_port) \
        .render_as_string(hide_password=False)
    receiver = Receiver()
    red_flags = {}
    try:
        with start_servers(through_proxy, tmp_path, receiver) as servers:
            bot = E2E(servers, direct_url, receiver)
            assert contract(bot.say("does amniocentesis hurt?"))["answer_id"] == "pain@v2"

            proxy.stop()  # the database is unreachable from here on
            for message in ["I'm bleeding heavily", "my waters went", "can I talk to a nurse",
                            "temperature 38.6 since this morning"]:
                sender = new_sender()
                replies = bot.say(message, sender)
                payload = contract(replies)
                assert payload["escalate"] is True, message
                if payload["topic"] == "red_flag":
                    assert "020 7946 0999" in text_of(replies)  # the number to call now
                red_flags[sender] = message
            payload = contract(bot.say("when do results come back?"))
            assert (payload["topic"], payload["answer_id"]) == ("results", "results@v1")
            spooled = len(list((tmp_path / "spool").glob("*.json")))
            with session_scope(direct_url) as session:
                stored = session.query(Escalation).count()

            proxy.start()  # the database is back: the relay stores what waited
            def recorded():
                with session_scope(direct_url) as session:
                    return {e.conversation_id: e.message for e in session.query(Escalation)}
            after = wait_until(lambda: recorded() == red_flags, timeout=60)
            lost = len(red_flags) - len(recorded())
            with capsys.disabled():
                print(f"\ndatabase outage: {len(red_flags)} escalations reported while it was "
                      f"down, {spooled} waited in the spool, {stored} in the database during "
                      f"the outage, {len(recorded())} after; lost {lost}")
            assert after and lost == 0
            assert contract(bot.say("does amniocentesis hurt?"))["answer_id"] == "pain@v2"
    finally:
        proxy.stop()
        receiver.close()
