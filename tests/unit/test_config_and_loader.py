"""Clinic configuration and the answer files' checks."""
import pytest

from bot.answers_yaml import AnswerFileError, read_answer_specs
from bot.clinic import load_clinic_config

GOOD = """answers:
  - key: pain
    topic: pain
    version: 1
    text: It is usually uncomfortable rather than painful. Call {daytime_phone}.
    sources: [{title: NHS, url: "https://www.nhs.uk/conditions/amniocentesis/"}]
    reviewed_by: Dr Test
    reviewed_on: 2026-11-01
    review_due: 2027-11-01
"""


def test_environment_overrides_clinic_yml(monkeypatch):
    monkeypatch.setenv("CLINIC_EMERGENCY_PHONE", "112")
    monkeypatch.setenv("CLINIC_NAME", "Elsewhere Clinic")
    clinic = load_clinic_config()
    assert clinic.emergency_phone == "112" and clinic.clinic_name == "Elsewhere Clinic"


def test_missing_setting_is_a_clear_error(tmp_path):
    path = tmp_path / "clinic.yml"
    path.write_text("clinic_name: X\ndaytime_phone: 1\nemergency_phone: 2\nhours: 9-5\n")
    with pytest.raises(ValueError, match="crisis_line"):
        load_clinic_config(path)


def test_good_file_loads(tmp_path):
    (tmp_path / "a.yml").write_text(GOOD)
    (spec,) = read_answer_specs(tmp_path)
    assert spec.key == "pain" and spec.sources[0]["title"] == "NHS"


@pytest.mark.parametrize("change,message", [
    (("topic: pain", "topic: pian"), "not a topic id"),
    (("{daytime_phone}", "{phone}"), "unknown placeholders"),
    (("    sources: [{title: NHS, url: \"https://www.nhs.uk/conditions/amniocentesis/\"}]\n", ""), "missing sources"),
    (("2026-11-01", "1st November"), "not a date"),
    (("    version: 1\n", ""), "missing version"),
    (("version: 1", "version: one"), "version must be a whole number"),
    (("version: 1\n", "version: 1\n    jurisdiction: FR\n"), "jurisdiction must be one of"),
])
def test_bad_files_are_refused_with_the_reason(tmp_path, change, message):
    (tmp_path / "a.yml").write_text(GOOD.replace(*change))
    with pytest.raises(AnswerFileError, match=message):
        read_answer_specs(tmp_path)


def test_duplicate_keys_are_refused(tmp_path):
    (tmp_path / "a.yml").write_text(GOOD)
    (tmp_path / "b.yml").write_text(GOOD)
    with pytest.raises(AnswerFileError, match="duplicate key"):
        read_answer_specs(tmp_path)


def test_jurisdiction_comes_from_clinic_yml_or_the_environment(monkeypatch):
    assert load_clinic_config().jurisdiction == "UK"
    monkeypatch.setenv("CLINIC_JURISDICTION", "us")
    clinic = load_clinic_config()
    assert clinic.jurisdiction == "US"
    assert "Tylenol" in clinic.placeholders()["painkiller"]


def test_unknown_jurisdiction_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CLINIC_JURISDICTION", "Narnia")
    with pytest.raises(ValueError, match="use one of UK, US"):
        load_clinic_config()


def test_clinic_can_give_its_own_support_contacts(monkeypatch):
    monkeypatch.setenv("CLINIC_LOSS_SUPPORT", "Call the Riverside loss team on 0100 200 300.")
    assert load_clinic_config().placeholders()["loss_support"] == \
        "Call the Riverside loss team on 0100 200 300."
