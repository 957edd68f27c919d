"""Where things are and how to reach the database: paths and environment settings."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ANSWERS_DIR = PROJECT_ROOT / "data" / "answers"
DOMAIN_PATH = PROJECT_ROOT / "domain.yml"
CLINIC_CONFIG_PATH = PROJECT_ROOT / "clinic.yml"
JURISDICTIONS_PATH = PROJECT_ROOT / "data" / "jurisdictions.yml"
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "assistant.db"


def database_url() -> str:
    """The database holding answers, escalations and Rasa's trackers.

    `DATABASE_URL` wins; otherwise one embedded SQLite file (`ASSISTANT_DB_PATH`
    or var/assistant.db).
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    path = Path(os.environ.get("ASSISTANT_DB_PATH", DEFAULT_DB_PATH))
    return f"sqlite:///{path}"
