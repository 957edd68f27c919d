"""The staff web app through Flask's test client, on conversations stored by Rasa's own
SQL tracker store: sign-in, roles, CSRF, session expiry, the conversation list and its
filters, transcripts (escaped, audited), the escalation queue, corrections and their
export, CSV exports and the dashboard."""
import asyncio
import csv
import datetime as dt
import io
import re
import time

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.db import AuditEntry, Escalation, StaffUser, init_db, session_scope
from bot.staff import accounts, labels, summaries
from bot.staff.app import create_app
from bot.staff.passwords import WeakPassword

ADMIN, REVIEWER, PASSWORD = "admin.one", "reviewer.one", "a long enough passphrase"
NOW = time.time()


def _contract(topic, escalate=False, severity=None, answer_id=None, basis="model",
              confidence=0.9):
    return {"custom": {"topic": topic, "escalate": escalate, "severity": severity,
                       "answer_id": answer_id or f"{topic}@v1", "sources": [],
                       "basis": basis, "confidence": confidence}}


def _store_conversation(db_url, sender, turns, at=NOW):
    """turns: (user text, parse data, bot text, contract)"""
    store = SQLTrackerStore(domain=Domain.empty(), host=db_url)
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, slots=[])
    for index, (text, parse, reply, contract) in enumerate(turns):
        tracker.update(UserUttered(text, parse_data={**parse, "text": text}, input_channel="rest",
                                   message_id=f"{sender}-{index}", timestamp=at + 2 * index))
        tracker.update(BotUttered(reply, data=contract, timestamp=at + 2 * index + 1))
    asyncio.run(store.save(tracker))
    store.engine.dispose()


@pytest.fixture
def staff(db_url, monkeypatch):
    monkeypatch.setenv("STAFF_SECRET_KEY", "test-secret-key-" + "x" * 32)
    init_db(db_url)
    accounts.create_user(ADMIN, PASSWORD, "admin", db_url)
    accounts.create_user(REVIEWER, PASSWORD, "reviewer", db_url)
    _store_conversation(db_url, "patient-pain", [
        ("does it hurt?", {"intent": {"name": "pain", "confidence": 0.93}},
         "Most people feel a sting.", _contract("pain", confidence=0.93))])
    _store_conversation(db_url, "patient-bleeding", [
        ("hello", {"intent": {"name": "greeting", "confidence": 0.99}}, "Hello!",
         _contract("greeting", confidence=0.99)),
        ("<script>alert(1)</script> I'm bleeding a lot",
         {"intent": {"name": "red_flag_emergency", "confidence": 1.0},
          "red_flag": {"escalate": True, "severity": "emergency", "symptoms": ["heavy_bleeding"]}},
         "Please call 999 now.", _contract("red_flag", True, "emergency", "red_flag.emergency@v1",
                                           basis=None, confidence=None))])
    _store_conversation(db_url, "patient-unsure", [
        ("wat abt the thing", {"intent": {"name": "nlu_fallback", "confidence": 0.2}},
         "Sorry, I did not understand.", _contract("fallback", confidence=0.2)),
        ("parking?", {"intent": {"name": "clinic_contact", "confidence": 0.41}},
         "You can call us.", _contract("clinic_contact", confidence=0.41))],
        at=NOW - 40 * 86400)
    with session_scope(db_url) as session:
        session.add(Escalation(conversation_id="patient-bleeding", kind="red_flag",
                               message="I'm bleeding a lot", symptoms=["heavy_bleeding"],
                               severity="emergency", source_key="patient-bleeding:1",
                               created_at=dt.datetime.utcnow() - dt.timedelta(minutes=5)))
        session.add(Escalation(conversation_id="patient-other", kind="handoff",
                               message="can I talk to a nurse", source_key="patient-other:0"))
    app = create_app(db_url, testing=True)
    return app, db_url


