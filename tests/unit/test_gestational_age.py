import pytest

from bot.gestational_age import find_gestational_age


@pytest.mark.parametrize("text,weeks", [
    ("13 weeks", 13), ("I'm 14+3", 14), ("week 16", 16), ("4 months pregnant", 17),
    ("13+5 weeks, can i do amnio now", 13), ("could i do it sooner, like at 13?", 13),
    ("and at 16?", 16), ("im twenty weeks", 20), ("14 wks", 14), ("3 months", 13),
    ("is it safe at 12 weeks and 2 days", 12),
])
def test_finds_the_week(text, weeks):
    assert find_gestational_age(text).weeks == weeks


@pytest.mark.parametrize("text", [
    "results take 2 weeks", "can i fly 2 weeks after amnio", "my 4 month old baby",
    "in 2 weeks", "bleeding for 3 weeks", "what is amnio", "call at 10 am", "i am 38",
    "why not before 15 weeks", "risks of amnio under 14 weeks", "is it done after 15+0",
])
def test_ignores_durations_and_other_numbers(text):
    assert find_gestational_age(text) is None
