"""The web chat widget in a real browser: Playwright driving Debian's headless Chromium
(scripts/find-chromium; never a downloaded browser) on the demo clinic page, served on its
own origin as a clinic's site would be, talking to the running assistant over socket.io.

Screenshots go to reports/browser/ (look at them after a change to the widget). The
figures (time to first answer) are printed with -s.
"""
import contextlib
import subprocess
import time

import pytest
from sqlalchemy import select

from bot.db import Escalation, session_scope
from bot.demo_site import demo_site
from tests.conftest import ROOT
from tests.e2e.conftest import DEMO_PORT

pytestmark = pytest.mark.e2e

playwright_api = pytest.importorskip("playwright.sync_api")

WIDGET = ROOT / "web" / "dist" / "assistant-widget.js"
SHOTS = ROOT / "reports" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
ANSWER_TIMEOUT_MS = 30_000
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    result = subprocess.run([str(ROOT / "scripts" / "find-chromium")], capture_output=True,
                            text=True)
    if result.returncode != 0:
        pytest.fail("Chromium is needed for the browser tests: " + result.stderr.strip())
    return result.stdout.strip()


@pytest.fixture(scope="module")
def demo_url(e2e):
    if not WIDGET.exists():
        pytest.fail("The widget is not built: run `make widget` (make test does).")
    with demo_site(DEMO_PORT, f"http://127.0.0.1:{e2e.servers.port}",
                   "Riverside Fetal Medicine Clinic") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextlib.contextmanager
