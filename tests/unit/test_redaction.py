"""Personal details are redacted from patients' messages before they are stored, and
nothing clinical is lost: tables of details that must go and of ordinary phrasing that
must stay, every patient message of the test data, and the time it takes."""
import json
import re
import time

import pytest
import yaml

from bot.privacy.redaction import redact, redaction, warm_up
from tests.conftest import DATA

POSITIVES = [
    # phone numbers
    ("call me on 07700 900123", "call me on [phone]", "phone"),
    ("my mobile is +44 7700 900123", "my mobile is [phone]", "phone"),
    ("+44 (0)7700 900123 after 5", "[phone] after 5", "phone"),
    ("07700900123", "[phone]", "phone"),
    ("(555) 010-0199 is my cell", "[phone] is my cell", "phone"),
    ("reach me at 555-010-0199.", "reach me at [phone].", "phone"),
    ("555.010.0199", "[phone]", "phone"),
    ("+1 555 010 0199", "[phone]", "phone"),
    ("home: 020 7946 0000", "home: [phone]", "phone"),
    ("0161 496 0000 or +33 1 23 45 67 89", "[phone] or [phone]", "phone"),
    ("my NHS number is 485 777 3456", "my NHS number is [id number]", "id_number"),
    ("hospital no: 4857773456", "hospital no: [id number]", "id_number"),
    ("NI number AB 12 34 56 C", "NI number [id number]", "id_number"),
    ("SSN 078-05-1120", "SSN [id number]", "id_number"),
    # e-mail addresses
    ("email sarah@example.com please", "email [email] please", "email"),
    ("Sarah.Jones+clinic@mail.example.co.uk", "[email]", "email"),
    # dates of birth and full dates
    ("DOB 12/03/1990", "DOB [date of birth]", "date_of_birth"),
    ("I was born on 3 March 1990", "I was born on [date of birth]", "date_of_birth"),
    ("my date of birth is 1990-03-12", "my date of birth is [date of birth]", "date_of_birth"),
    ("date of birth: 3rd of March, 1990", "date of birth: [date of birth]", "date_of_birth"),
    ("born in March 1990", "born in [date of birth]", "date_of_birth"),
    ("d.o.b. 12.03.90", "d.o.b. [date of birth]", "date_of_birth"),
    ("my birthday is 3 May", "my birthday is [date of birth]", "date_of_birth"),
    ("the scan was on 14/11/2024 at 10am", "the scan was on [date] at 10am", "date"),
    ("booked for March 3, 2025", "booked for [date]", "date"),
    # postcodes, ZIP codes, addresses
    ("I live in SW1A 1AA", "I live in [postcode]", "postcode"),
    ("postcode m1 1ae", "postcode [postcode]", "postcode"),
    ("EC1A1BB", "[postcode]", "postcode"),
    ("my zip is 90210", "my zip is [zip code]", "zip_code"),
    ("Beverly Hills, CA 90210", "Beverly Hills, CA [zip code]", "zip_code"),
    ("90210-1234", "[zip code]", "zip_code"),
    ("I live at 12 Acacia Avenue", "I live at [address]", "address"),
    # names people give
    ("my name is Sarah Jones", "my name is [name]", "name"),
    ("Hi, my name is sarah jones and I'm 16 weeks", "Hi, my name is [name] and I'm 16 weeks",
     "name"),
    ("my name's Grace", "my name's [name]", "name"),
    ("Name: Priya", "Name: [name]", "name"),
    ("I'm Sarah", "I'm [name]", "name"),
    ("im sarah", "im [name]", "name"),
    ("i am Sarah Jones, 20 weeks", "i am [name], 20 weeks", "name"),
    ("I’m Aisha and I’m worried", "I’m [name] and I’m worried", "name"),
    ("I'M SARAH", "I'M [name]", "name"),
    ("this is Sarah", "this is [name]", "name"),
    ("Hi it's Emma", "Hi it's [name]", "name"),
    ("call me Sarah", "call me [name]", "name"),
    ("I'm called Jo", "I'm called [name]", "name"),
    ("Sarah here, quick question", "[name] here, quick question", "name"),
    ("my partner Tom is worried", "my partner [name] is worried", "name"),
    ("my husband, Mohammed, asked", "my husband, [name], asked", "name"),
    ("Dr Patel said it was fine", "Dr [name] said it was fine", "name"),
    ("this is Sarah's partner", "this is [name]'s partner", "name"),
    ("ok thanks Sarah x", "ok thanks [name] x", "name"),
]

NEGATIVES = [
    "I'm scared", "I'm 14 weeks", "I'm bleeding", "I'm Rh negative", "I'm rh neg", "I'm not sure",
    "I'm so worried", "I am pregnant", "im having cramps", "this is my first pregnancy",
    "call me back", "can someone call me today", "call me asap", "please call me Monday",
    "I'm O negative", "I'm GBS positive", "I'm Catholic", "I'm English", "im leekin fluid",
    "I'm bleedin", "Im crampng", "I'm devastated", "I'm 38", "I'm 14+3", "I'm at week 16",
    "I'm due in June", "I'm Anti-D sensitised", "is this Edwards syndrome?", "is this Down's?",
    "this is Braxton Hicks right", "my husband said it's fine", "my husband doesnt agree",
    "my midwife said 1 in 200", "Dr said 0.5%", "the doctor told me", "thanks so much",
    "thank you doctor", "thanks again!", "Anyone here?", "my temp is 38.5C", "took 15-20 ml",
    "14+3 weeks", "week 16", "at 10am", "at 10:30", "between 15 and 20 weeks",
    "weeks 15 16 17 18 19 20", "temps 38.5 37.9 38.1 38.4", "T21 2nd trimester",
    "1 in 10000 risk", "£1200 for private NIPT", "my BMI is 31.5", "3 pads in 2 hours",
    "since 12 March", "on the 3rd", "my baby was born at 28 weeks", "born sleeping in 2019",
    "I'm Polish and my english not so good", "im so sorry", "im ok now", "I am in London",
]


