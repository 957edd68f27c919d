"""Detector behaviour that the table does not show: findings, robustness, crisis."""
import pytest

from bot.safety import get_detector
from bot.safety.intents import intent_for
from bot.safety.normalise import normalise


@pytest.fixture(scope="module")
def detect():
    return get_detector().detect


def test_empty_and_huge_input(detect):
    assert not detect("").escalate
    assert not detect("   ").escalate
    assert detect("hello " * 20000 + " bleeding heavily").escalate is False  # beyond 5,000 chars
    assert detect("bleeding heavily " + "x" * 100000).severity == "emergency"


def test_odd_characters_do_not_crash(detect):
    for text in ["\x00\x01 bleeding", "🙁🙁🙁", "مرحبا", "<script>alert(1)</script>", "'; DROP TABLE x;--"]:
        detect(text)


def test_findings_explain_the_decision(detect):
    result = detect("no bleeding but i have a fever")
    statuses = {f.code: f.status for f in result.findings}
    assert statuses == {"bleeding": "negated", "fever": "present"}
    assert result.symptoms == ["fever"]


def test_partner_report_is_marked(detect):
    finding = detect("my wife is bleeding")
    assert finding.escalate and finding.present[0].reported_by_partner


def test_hypothetical_is_marked_and_escalates(detect):
    result = detect("what if I get a fever?")
    assert result.escalate and result.present[0].hypothetical


def test_self_harm_is_a_crisis(detect):
    result = detect("since we lost the baby I want to die")
    assert result.is_crisis and result.severity == "emergency"
    assert intent_for(result) == "red_flag_crisis"


def test_intents_follow_severity(detect):
    assert intent_for(detect("a little spotting today")) == "red_flag_urgent"
    assert intent_for(detect("soaking a pad every hour")) == "red_flag_emergency"
    assert intent_for(detect("when do results come")) is None


@pytest.mark.parametrize("typed,expected", [
    ("BLEADING", "bleeding"), ("feaver", "fever"), ("im", "i'm"), ("cramping", "cramping"),
    ("fewer", "fewer"), ("bleeeding", "bleeding"),
    ("im leekin", "i'm leaking"), ("pased out", "passed out"), ("hihg", "high"), ("mornin", "morning"),
    ("lightheded", "lightheaded"), ("cousin", "cousin"),
])
def test_normalise(typed, expected):
    assert normalise(typed) == expected


@pytest.mark.parametrize("text,severity", [
    ("i have hay fever and a high temperature", "emergency"),  # an exclusion stays local
    ("i panic at the sight of blood and now i'm bleeding heavily", "emergency"),
    ("if the pain gets really bad, where do I go?", "emergency"),
    ("no bleeding, no leaking, but I just want to die", "emergency"),  # commas end a negation
    ("I had spotting in my first pregnancy, and now I'm spotting again", "urgent"),
    ("my sister had her amnio today and now she's leaking fluid", "emergency"),
    ("can i get help, i'm bleeding heavily", "emergency"),
    ("my wife's discharge has gone yellow and smells off", "urgent"),
    ("I'm leaking and my friend says it's normal", "emergency"),  # her own report, someone else's opinion
    ("my waters went and my friend is driving me in", "emergency"),
    ("my friend is with me, she's just fainted", "emergency"),
    ("the spotting stopped but it came back this morning", "urgent"),  # a resolved mention revived
    ("my temp is 38.5 and it's hot outside", "emergency"),  # the weather is another clause
    ("what's the point of carrying on now my baby's gone", "emergency"),  # a loss is not "resolved"
    ("I don't see the point of living anymore", "emergency"),
])
def test_regressions_that_escalate(detect, text, severity):
    result = detect(text)
    assert result.escalate and result.severity == severity, result.as_dict()


@pytest.mark.parametrize("text", [
    "can i take antihistamines for hay fever in pregnancy",
    "my girlfriend wants to know if the needle test is painful",
    "does amnio mix my blood with the baby's blood?",
    "sorry, my pen leaked ink everywhere, what was the clinic's address?",
    "with my son, eight years ago, my waters went at 30 weeks",
    "the pink spotting was only on the day of the test, it's been clear for 4 days now",
    "had a little spotting the day of my amnio 3 weeks ago, nothing since",
    "high chance result from my blood screening, is that why i was offered amnio?",
    "i have a low pain threshold, how much will amnio hurt",
    "can I eat hard and soft cheeses?",
    "the kitchen is flooding, can I reschedule?",
    "my phone hit the floor and the screen cracked",
    "my mum will join us at the appointment",
    "can my husband join me for the scan?",
    "what's the point of the second scan?",
    "should I take all my tablets in the morning?",
    "I'm sick of living out of a suitcase",
    "my baby is still in the breech position",
    "my head is swimming with all this information",
    "the temperature's up to 30 outside, will the clinic be cool?",
    "I had a fever last pregnancy, will I get one again?",
    "I had spotting in 2019 and I had it again in 2021",
    "it's been clear ever since the spotting last week",
    "my sister told me I'll get cramps",
])
def test_regressions_that_do_not_escalate(detect, text):
    assert not detect(text).escalate, detect(text).as_dict()
