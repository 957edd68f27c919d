"""Fixtures of the unit tests."""
import pytest

from bot import answering
from bot.knowledge_base import load_answers


@pytest.fixture
def database(db_url, monkeypatch):
    """The curated answers in a fresh database that the actions (and the widget's
    settings) read, with the knowledge base's cache cleared around the test."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    answering.knowledge_base.cache_clear()
    load_answers(url=db_url)
    yield db_url
    answering.knowledge_base.cache_clear()
