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
    # numbers in words, apostrophes left out
    ("thirty eight and a bit", "38 and a bit"), ("ninety nine point five F", "99.5 f"),
    ("37 point 8", "37.8"), ("a hundred and one", "101"), ("my little one", "my little one"),
    ("whats", "what's"), ("theyre gone", "they're gone"), ("backache", "back ache"),
])
def test_normalise(typed, expected):
    assert normalise(typed) == expected


ESCALATES_REGRESSIONS = [
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
]


CALM_REGRESSIONS = [
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
]


# Fourth round: the families of wording behind the second independent set, and look-alikes
# that must stay calm.
ESCALATES_FOURTH_ROUND = [
    ("temp is thirty eight point two", "emergency"),
    ("37 and a bit on the thermometer", "urgent"),  # between 37 and 38: read as 37.5, escalate
    ("4 pads already since lunch", "emergency"),
    ("bump keeps tightening every few minutes", "emergency"),
    ("the jab spot is red and getting bigger", "urgent"),
    ("YELLOW STUFF COMING OUT OF THE NEEDLE BIT", "urgent"),
    ("I came round on the kitchen floor", "emergency"),
    ("some days I just want to fall asleep forever", "emergency"),
    ("I'm nothing but a burden to my family", "emergency"),
    ("my trousers are soaked and it's definitely not wee", "emergency"),
    ("I can't remember when I last felt him move", "emergency"),
    ("not felt him squirm all day", "emergency"),
    ("there's green stuff in my knickers", "urgent"),
    ("bleeding heavily and my mum reckons it's fine", "emergency"),  # an opinion, not "it stopped"
    ("temp was up on sunday and it hasn't been back to normal since", "emergency"),
    ("my nose is bleeding and I'm bleeding from down below too", "emergency"),
    ("nothing stops the bleeding", "emergency"),  # "nothing" negates only the next word
    ("baby's gone quiet, normally she's kicking like mad by now", "emergency"),
    ("my temp, it's 38 today", "emergency"),  # "it's N today" is a reading when her temp is named
    ("I'm exhausted and I passed out in the shop", "emergency"),
    ("I took an overdose as a teenager and I'm thinking about it again now", "emergency"),
    ("what should a woman do if she bleeds? I'm bleeding now", "emergency"),
]


CALM_FOURTH_ROUND = [
    "I came round to my mum's for tea",
    "the jab site is fine",
    "I'd sleep forever if I could, so tired lol",  # tiredness, not a wish to die
    "I could sleep for a week",
    "sorry to be a burden with all my questions",
    "whatever the results say, I've made my peace with it",
    "I've written a letter to my employer about leave",
    "I can't remember the last time I had a proper night's sleep",
    "I bought 3 pads today",
    "I'm thirty eight weeks today",
    "we're thirty nine miles from the hospital",
    "it cost 100.50 for parking",
    "it's 38 degrees in Seville this week, can I fly?",
    "the flat is absolutely freezing, can I bring a blanket?",
    "I passed out as soon as my head hit the pillow and slept 10 hours",
    "nipples leaking a bit of yellowy stuff",
    "neck ache from sleeping funny",
    "my pants smell of fabric softener",
    "heavy bleeding after amnio happened to my friend, she said it was scary",
    "she was quiet all morning but she's kicking like mad now",
    "at uni I was suicidal but that's behind me now",
    "I have green stuff coming out of my nose",
    "blood when I blow my nose",
    "what do women do if they bleed after amnio?",
    "nothing's leaking, I'm just paranoid",
]