def new_page(browser, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
        assert not errors, f"JavaScript errors on the page: {errors}"
    finally:
        context.close()


def ask(page, text: str):
    """Type a question and send it with Enter; returns the turn count before it."""
    turns = page.locator(".ca-turn").count()
    page.locator(".ca-input").fill(text)
    page.locator(".ca-input").press("Enter")
    return turns


def answer_after(page, turns_before: int):
    """The bot turn (with its reply contract) after the last question."""
    turn = page.locator(".ca-turn[data-topic]").nth(turns_before)
    turn.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return turn


def session_id(page) -> str:
    stored = page.evaluate("""() => Object.keys(sessionStorage)
        .filter(k => k.startsWith('clinic-assistant:'))
        .map(k => JSON.parse(sessionStorage.getItem(k)).sessionId)[0]""")
    assert stored, "the widget keeps its socket.io session id in sessionStorage"
    return stored


def test_question_symptom_and_history_after_reload(browser, demo_url, e2e):
    with new_page(browser, viewport={"width": 1280, "height": 800}) as page:
        started = time.perf_counter()
        page.goto(demo_url)
        page.get_by_role("button", name="Ask a question").click()
        notice = page.locator(".ca-notice")
        notice.wait_for()
        assert "not a diagnosis" in notice.inner_text()
        assert "not for emergencies" in notice.inner_text()
        assert "What is stored" in notice.inner_text()
        assert notice.locator("a[href^='tel:']").count() >= 1

        sent = time.perf_counter()
        turn = answer_after(page, ask(page, "does an amniocentesis hurt?"))
        answered = time.perf_counter()
        assert turn.get_attribute("data-topic") == "pain"
        source = turn.locator(".ca-sources a").first
        assert source.get_attribute("href").startswith("https://")
        assert source.get_attribute("target") == "_blank"
        print(f"\n[widget] first answer {1000 * (answered - started):.0f} ms after opening the "
              f"page, {1000 * (answered - sent):.0f} ms after sending the question")
        page.screenshot(path=str(SHOTS / "desktop-answer.png"))

        turn = answer_after(page, ask(page, "I'm bleeding quite a lot since the amnio and feel faint"))
        assert turn.get_attribute("data-topic") == "red_flag"
        banner = turn.locator(".ca-banner-emergency")
        assert banner.get_attribute("role") == "alert"
        calls = [a.get_attribute("href") for a in banner.locator("a.ca-call").all()]
        assert "tel:02079460999" in calls and "tel:999" in calls, calls
        page.screenshot(path=str(SHOTS / "desktop-emergency.png"))
        conversation = session_id(page)

        page.reload()
        page.locator(".ca-panel").wait_for()  # stays open, with the conversation
        assert page.locator(".ca-user").count() == 2
        assert "does an amniocentesis hurt?" in page.locator(".ca-user").first.inner_text()
        assert page.locator(".ca-banner-emergency").count() == 1
        assert page.locator(".ca-sources a").count() >= 1
        turn = answer_after(page, ask(page, "when will I get my results?"))
        assert turn.get_attribute("data-topic") == "results"
        assert session_id(page) == conversation  # the same conversation on the server
        page.screenshot(path=str(SHOTS / "desktop-after-reload.png"))

    def recorded():
        with session_scope(e2e.db_url) as session:
            return session.execute(select(Escalation).where(
                Escalation.conversation_id == conversation)).scalars().all()
    from tests.e2e.conftest import wait_until
    escalations = wait_until(recorded)
    assert escalations and escalations[0].severity == "emergency"
    assert escalations[0].input_channel == "socketio"


def test_quick_replies_and_escaped_text(browser, demo_url):
    with new_page(browser, viewport={"width": 1280, "height": 800}) as page:
        page.goto(demo_url)
        page.get_by_role("button", name="Ask a question").click()
        # asked at once, before the widget has connected: sent once it has, not dropped
        turn = answer_after(page, ask(page, "hello"))
        assert turn.get_attribute("data-topic") == "greeting"
        assert page.locator(".ca-log > *").first.get_attribute("class") == "ca-notice"
        group = page.get_by_role("group", name="Suggested questions")
        group.wait_for(timeout=ANSWER_TIMEOUT_MS)
        assert group.get_by_role("button").count() >= 3
        page.screenshot(path=str(SHOTS / "desktop-quick-replies.png"))
        before = page.locator(".ca-turn").count()
        group.get_by_role("button", name="Does it hurt?").click()
        assert answer_after(page, before).get_attribute("data-topic") == "pain"
        assert page.get_by_role("group", name="Suggested questions").count() == 0

        attack = '<img src=x onerror="window.__pwned=1"><b>bold</b>'
        answer_after(page, ask(page, attack))
        assert attack in page.locator(".ca-user").last.inner_text()
        assert page.locator(".ca-log img, .ca-log b").count() == 0
        assert page.evaluate("() => window.__pwned") is None


def focused_class(page) -> str:
    return page.evaluate("""() => {
        let el = document.activeElement;
        while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
        return el ? (el.className || el.tagName) : '';
    }""")


def focused_in_conversation(page) -> bool:
    return page.evaluate("""() => {
        const root = document.querySelector('.clinic-assistant').shadowRoot;
        return !!(root.activeElement && root.activeElement.closest('.ca-log'));
    }""")


def test_keyboard_only(browser, demo_url):
    with new_page(browser, viewport={"width": 1280, "height": 800}) as page:
        page.goto(demo_url)
        for _ in range(10):  # Tab from the top of the page to the chat button
            page.keyboard.press("Tab")
            if "ca-launcher" in focused_class(page):
                break
        assert "ca-launcher" in focused_class(page)
        page.keyboard.press("Enter")
        assert "ca-input" in focused_class(page)  # opening moves focus to the message box
        turns = page.locator(".ca-turn").count()
        page.keyboard.type("is there a risk of miscarriage?")
        page.keyboard.press("Enter")
        assert answer_after(page, turns).get_attribute("data-topic") == "miscarriage_risk"
        page.keyboard.press("Tab")
        assert "ca-send" in focused_class(page)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")  # back into the conversation: the answer's last link
        assert focused_in_conversation(page)
        page.screenshot(path=str(SHOTS / "keyboard-focus.png"))
        page.keyboard.press("Escape")  # closes, and focus returns to the chat button
        assert page.locator(".ca-panel").is_hidden()
        assert "ca-launcher" in focused_class(page)


def test_phone_sized_screen(browser, demo_url):
    with new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True,
                  device_scale_factor=2) as page:
        page.goto(demo_url)
        page.get_by_role("button", name="Ask a question").tap()
        panel = page.locator(".ca-panel")
        box = panel.bounding_box()
        assert box["width"] == PHONE["width"] and box["height"] == PHONE["height"], box
        turn = answer_after(page, ask(page, "my waters are leaking after the amnio"))
        assert turn.get_attribute("data-topic") == "red_flag"
        call = turn.locator("a.ca-call").first
        call.scroll_into_view_if_needed()
        call_box = call.bounding_box()
        assert call_box["height"] >= 44  # a finger-sized target
        assert 0 <= call_box["x"] and call_box["x"] + call_box["width"] <= PHONE["width"]
        input_box = page.locator(".ca-input").bounding_box()
        assert input_box["y"] + input_box["height"] <= PHONE["height"]
        page.screenshot(path=str(SHOTS / "phone-emergency.png"))


