"""The sign-off checks on the curated answers (bot/answer_checks.py): the real answers
pass them in every jurisdiction, and each check fails on an answer that breaks it."""
import dataclasses
import datetime as dt

import pytest

from bot.answer_checks import check_answers, grade, miscarriage_figures
from bot.answers_yaml import read_answer_specs
from bot.clinic import load_clinic_config

SPECS = read_answer_specs()
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def clinic():
    return load_clinic_config()


def test_the_curated_answers_pass_every_check(clinic):
    problems = check_answers(SPECS, clinic, today=TODAY)
    assert not problems, "\n".join(map(str, problems))


def test_every_answer_names_reviewer_dates_version_and_sources():
    for spec in SPECS:
        assert spec.reviewed_by and spec.reviewed_on <= TODAY < spec.review_due, spec.key
        assert spec.version >= 1 and spec.sources, spec.key


def _checks(specs, clinic, **kwargs):
    return {(p.check, p.answer.split(" ")[0]) for p in check_answers(specs, clinic, today=TODAY, **kwargs)}


def _with(key, **changes):
    return [dataclasses.replace(s, **changes) if s.key == key else s for s in SPECS]


def test_missing_topic_fails(clinic):
    specs = [s for s in SPECS if s.topic != "twins"]
    assert ("coverage", "twins") in _checks(specs, clinic)


def test_topic_missing_in_one_jurisdiction_fails(clinic):
    specs = [s for s in SPECS if s.key != "miscarriage_risk.us"]
    problems = check_answers(specs, clinic, today=TODAY)
    assert [str(p) for p in problems] == [
        "miscarriage_risk: coverage: no answer for this topic in US"]


def test_answer_without_sources_fails(clinic):
    assert ("sources", "pain") in _checks(_with("pain", sources=[]), clinic)


def test_answer_past_its_review_date_fails(clinic):
    overdue = _with("pain", reviewed_on=TODAY - dt.timedelta(days=400),
                    review_due=TODAY - dt.timedelta(days=1))
    assert ("review date", "pain") in _checks(overdue, clinic)


def test_answer_above_grade_8_fails(clinic):
    dense = ("Amniocentesis constitutes an invasive diagnostic intervention characterised by "
             "transabdominal ultrasonographically guided aspiration of amniotic fluid, "
             "facilitating cytogenetic, molecular and biochemical investigation of "
             "chromosomal aneuploidies and monogenic disorders.")
    assert grade(dense) > 8
    assert ("reading grade", "what_is_amnio") in _checks(_with("what_is_amnio", text=dense), clinic)


@pytest.mark.parametrize("phrase", ["There is no risk to the baby.", "The test is 100% safe.",
                                    "It is completely safe."])
def test_promises_of_safety_fail(clinic, phrase):
    spec = next(s for s in SPECS if s.key == "pain")
    assert ("wording", "pain") in _checks(_with("pain", text=spec.text + " " + phrase), clinic)


def test_two_answers_with_different_miscarriage_figures_fail(clinic):
    decision = next(s for s in SPECS if s.key == "decision")
    old_figure = decision.text + " The test causes a miscarriage in about 1 in 100 women."
    problems = check_answers(_with("decision", text=old_figure), clinic, today=TODAY)
    assert {(p.check, p.answer) for p in problems} == {
        ("miscarriage figures", "decision [UK]"), ("miscarriage figures", "decision [US]")}
    assert "1 in 100" in str(problems[0])


def test_changing_the_reference_figure_alone_fails(clinic):
    """miscarriage_risk says 'below 0.5%'; if it said 1%, twins-free answers quoting 0.5%
    would disagree: here decision quotes the old reference figure."""
    risk = next(s for s in SPECS if s.key == "miscarriage_risk")
    decision = next(s for s in SPECS if s.key == "decision")
    specs = [dataclasses.replace(s, text=risk.text.replace("below 0.5%", "below 1%"))
             if s.key == "miscarriage_risk" else
             dataclasses.replace(s, text=decision.text + " The extra risk of miscarriage is below 0.5%.")
             if s.key == "decision" else s for s in SPECS]
    assert ("miscarriage figures", "decision") in _checks(specs, clinic, only_jurisdictions=["UK"])


def test_figures_are_read_with_their_context():
    assert miscarriage_figures(
        "The extra risk caused by the test is likely to be below 0.5%. That is about 1 in 200 "
        "or less. Fluid may leak after about 1 to 2% of tests.") == {"procedure": {"0.5%", "1 in 200"}}
    assert miscarriage_figures("With twins the extra risk of miscarriage is around 1%.") == {"twins": {"1%"}}
    assert miscarriage_figures("Before 15 weeks pregnancy loss was 7.6% compared with 5.9%.") == \
        {"early": {"7.6%", "5.9%"}}
    assert miscarriage_figures("Severe infection happens in fewer than 1 in 1,000 tests.") == {}


def test_other_jurisdictions_words_fail(clinic):
    spec = next(s for s in SPECS if s.key == "pain")
    uk_words = _with("pain", text=spec.text + " You can take paracetamol.")
    problems = check_answers(uk_words, clinic, today=TODAY)
    assert [(p.check, p.answer) for p in problems] == [("jurisdiction wording", "pain [US]")]
    us_words = _with("pain", text=spec.text + " You can take Tylenol.")
    assert [(p.check, p.answer) for p in check_answers(us_words, clinic, today=TODAY)] == \
        [("jurisdiction wording", "pain [UK]")]