# Fifth round: the families of wording behind the third independent set, and look-alikes
# that must stay calm.
ESCALATES_FIFTH_ROUND = [
    # her own report after a general question: "mine" is her baby, her cramps
    ("Do most women feel the baby move less after? Mine's been really quiet since yesterday.", "emergency"),
    ("do most babies go quiet before birth? mine has gone really quiet", "emergency"),
    ("mine hasn't moved since last night", "emergency"),
    ("is cramping common after amnio, mine started an hour ago", "urgent"),
    ("How long does cramping normally last after the procedure? it's been 6 hours", "urgent"),
    ("How long does cramping normally last? I've had it since lunch", "urgent"),
    ("how long will my cramping last? it's been 6 hours", "urgent"),
    # temperatures read without a temperature word: a measuring cue, or "and a bit" after 35-42
    ("thirty eight and a bit this morning, took it twice", "emergency"),
    ("38 this morning, took it twice", "emergency"),
    ("37 and a half, checked it again", "urgent"),
    ("37 and a bit, probably nothing but thought I'd check", "urgent"),
    ("38 and a bit", "emergency"),
    # heavier than a period, with or without a blood word
    ("Yes, it's heavier than a period now.", "emergency"),
    ("it's more than my period", "emergency"),
    ("worse than a normal period and soaking through", "emergency"),
    ("bleeding lighter than a normal period", "urgent"),
    # more than she expected outranks "a bit"
    ("There's a bit more blood than I thought there'd be after the test.", "emergency"),
    ("a little more bleeding than I expected", "emergency"),
    # needle site gone "pussy"
    ("my wife's needle site has gone all pussy overnight", "urgent"),
    ("the plaster bit looks a bit pusy", "urgent"),
    ("needle hole is full of pus", "urgent"),
    ("the jab site is weeping", "urgent"),
]


CALM_FIFTH_ROUND = [
    "I'm 38 and a bit nervous",
    "I'm 38 and a bit nervous about tomorrow",
    "38 and a half weeks",
    "37 and a half weeks",
    "she's 37 and a bit of a worrier",
    "I'm 36 and a half weeks, took it easy today",
    "I'm 37, took it in my stride",
    "took it twice, 39 quid for parking",
    "we're 38 miles away, I checked it on the map",
    "How long does cramping normally last after the procedure?",
    "how long do cramps last after amnio?",
    "how long does bleeding usually last after amnio",
    "how long should I wait before having a bath?",
    "how common is bleeding after amnio? mine's on tuesday",
    "Do women bleed after amnio? Mine's been booked for next week",
    "is cramping common after amnio, mine's been fine so far",
    "does amnio hurt? I've had it done before",
    "how painful is amnio? it's been 3 days since mine",
    "mine is still at school",
    "Mine's been fine, kicking lots",
    "my dog is weeping",
]


@pytest.mark.parametrize("text, escalate", [
    ("I'm 38 and a half, is amnio recommended at my age?", False),
    ("I'm 39 and a half and my screening came back high risk", False),
    ("I am 38 years old, first baby", False),
    ("my temp is 38 and a half", True),
    ("I'm 38 and a half on the thermometer", True),
    ("38.5 this morning", True),
])
def test_an_age_is_not_a_temperature(text, escalate):
    assert get_detector().detect(text).escalate is escalate


@pytest.mark.parametrize("text,severity",
                         ESCALATES_REGRESSIONS + ESCALATES_FOURTH_ROUND + ESCALATES_FIFTH_ROUND)
def test_escalates_with_its_severity(detect, text, severity):
    result = detect(text)
    assert result.escalate and result.severity == severity, result.as_dict()


# Issue 4's evaluation round: general questions that named a symptom.
CALM_SIXTH_ROUND = [
    "cn the amnio give u an infection or is it rare",
    "what if the needle hurts our baby? I couldn't live with that",
    "I've been reading forums about bleeding and infections after amnio, how common is it?",
    "they took loads of blood at booking and said I'm O negative, do I need the jab?",
]
ESCALATES_SIXTH_ROUND = [
    "I read about leaking and now I'm leaking too",
    "been reading stories about bleeding after amnio and now im bleeding",
    "they took blood this morning and now I'm bleeding from down there",
    "the needle site hurts my tummy so much, it's getting worse",
]


@pytest.mark.parametrize("text", ESCALATES_SIXTH_ROUND)
def test_sixth_round_escalates(text):
    assert get_detector().detect(text).escalate, text


@pytest.mark.parametrize("text", CALM_REGRESSIONS + CALM_FOURTH_ROUND + CALM_FIFTH_ROUND + CALM_SIXTH_ROUND)
def test_stays_calm(detect, text):
    assert not detect(text).escalate, detect(text).as_dict()
