"""The classifiers read messages without personal details; the safety layer reads them as
typed and puts the original text back."""
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.personal_details import ORIGINAL_TEXT, PersonalDetailsMasker, for_classifiers
from bot.nlu.safety_override import SafetyOverride


def test_classifiers_read_the_question_without_the_details():
    assert for_classifiers("my name is Hannah Smith, my hospital number is 4857773456, how "
                           "long does it take to get results") == (
        "my name is , my hospital number is , how long does it take to get results")
    masked = for_classifiers("This is Mei (DOB 1990-02-11). how is the test done")
    assert "1990" not in masked and masked.endswith("how is the test done")
    assert for_classifiers("does it hurt at 16 weeks?") == "does it hurt at 16 weeks?"
    assert for_classifiers("07700 900123") == "07700 900123"  # nothing else left: as typed


def _message(text, intent="pain", confidence=0.9):
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}], add_to_output=True)
    return message


def test_the_safety_layer_reads_the_original_and_restores_it():
    typed = "this is Priya Patel, call me on 07700 900456, I'm bleeding heavily since the amnio"
    message = Message({TEXT: typed})
    PersonalDetailsMasker().process([message])
    assert message.get(ORIGINAL_TEXT) == typed
    assert "07700" not in message.get(TEXT) and "Priya" not in message.get(TEXT)
    assert "bleeding heavily" in message.get(TEXT)
    message.set(INTENT, {"name": "pain", "confidence": 0.6}, add_to_output=True)
    message.set("intent_ranking", [{"name": "pain", "confidence": 0.6}], add_to_output=True)
    SafetyOverride().process([message])
    assert message.get(TEXT) == typed  # what the parse data, actions and store see
    assert message.get(INTENT)["name"] == "red_flag_emergency"


def test_messages_without_details_are_left_alone():
    message = _message("when will I get my results?", "results")
    PersonalDetailsMasker().process([message])
    assert message.get(ORIGINAL_TEXT) is None
    SafetyOverride().process([message])
    assert message.get(TEXT) == "when will I get my results?"
    assert message.get(INTENT)["name"] == "results"