def csrf(client, path="/login"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def signed_in(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": csrf(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def test_pages_need_signing_in(staff):
    app, _ = staff
    client = app.test_client()
    for path in ("/", "/conversations", "/conversations/patient-pain", "/escalations",
                 "/dashboard", "/export", "/admin/users", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_wrong_password_and_missing_csrf_token_are_refused(staff):
    app, db_url = staff
    client = app.test_client()
    wrong = client.post("/login", data={"username": ADMIN, "password": "not it at all",
                                        "csrf_token": csrf(client)})
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.get_data(as_text=True)
    no_token = client.post("/login", data={"username": ADMIN, "password": PASSWORD})
    assert no_token.status_code == 400
    client = signed_in(app, ADMIN)
    change = client.post("/escalations/1", data={"status": "acknowledged"})  # no token
    assert change.status_code == 400
    with session_scope(db_url) as session:
        assert session.get(Escalation, 1).status == "open"


def test_passwords_are_hashed_with_argon2id_and_weak_ones_refused(staff):
    _, db_url = staff
    with session_scope(db_url) as session:
        stored = [u.password_hash for u in session.query(StaffUser)]
    assert all(h.startswith("$argon2id$") for h in stored)
    with pytest.raises(WeakPassword):
        accounts.create_user("short.pw", "tooshort", "reviewer", db_url)
    with pytest.raises(accounts.AccountError):
        accounts.create_user(ADMIN, PASSWORD + "!", "reviewer", db_url)
    admin = accounts.authenticate(ADMIN, PASSWORD, db_url)
    with pytest.raises(accounts.AccountError, match="last active admin"):
        accounts.set_active(admin.id, False, db_url)


def test_a_reviewer_cannot_reach_admin_pages(staff):
    app, _ = staff
    client = signed_in(app, REVIEWER)
    for path in ("/admin/users", "/admin/audit", "/export", "/export/conversations.csv",
                 "/export/escalations.csv"):
        assert client.get(path).status_code == 403, path
    token = csrf(client, "/conversations")
    assert client.post("/export/training", data={"csrf_token": token}).status_code == 403
    assert client.post("/admin/users", data={"csrf_token": token, "username": "x.y.z",
                                             "password": PASSWORD, "role": "admin"}).status_code == 403
    assert client.get("/conversations").status_code == 200


def test_sessions_expire(staff, monkeypatch):
    app, _ = staff
    app.permanent_session_lifetime = dt.timedelta(seconds=1)
    client = signed_in(app, REVIEWER)
    assert client.get("/conversations").status_code == 200
    time.sleep(2.1)
    response = client.get("/conversations")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_conversation_list_markers_and_filters(staff):
    app, _ = staff
    client = signed_in(app, REVIEWER)
    page = client.get("/conversations").get_data(as_text=True)
    assert "3 conversations" in page
    assert "emergency" in page and "fallback ×1" in page and "low confidence 0.20" in page

    def listed(query):
        html = client.get("/conversations?" + query).get_data(as_text=True)
        return set(re.findall(r'href="/conversations/([^"]+)"', html))

    assert listed("escalated=1") == {"patient-bleeding"}
    assert listed("fallback=1") == {"patient-unsure"}
    assert listed("low_confidence=1") == {"patient-unsure"}
    assert listed("topic=pain") == {"patient-pain"}
    assert listed("q=BLEEDING") == {"patient-bleeding"}
    assert listed("q=patient-pain") == {"patient-pain"}
    recent = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    assert listed(f"from={recent}") == {"patient-pain", "patient-bleeding"}
    assert listed("from=not-a-date&topic=nonsense") == {"patient-pain", "patient-bleeding",
                                                         "patient-unsure"}


def test_summaries_catch_up_incrementally(staff):
    app, db_url = staff
    assert summaries.refresh(db_url) > 0
    assert summaries.refresh(db_url) == 0  # nothing new
    _store_conversation(db_url, "patient-pain", [
        ("and the results?", {"intent": {"name": "results", "confidence": 0.8}},
         "About 3 days.", _contract("results", confidence=0.8))], at=NOW + 100)
    assert summaries.refresh(db_url) == 2  # the new user and bot messages only
    rows, _ = summaries.find(summaries.Filters(topic="results"), url=db_url)
    assert [(r.sender_id, r.user_messages) for r in rows] == [("patient-pain", 2)]


def test_transcript_shows_what_was_understood_and_answered_escaped_and_audited(staff):
    app, db_url = staff
    client = signed_in(app, REVIEWER)
    html = client.get("/conversations/patient-bleeding").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; I&#39;m bleeding a lot" in html
    assert "<script>alert(1)" not in html
    assert "red_flag_emergency" in html and "(1.00)" in html
    assert "heavy_bleeding" in html and "red_flag.emergency@v1" in html
    assert "greeting@v1" in html and "(0.99)" in html
    assert client.get("/conversations/nobody").status_code == 404
    with session_scope(db_url) as session:
        views = [(a.username, a.action, a.target) for a in session.query(AuditEntry)
                 .filter(AuditEntry.action == "view_transcript")]
    assert views == [(REVIEWER, "view_transcript", "patient-bleeding")]
    admin = signed_in(app, ADMIN)
    assert "patient-bleeding" in admin.get("/admin/audit").get_data(as_text=True)


def test_escalation_queue_emergencies_first_acknowledge_and_resolve_with_note(staff):
    app, db_url = staff
    client = signed_in(app, REVIEWER)
    html = client.get("/escalations").get_data(as_text=True)
    assert html.index("Acknowledge #1") < html.index("Acknowledge #2")  # emergency first
    assert "5 min" in html  # how long it has waited
    token = csrf(client, "/escalations")
    client.post("/escalations/1", data={"status": "acknowledged", "note": "Called her back",
                                        "csrf_token": token})
    client.post("/escalations/1", data={"status": "resolved", "csrf_token": token})
    with session_scope(db_url) as session:
        row = session.get(Escalation, 1)
        assert (row.status, row.acknowledged_by, row.closed_by, row.note) == (
            "resolved", REVIEWER, REVIEWER, "Called her back")
        assert row.acknowledged_at and row.closed_at
    assert "Acknowledge #1" not in client.get("/escalations").get_data(as_text=True)
    bad = client.post("/escalations/1", data={"status": "deleted", "csrf_token": token},
                      follow_redirects=True)
    assert "status must be" in bad.get_data(as_text=True)


def _user_event_id(db_url, sender, text):
    from bot.staff.events import transcript
    return next(t.event_id for t in transcript(sender, db_url) if t.kind == "user" and t.text == text)


def test_corrections_are_exported_as_rasa_nlu_data_and_safety_cases(staff, tmp_path):
    app, db_url = staff
    client = signed_in(app, REVIEWER)
    token = csrf(client, "/conversations/patient-unsure")
    parking = _user_event_id(db_url, "patient-unsure", "parking?")
    vague = _user_event_id(db_url, "patient-unsure", "wat abt the thing")
    client.post("/conversations/patient-unsure/label",
                data={"event_id": parking, "correction": "clinic_contact", "csrf_token": token})
    client.post("/conversations/patient-unsure/label",
                data={"event_id": vague, "correction": "missed_red_flag", "severity": "urgent",
                      "csrf_token": token})
    refused = client.post("/conversations/patient-unsure/label", follow_redirects=True,
                          data={"event_id": vague, "correction": "missed_red_flag",
                                "csrf_token": token})
    assert "how urgent" in refused.get_data(as_text=True)
    written = labels.export_training(tmp_path, url=db_url)
    assert (written["examples"], written["missed_red_flags"]) == (1, 1)
    nlu = RasaYAMLReader().reads(written["nlu"].read_text())
    assert [(m.get("intent"), m.get("text")) for m in nlu.intent_examples] == [
        ("clinic_contact", "parking?")]
    cases = yaml.safe_load(written["red_flag_cases"].read_text())["cases"]
    assert cases[0]["text"] == "wat abt the thing" and cases[0]["severity"] == "urgent"
    assert labels.export_training(tmp_path, url=db_url)["examples"] == 0  # exported once


def test_csv_exports_for_a_date_range_are_audited_and_safe_in_spreadsheets(staff):
    app, db_url = staff
    with session_scope(db_url) as session:
        session.get(Escalation, 2).message = "=HYPERLINK(\"http://evil\")"
    client = signed_in(app, ADMIN)
    today = dt.date.today().isoformat()
    response = client.get(f"/export/escalations.csv?from={today}&to={today}")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["id"] for r in rows} == {"1", "2"}
    assert next(r for r in rows if r["id"] == "2")["message"].startswith("'=")
    conversations = client.get("/export/conversations.csv").get_data(as_text=True)
    assert "patient-unsure" in conversations and "heavy" not in conversations
    recent = client.get(f"/export/conversations.csv?from={today}").get_data(as_text=True)
    assert "patient-unsure" not in recent and "patient-pain" in recent
    with session_scope(db_url) as session:
        actions = {a.action for a in session.query(AuditEntry)}
    assert {"export_escalations", "export_conversations"} <= actions


def test_dashboard_counts_and_plots(staff):
    app, _ = staff
    client = signed_in(app, REVIEWER)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "<b>2</b> conversations" in html and "<b>3</b> patient messages" in html
    for name in ("messages", "topics", "fallback_rate", "escalations"):
        response = client.get(f"/dashboard/{name}.png")
        assert response.mimetype == "image/png" and response.data[:4] == b"\x89PNG"
    assert client.get("/dashboard/other.png").status_code == 404


def test_admin_creates_accounts(staff):
    app, db_url = staff
    client = signed_in(app, ADMIN)
    token = csrf(client, "/admin/users")
    client.post("/admin/users", data={"username": "new.reviewer", "password": PASSWORD,
                                      "role": "reviewer", "csrf_token": token})
    weak = client.post("/admin/users", follow_redirects=True, data={
        "username": "weak.one", "password": "short", "role": "reviewer", "csrf_token": token})
    assert "at least 12" in weak.get_data(as_text=True)
    assert accounts.authenticate("new.reviewer", PASSWORD, db_url).role == "reviewer"
    assert accounts.authenticate("weak.one", "short", db_url) is None


def test_an_admin_erases_a_conversation_on_request(staff):
    app, db_url = staff
    reviewer = signed_in(app, REVIEWER)
    token = csrf(reviewer, "/conversations")
    assert reviewer.post("/conversations/patient-bleeding/erase",
                         data={"confirm": "patient-bleeding", "csrf_token": token}).status_code == 403
    admin = signed_in(app, ADMIN)
    token = csrf(admin, "/conversations/patient-bleeding")
    unconfirmed = admin.post("/conversations/patient-bleeding/erase", follow_redirects=True,
                             data={"confirm": "patient", "csrf_token": token})
    assert "Type the conversation id" in unconfirmed.get_data(as_text=True)
    admin.post("/conversations/patient-bleeding/erase",
               data={"confirm": "patient-bleeding", "csrf_token": token})
    assert admin.get("/conversations/patient-bleeding").status_code == 404
    assert "patient-bleeding" not in admin.get("/conversations").get_data(as_text=True)
    with session_scope(db_url) as session:
        assert session.query(Escalation).filter(
            Escalation.conversation_id == "patient-bleeding").count() == 0
        erased = session.query(AuditEntry).filter(AuditEntry.action == "erase_conversation").one()
        assert (erased.username, erased.target) == (ADMIN, "patient-bleeding")


def test_sign_in_returns_only_to_pages_of_this_site(staff):
    app, _ = staff
    for target, expected in [("/escalations", "/escalations"), ("//evil.example/x", "/conversations"),
                             ("/\\evil.example", "/conversations"),
                             ("https://evil.example", "/conversations")]:
        client = app.test_client()
        response = client.post(f"/login?next={target}", data={
            "username": REVIEWER, "password": PASSWORD, "csrf_token": csrf(client)})
        assert response.headers["Location"] == expected, target


def test_command_line_purge_erase_create_admin_and_export(staff, monkeypatch, capsys, tmp_path):
    from bot.cli import main

    _, db_url = staff
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["purge", "--days", "30"]) == 0  # patient-unsure's last message: 40 days ago
    assert "1 conversation" in capsys.readouterr().out
    summaries.refresh(db_url)
    rows, _ = summaries.find(summaries.Filters(), url=db_url)
    assert {r.sender_id for r in rows} == {"patient-pain", "patient-bleeding"}
    monkeypatch.setenv("RETENTION_DAYS", "off")
    assert main(["purge"]) == 0 and "kept" in capsys.readouterr().out
    assert main(["erase", "patient-pain"]) == 0
    assert main(["erase", "patient-pain"]) == 1  # nothing left to erase
    capsys.readouterr()
    monkeypatch.setenv("STAFF_NEW_PASSWORD", "short")
    assert main(["create-admin", "second.admin"]) == 2
    assert "at least 12" in capsys.readouterr().err
    monkeypatch.setenv("STAFF_NEW_PASSWORD", PASSWORD)
    assert main(["create-admin", "second.admin"]) == 0
    assert accounts.authenticate("second.admin", PASSWORD, db_url).role == "admin"
    assert main(["export-training", "--out", str(tmp_path)]) == 0
    assert "0 corrected examples" in capsys.readouterr().out


def test_password_guessing_is_slowed_down(staff):
    from bot.staff.throttle import MAX_FAILURES

    app, _ = staff
    client = app.test_client()
    for _ in range(MAX_FAILURES):
        assert client.post("/login", data={"username": ADMIN, "password": "guess guess guess",
                                           "csrf_token": csrf(client)}).status_code == 401
    refused = client.post("/login", data={"username": ADMIN, "password": PASSWORD,
                                          "csrf_token": csrf(client)})
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.get_data(as_text=True)


def test_the_throttle_forgets_after_its_window():
    from bot.staff.throttle import SignInThrottle

    now = [0.0]
    throttle = SignInThrottle(max_failures=2, window=60, clock=lambda: now[0])
    throttle.failed("a.user", "10.0.0.1")
    assert throttle.wait_seconds("a.user", "10.0.0.2") is None
    throttle.failed("A.User", "10.0.0.2")
    assert throttle.wait_seconds("a.user", "10.0.0.3") == 61  # by user name, any address
    throttle.failed("other.user", "10.0.0.2")
    assert throttle.wait_seconds("third.user", "10.0.0.2") is not None  # by address
    now[0] = 61.5
    assert throttle.wait_seconds("a.user", "10.0.0.3") is None


def test_health_check_needs_no_sign_in_and_reports_the_database(staff, monkeypatch):
    """/healthz (Kubernetes' readiness probe, docs/deploy.md): "ok" without signing in
    while the database answers; 503 when it does not."""
    from sqlalchemy import create_engine

    from bot.staff import app as staff_app

    app, _ = staff
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"
    unreachable = create_engine("sqlite:////nonexistent-directory/assistant.db")
    monkeypatch.setattr(staff_app, "get_engine", lambda url=None: unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503 and "ok" not in response.get_data(as_text=True)
