"""Clinic configuration and the answer files' checks."""
import pytest

from bot.answers_yaml import AnswerFileError, read_answer_specs
from bot.clinic import load_clinic_config

GOOD = """answers:
  - key: pain
    topic: pain
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
