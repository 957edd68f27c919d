"""Loading answers into the database (versions kept) and choosing them."""
import dataclasses

import pytest
from sqlalchemy import select

from bot.answers_yaml import read_answer_specs
from bot.db import Answer, session_scope
from bot.knowledge_base import AnswerVersionError, KnowledgeBase, load_answers


def test_load_is_idempotent(db_url):
    first = load_answers(url=db_url)
    assert first.added and not first.updated
    second = load_answers(url=db_url)
    assert not second.added and not second.updated and len(second.unchanged) == len(first.added)


def test_changed_answer_gets_new_version_and_old_is_kept(db_url, clinic):
    specs = read_answer_specs()
    load_answers(specs, url=db_url)
    changed = [dataclasses.replace(s, text=s.text + " Extra sentence.", version=3)
               if s.key == "pain" else s for s in specs]
    report = load_answers(changed, url=db_url)
    assert report.updated == ["pain"]
    with session_scope(db_url) as session:
        versions = session.execute(select(Answer).where(Answer.key == "pain")
                                   .order_by(Answer.version)).scalars().all()
        assert [(a.version, a.is_current) for a in versions] == [(2, False), (3, True)]
    chosen = KnowledgeBase(clinic, url=db_url).answer("pain")
    assert chosen.answer_id == "pain@v3" and chosen.text.endswith("Extra sentence.")


def test_removed_answer_is_retired_not_deleted(db_url):
    specs = read_answer_specs()
    load_answers(specs, url=db_url)
    report = load_answers([s for s in specs if s.key != "twins"], url=db_url)
    assert report.retired == ["twins"]
    with session_scope(db_url) as session:
        assert session.execute(select(Answer).where(Answer.key == "twins")).scalar_one()


def test_week_variants(loaded_kb):
    early = loaded_kb.answer("early_amnio_risk", week=13)
    assert early.answer_id.startswith("early_amnio_risk.weeks_13_14@") and "13" in early.text
    very_early = loaded_kb.answer("early_amnio_risk", week=11)
    assert very_early.answer_id.startswith("early_amnio_risk.before_13@")
    general = loaded_kb.answer("early_amnio_risk")
    assert general.answer_id.startswith("early_amnio_risk@") and "{week}" not in general.text
    assert loaded_kb.answer("timing", week=17).answer_id.startswith("timing.window@")


def test_clinic_placeholders_are_filled(loaded_kb, clinic):
    contact = loaded_kb.answer("clinic_contact")
    assert clinic.daytime_phone in contact.text and "{" not in contact.text


def test_database_down_answers_from_yaml(clinic, tmp_path):
    kb = KnowledgeBase(clinic, url="postgresql://nobody@127.0.0.1:1/unreachable")
    chosen = kb.answer("pain")
    assert chosen.answer_id == "pain@v2" and chosen.text


def test_severity_variants(loaded_kb):
    assert loaded_kb.answer("red_flag", severity="emergency").answer_id.startswith("red_flag.emergency@")
    assert loaded_kb.answer("red_flag", severity="urgent").answer_id.startswith("red_flag.urgent@")


def test_changed_text_without_a_new_version_is_refused(db_url):
    specs = read_answer_specs()
    load_answers(specs, url=db_url)
    changed = [dataclasses.replace(s, text=s.text + " Extra sentence.") if s.key == "pain" else s
               for s in specs]
    with pytest.raises(AnswerVersionError, match="pain .version 2."):
        load_answers(changed, url=db_url)
    with session_scope(db_url) as session:  # nothing half-loaded
        assert session.execute(select(Answer).where(Answer.key == "pain")).scalar_one().version == 2


def test_versions_only_go_up(db_url):
    specs = read_answer_specs()
    bumped = [dataclasses.replace(s, text=s.text + " New.", version=3) if s.key == "pain" else s
              for s in specs]
    load_answers(bumped, url=db_url)
    lower = [dataclasses.replace(s, text=s.text + " Other.", version=2) if s.key == "pain" else s
             for s in specs]
    with pytest.raises(AnswerVersionError, match="versions only go up"):
        load_answers(lower, url=db_url)


def test_every_version_a_patient_saw_can_be_read_back(db_url, clinic):
    """The answer id in a reply (key@vN) names one stored text, also after later edits."""
    specs = read_answer_specs()
    load_answers(specs, url=db_url)
    seen = KnowledgeBase(clinic, url=db_url).answer("pain")
    load_answers([dataclasses.replace(s, text="Rewritten.", version=s.version + 1)
                  if s.key == "pain" else s for s in specs], url=db_url)
    key, version = seen.answer_id.split("@v")
    with session_scope(db_url) as session:
        old = session.execute(select(Answer).where(Answer.key == key,
                                                   Answer.version == int(version))).scalar_one()
        assert not old.is_current and seen.text.startswith(old.text[:40])


def test_each_jurisdiction_gets_its_own_figures_and_wording(loaded_kb, clinic, db_url):
    uk = loaded_kb.answer("miscarriage_risk")
    assert uk.answer_id.startswith("miscarriage_risk@") and "below 0.5%" in uk.text
    us_kb = KnowledgeBase(clinic.for_jurisdiction("US"), url=db_url)
    us = us_kb.answer("miscarriage_risk")
    assert us.answer_id.startswith("miscarriage_risk.us@") and "0.1% to 0.3%" in us.text
    assert "0.5%" not in us.text
    assert us_kb.answer("who_is_offered").answer_id.startswith("who_is_offered.us@")
    aftercare_us = us_kb.answer("aftercare").text
    assert "Tylenol" in aftercare_us and "100.4°F" in aftercare_us and "{" not in aftercare_us
    assert "paracetamol" in loaded_kb.answer("aftercare").text
    # with the database down, the YAML fallback picks by jurisdiction too
    offline = KnowledgeBase(clinic.for_jurisdiction("US"), url="postgresql://nobody@127.0.0.1:1/x")
    assert offline.answer("miscarriage_risk").answer_id.startswith("miscarriage_risk.us@")
