import pytest

from bot.nlu.unintelligible import is_unintelligible


@pytest.mark.parametrize("text", ["lkjhg", "zxcvb", "so about the", "umm", "the the", "xcvbnm,./",
                                  "🙂", "?!", "and then"])
def test_nothing_to_understand(text):
    assert is_unintelligible(text)


@pytest.mark.parametrize("text", ["heya", "hi", "cheers", "ciao", "why?", "and at 16?", "16?", "pain?",
                                  "goodnight, talk later", "ok", "is it safe", "thx", "bleading",
                                  "Hiii", "should I have it or not", "what is it"])
def test_something_to_understand(text):
    assert not is_unintelligible(text)


def test_words_of_the_training_data_are_known():
    assert is_unintelligible("amnio nipt")
    assert not is_unintelligible("amnio nipt", vocabulary={"amnio"})