CONTRAST = """(selectors) => {
  const root = document.querySelector('.clinic-assistant').shadowRoot;
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => { for (; el; el = el.parentElement || el.getRootNode().host) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c; }
    return 'rgb(255, 255, 255)'; };
  return selectors.map((s) => { const el = root.querySelector(s); if (!el) return [s, null];
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(background(el)));
    return [s, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; });
}"""


def test_labels_and_contrast(browser, demo_url):
    with new_page(browser, viewport={"width": 1280, "height": 800}) as page:
        page.goto(demo_url)
        page.get_by_role("button", name="Ask a question").click()
        assert page.get_by_role("dialog", name="Riverside Fetal Medicine Clinic assistant").is_visible()
        assert page.get_by_role("textbox", name="Your message").is_visible()
        assert page.get_by_role("button", name="Close chat").is_visible()
        assert page.get_by_role("button", name="Send").is_visible()
        assert page.get_by_role("log", name="Conversation").is_visible()
        emergency = answer_after(page, ask(page, "I have a fever and chills since the amnio"))
        assert emergency.locator(".ca-banner-emergency").count() == 1, emergency.inner_text()
        urgent = answer_after(page, ask(page, "I'm spotting a bit since the amnio"))
        assert urgent.locator(".ca-banner-urgent").count() == 1, urgent.inner_text()
        answer_after(page, ask(page, "hi"))
        page.get_by_role("group", name="Suggested questions").wait_for(timeout=ANSWER_TIMEOUT_MS)
        ratios = dict(page.evaluate(CONTRAST, [
            ".ca-title", ".ca-bot", ".ca-user", ".ca-send", ".ca-notice", ".ca-sources",
            ".ca-banner-emergency strong", ".ca-banner-urgent strong", ".ca-call",
            ".ca-quick-reply", ".ca-input"]))
        print("\n[widget] contrast ratios: "
              + ", ".join(f"{k} {v:.1f}" for k, v in ratios.items() if v))
        measured = {k: v for k, v in ratios.items() if v is not None}
        assert len(measured) == len(ratios), ratios
        low = {k: round(v, 2) for k, v in measured.items() if v < 4.5}
        assert not low, f"text below WCAG AA contrast 4.5:1: {low}"


def test_an_unreachable_assistant_is_said_not_hidden(browser):
    """The script came from a cache, but the assistant is down: the patient is told, and
    pointed to the phone, instead of waiting for an answer that will not come."""
    from bot.servers import free_port

    with demo_site(free_port(), f"http://127.0.0.1:{free_port()}", "Riverside") as url, \
            new_page(browser, viewport={"width": 1280, "height": 800}) as page:
        page.route("**/assistant-widget.js", lambda route: route.fulfill(
            path=str(WIDGET), content_type="application/javascript"))
        page.goto(url)
        page.get_by_role("button", name="Ask a question").click()
        ask(page, "does it hurt?")
        status = page.get_by_role("status").filter(has_text="Cannot reach the assistant")
        status.wait_for(timeout=15_000)
        assert "phone the clinic" in status.inner_text()
        assert page.locator(".ca-typing").is_hidden()  # nothing is on its way
        assert page.locator(".ca-user").inner_text().endswith("does it hurt?")
        page.screenshot(path=str(SHOTS / "desktop-unreachable.png"))
