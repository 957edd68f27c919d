"""Which follow-ups carry the previous turn's red flag on."""
import pytest

from bot.safety.continuation import continues_red_flag


@pytest.mark.parametrize("text", [
    "it's still happening", "yes and now it's worse", "it hasn't stopped", "no it hasn't stopped",
    "it came back", "worse", "it's getting worse", "the pain is worse now", "still there",
    "they're back", "not better", "it's back again", "nothing's changed, it's still there",
    "it's much heavier", "it still hurts", "I still feel like that",
])
def test_goes_on(text):
    assert continues_red_flag(text)


@pytest.mark.parametrize("text", [
    "ok thanks", "it's stopped now", "thank you, calling now", "what should I do?", "yes",
    "when do results come back?", "when can I have sex again?", "is it still safe to fly next week?",
    "is it still ok to have a bath?", "it's stopped, I feel better now", "",
])
def test_does_not(text):
    assert not continues_red_flag(text)