@pytest.fixture(scope="module", autouse=True)
def vocabulary():
    warm_up()


@pytest.mark.parametrize("text, expected, kind", POSITIVES)
def test_personal_details_are_replaced_by_markers(text, expected, kind):
    result = redaction(text)
    assert result.text == expected
    assert result.kinds == {kind}
    assert redact(result.text) == result.text  # redacting again changes nothing


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_and_clinical_phrasing_is_left_alone(text):
    assert redact(text) == text


def test_the_message_of_the_issue():
    text = ("Hi, my name is Sarah Jones, my number is 07700 900123 and email "
            "sarah@example.com — does an amnio hurt?")
    result = redaction(text)
    assert result.text == ("Hi, my name is [name], my number is [phone] and email [email] "
                           "— does an amnio hurt?")
    assert result.kinds == {"name", "phone", "email"}


def test_offsets_of_the_original_move_to_the_redacted_text():
    text = "I'm Sarah Jones, at 16 weeks"
    result = redaction(text)
    start = text.index("16 weeks")
    moved = result.position(start)
    assert result.text[moved:result.position(start + 8, end=True)] == "16 weeks"
    inside = text.index("Jones")
    assert result.position(inside) == result.text.index("[name]")
    assert result.position(inside, end=True) == result.text.index("[name]") + len("[name]")
    assert result.scrub("Sarah Jones") == "[name]" and result.scrub("bleeding") == "bleeding"


# ------------------------------------------------------------------ real patient phrasing

MEDICAL = re.compile(
    r"\b\w*(?:bleed|blood|clot|fluid|leak|water|fever|temp|pain|cramp|ache|hurt|spot|week|wk"
    r"|baby|babies|move|moving|kick|amnio|needle|miscar|risk|result|scan|sick|vomit|faint"
    r"|dizz|swell|shiver|pad|discharge|contraction|rh|anti)\w*", re.IGNORECASE)


def patient_messages(style=None):
    """The patient messages of our evaluation set and safety table; with `style`, only the
    evaluation turns of that style."""
    messages = []
    for line in (DATA / "eval_conversations.jsonl").read_text().splitlines():
        messages += [turn["text"] for turn in json.loads(line)["turns"]
                     if style is None or turn.get("style") == style]
    if style is not None:
        return messages
    cases = yaml.safe_load((DATA / "red_flag_cases.yml").read_text())["cases"]
    return messages + [case["text"] for case in cases]


def test_no_patient_message_of_the_test_data_loses_a_medical_word(capsys):
    messages = patient_messages()
    touched = []
    for text in messages:
        result = redaction(text)
        assert sorted(MEDICAL.findall(result.text)) == sorted(MEDICAL.findall(text)), text
        if result.changed:
            touched.append((text, result.text))
    with capsys.disabled():
        print(f"\nredaction: {len(touched)} of {len(messages)} patient messages touched")
        for before, after in touched:
            print(f"  {before!r}\n   -> {after!r}")
    # Checked by eye: a wife's name ("my wife, Ana") and an address ("38 Station Road"),
    # besides the questions written full of personal details (style personal_details).
    written_with_details = set(patient_messages("personal_details"))
    assert len([t for t, _ in touched if t not in written_with_details]) <= 5


def test_numbers_survive_in_every_patient_message():
    """Only details go: every number of a message is still there unless it was part of one."""
    for text in patient_messages():
        result = redaction(text)
        if not result.kinds & {"phone", "date", "date_of_birth", "postcode", "zip_code",
                               "address", "id_number"}:
            assert re.findall(r"\d+", result.text) == re.findall(r"\d+", text), text


# ------------------------------------------------------------------ speed

def _long_message(messages, length=5000):
    text, index = "", 0
    while len(text) < length:
        text += messages[index % len(messages)] + " "
        index += 1
    return text[:length]


@pytest.mark.parametrize("shape", ["patients", "details", "digits", "names", "at signs", "cues"])
def test_a_5000_character_message_takes_a_few_milliseconds(shape):
    text = {
        "patients": _long_message(patient_messages()),
        "details": ("Hi I'm Sarah, 07700 900123, DOB 12/03/1990, SW1A 1AA, s@example.com. " * 80),
        "digits": "1 " * 2500,
        "names": "I'm Sarah Jones " * 320,
        "at signs": "a@" * 2500,
        "cues": "my name is " * 460,
    }[shape][:5000]
    redact(text)
    started = time.perf_counter()
    for _ in range(5):
        redact(text)
    assert (time.perf_counter() - started) / 5 < 0.05  # ~3-8 ms here; generous for slow CI
