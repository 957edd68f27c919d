"""The staff web app in a real browser (Playwright driving Debian's headless Chromium),
on the conversations the running assistant stored: an admin signs in, finds the escalated
conversation, acknowledges it and exports; a signed-out visitor and a reviewer cannot
reach admin pages; message text with HTML or script is shown as text.

Screenshots go to reports/browser/staff-*.png.
"""
import contextlib
import csv
import io
import os
import subprocess
import sys
import uuid

import pytest
import requests

from bot.servers import _stop, _wait_for, free_port
from bot.staff import accounts
from tests.conftest import ROOT
from tests.e2e.conftest import contract, wait_until
from tests.e2e.test_widget_browser import CHROMIUM_ARGS, SHOTS, chromium_path

pytestmark = pytest.mark.e2e

playwright_api = pytest.importorskip("playwright.sync_api")

ADMIN, REVIEWER, PASSWORD = "staff.admin", "staff.reviewer", "browser test passphrase"
ATTACK = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
PERSONAL = ("Hi, my name is Sarah Jones, my number is 07700 900123 and email "
            "sarah.jones@example.com. Does an amnio hurt?")


@pytest.fixture(scope="module")
def staff_url(e2e, tmp_path_factory):
    accounts.create_user(ADMIN, PASSWORD, "admin", e2e.db_url)
    accounts.create_user(REVIEWER, PASSWORD, "reviewer", e2e.db_url)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=e2e.db_url, PYTHONPATH=str(ROOT),
               STAFF_SECRET_KEY=uuid.uuid4().hex * 2)
    process = subprocess.Popen([sys.executable, "-m", "bot.staff", "--port", str(port)],
                               cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_for(f"http://127.0.0.1:{port}/login", [process], 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop([process])


@pytest.fixture(scope="module")
def escalated(e2e):
    """A conversation with an emergency escalation, and one whose text is an attack."""
    sender = f"browser-{uuid.uuid4().hex[:8]}"
    e2e.say("hello", sender=sender)
    assert contract(e2e.say("I'm bleeding heavily since the amnio", sender=sender))["severity"] == "emergency"
    attacker = f"browser-{uuid.uuid4().hex[:8]}"
    e2e.say(ATTACK + " does it hurt?", sender=attacker)
    e2e.say(PERSONAL, sender=f"{sender}-personal")
    from sqlalchemy import select

    from bot.db import Escalation, session_scope

    def recorded():
        with session_scope(e2e.db_url) as session:
            return session.execute(select(Escalation.id).where(
                Escalation.conversation_id == sender)).scalar_one_or_none()
    escalation_id = wait_until(recorded)
    assert escalation_id, "the escalation was not recorded"
    return sender, attacker, escalation_id


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def sign_in(page, staff_url, username):
    page.goto(f"{staff_url}/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Conversations").wait_for()


def test_admin_finds_the_escalation_acknowledges_it_and_exports(browser, staff_url, escalated):
    sender, _, escalation_id = escalated
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, staff_url, ADMIN)
    page.get_by_label("escalated").check()
    page.get_by_label("Search").fill(sender)
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name=sender).click()
    page.get_by_role("heading", name=f"Conversation {sender}").wait_for()
    body = page.locator("main").inner_text()
    assert "I'm bleeding heavily since the amnio" in body
    assert "red_flag_emergency" in body and "red_flag.emergency@v" in body
    page.screenshot(path=str(SHOTS / "staff-transcript.png"), full_page=True)

    page.get_by_role("link", name="Open the escalation queue").click()
    row = page.locator("tr", has=page.get_by_role("link", name=sender))
    row.get_by_label(f"Note for escalation {escalation_id}").fill("Phoned the patient; coming in")
    row.get_by_role("button", name=f"Acknowledge #{escalation_id}").click()
    page.get_by_text(f"Escalation #{escalation_id} acknowledged.").wait_for()
    row = page.locator("tr", has=page.get_by_role("link", name=sender))
    assert "acknowledged" in row.inner_text() and f"ack. {ADMIN}" in row.inner_text()
    assert "Phoned the patient; coming in" in row.inner_text()
    page.screenshot(path=str(SHOTS / "staff-escalations.png"), full_page=True)

    page.get_by_role("link", name="Export").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Escalations CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    exported = next(r for r in rows if r["conversation"] == sender)
    assert (exported["status"], exported["acknowledged_by"], exported["severity"]) == (
        "acknowledged", ADMIN, "emergency")
    page.get_by_role("link", name="Audit log").click()
    log = page.locator("main").inner_text()
    assert "view_transcript" in log and "escalation_acknowledged" in log and "export_escalations" in log
    page.screenshot(path=str(SHOTS / "staff-audit.png"), full_page=True)
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_function(  # every plot drawn and loaded
        "() => document.images.length === 4 && [...document.images].every(i => i.complete && i.naturalWidth > 0)",
        timeout=30_000)
    page.screenshot(path=str(SHOTS / "staff-dashboard.png"), full_page=True)
    context.close()


def test_signed_out_visitors_and_reviewers_cannot_reach_admin_pages(browser, staff_url):
    for path in ("/admin/users", "/admin/audit", "/export"):
        assert requests.get(staff_url + path, allow_redirects=False).status_code == 302
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{staff_url}/admin/users")
    page.get_by_role("heading", name="Sign in").wait_for()  # sent to sign in
    sign_in(page, staff_url, REVIEWER)
    assert page.get_by_role("link", name="Users").count() == 0
    for path in ("/admin/users", "/admin/audit", "/export", "/export/escalations.csv"):
        response = page.goto(staff_url + path)
        assert response.status == 403, path
        assert page.get_by_role("heading", name="Not allowed").is_visible()
    page.screenshot(path=str(SHOTS / "staff-reviewer-refused.png"))
    context.close()


@contextlib.contextmanager
def transcript_for_reviewer(browser, staff_url, sender):
    """A reviewer's page showing one conversation's transcript."""
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, staff_url, REVIEWER)
        page.goto(f"{staff_url}/conversations/{sender}")
        yield page
    finally:
        context.close()


def test_message_text_with_html_or_script_is_shown_as_text(browser, staff_url, escalated):
    _, attacker, _ = escalated
    with transcript_for_reviewer(browser, staff_url, attacker) as page:
        assert ATTACK in page.locator(".transcript li.user .text").first.inner_text()
        assert page.locator("main img, main script").count() == 0
        assert page.evaluate("() => window.__pwned") is None


def test_staff_see_stored_text_redacted(browser, staff_url, escalated):
    sender, _, _ = escalated
    with transcript_for_reviewer(browser, staff_url, f"{sender}-personal") as page:
        shown = page.locator(".transcript li.user .text").first.inner_text()
        assert "[name]" in shown and "[phone]" in shown and "[email]" in shown, shown
        for personal in ("Sarah", "Jones", "07700 900123", "sarah.jones@example.com"):
            assert personal not in page.content()
        assert "Does an amnio hurt?" in shown
        assert "pain" in page.locator(".transcript li.bot").first.inner_text()  # answered as usual
        page.screenshot(path=str(SHOTS / "staff-redacted.png"))
