"""The web widget's server side (its script, its settings, the demo page) and the quick
replies the curated answers offer. The widget itself runs in tests/e2e/test_widget_browser.py."""
import asyncio
import json

import pytest
import yaml

from actions.actions import ActionAnswer
from bot.answers_yaml import AnswerFileError, read_answer_specs
from bot.channels.widget import WidgetFiles, phone_numbers, widget_config
from bot.demo_site import demo_page
from bot.knowledge_base import pick
from bot.servers import with_demo_origins
from bot.settings import ANSWERS_DIR
from tests.unit.test_actions import run, tracker


def test_phone_numbers_are_read_from_the_clinic_settings_as_written():
    assert phone_numbers("020 7946 0999 (24 hours) or 999") == ["020 7946 0999", "999"]
    assert phone_numbers("Samaritans on 116 123 (free, 24 hours)") == ["116 123"]
    assert phone_numbers("+1 (555) 010-0199, 911") == ["+1 (555) 010-0199", "911"]
    assert phone_numbers("no number here, only 24 hours") == []


def test_widget_settings_give_the_notice_and_the_numbers(database):
    settings = widget_config()
    assert settings["clinic_name"] == "Riverside Fetal Medicine Clinic"
    assert settings["phones"]["emergency"] == ["020 7946 0999", "999"]
    assert settings["phones"]["daytime"] == ["020 7946 0000"]
    assert settings["notice_id"] == "widget_notice@v1"
    notice = settings["notice"]
    for must in ("not a diagnosis", "not for emergencies", "020 7946 0999", "What is stored"):
        assert must in notice
    assert "{" not in notice  # placeholders filled in
    assert settings["max_message_chars"] == 5000


def _call(handler):
    return asyncio.run(handler(None))


def test_widget_script_is_served_or_its_absence_said(tmp_path, database):
    script = tmp_path / "assistant-widget.js"
    files = WidgetFiles(widget_file=script)
    response = _call(files.script)
    assert response.status == 503 and b"make widget" in response.body
    script.write_text("window.ClinicAssistant = {};")
    response = _call(files.script)
    assert response.status == 200
    assert response.content_type.startswith("application/javascript")
    assert response.body == b"window.ClinicAssistant = {};"
    config = _call(files.config)
    assert config.status == 200 and json.loads(config.body)["notice_id"] == "widget_notice@v1"
    routes = {route.uri for route in files.blueprint(lambda message: None)._future_routes}
    assert routes >= {"/assistant-widget.js", "/config.json"}


def test_widget_settings_fail_politely(monkeypatch):
    def unavailable():
        raise RuntimeError("database down")

    monkeypatch.setattr("bot.channels.widget.widget_config", unavailable)
    response = _call(WidgetFiles().config)
    assert response.status == 503 and json.loads(response.body) == {"error": "unavailable"}


def test_demo_page_embeds_the_widget_from_the_assistant_and_escapes_settings():
    page = demo_page("http://localhost:5005/", 'Clinic <b>"A"</b>').decode()
    assert '<script src="http://localhost:5005/webhooks/widget/assistant-widget.js">' in page
    assert 'server: "http://localhost:5005"' in page
    assert "<b>" not in page and "Clinic &lt;b&gt;" in page
    assert "{{" not in page


def test_demo_origins_are_added_to_the_allowed_ones():
    assert with_demo_origins("", 8080) == "http://localhost:8080,http://127.0.0.1:8080"
    assert with_demo_origins("https://www.clinic.example, http://localhost:8080", 8080) == (
        "https://www.clinic.example,http://localhost:8080,http://127.0.0.1:8080")


def test_greeting_and_fallback_offer_quick_replies_as_buttons(database):
    for intent in ("greeting", "nlu_fallback"):
        messages, _ = run(ActionAnswer(), tracker("...", intent))
        buttons = messages[0]["buttons"]
        assert len(buttons) >= 3
        assert all(b["payload"] == b["title"] and not b["payload"].startswith("/")
                   for b in buttons)
    messages, _ = run(ActionAnswer(), tracker("does it hurt", "pain"))
    assert messages[0]["buttons"] == []


def _answers_with(tmp_path, change):
    """A copy of data/answers with `change` applied to the greeting answer."""
    for path in ANSWERS_DIR.glob("*.yml"):
        document = yaml.safe_load(path.read_text())
        for entry in document["answers"]:
            if entry["key"] == "greeting":
                change(entry)
        (tmp_path / path.name).write_text(yaml.safe_dump(document, sort_keys=False))
    return tmp_path


@pytest.mark.parametrize("quick_replies, problem", [
    ("Does it hurt?", "must be a list"),
    (["Does it hurt?", ""], "must be a list"),
    ([f"Question {i}?" for i in range(7)], "at most 6"),
    (["What happens if I have an amniocentesis and I am worried?"], "longer than 40"),
    (["/greeting"], "not a /command"),
    (["Does it hurt?", "Does  it hurt?"], "repeat"),
])
def test_bad_quick_replies_are_refused(tmp_path, quick_replies, problem):
    directory = _answers_with(tmp_path, lambda e: e.update(quick_replies=quick_replies))
    with pytest.raises(AnswerFileError, match=problem):
        read_answer_specs(directory)


def test_quick_replies_are_part_of_the_signed_off_content(tmp_path):
    original = {s.key: s for s in read_answer_specs()}["greeting"]
    directory = _answers_with(tmp_path, lambda e: e.update(quick_replies=["Does it hurt?"]))
    changed = {s.key: s for s in read_answer_specs(directory)}["greeting"]
    assert changed.content_hash != original.content_hash  # a change needs a new version


def test_a_topics_own_answer_comes_before_other_answers_of_the_topic():
    specs = [s for s in read_answer_specs() if s.topic == "bot_identity"]
    assert {s.key for s in specs} >= {"bot_identity", "widget_notice"}
    assert pick(list(reversed(specs)), "bot_identity").key == "bot_identity"
    assert pick(specs, "bot_identity", key="widget_notice").key == "widget_notice"
