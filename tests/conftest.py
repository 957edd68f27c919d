from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def db_url(tmp_path):
    """A fresh SQLite database for one test."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def clinic():
    from bot.clinic import ClinicConfig

    return ClinicConfig(clinic_name="Test Clinic", daytime_phone="0100 000 111",
                        emergency_phone="0100 000 999", hours="Mon-Fri 9-5",
                        crisis_line="Test Crisis Line 0800 000")


@pytest.fixture
def loaded_kb(db_url, clinic):
    from bot.knowledge_base import KnowledgeBase, load_answers

    load_answers(url=db_url)
    return KnowledgeBase(clinic, url=db_url)
