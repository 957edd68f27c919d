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


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise ValueError(f"{name} must be a whole number, not '{value}'") from error
    if number < 1:
        raise ValueError(f"{name} must be at least 1, not {number}")
    return number


def max_message_chars() -> int:
    """Longest message the channels accept (the safety detector reads 5,000 characters)."""
    return _positive_int("ASSISTANT_MAX_MESSAGE_CHARS", 5000)


def messages_per_minute() -> int:
    """Messages one sender may send in a minute before the channels ask them to wait."""
    return _positive_int("ASSISTANT_MESSAGES_PER_MINUTE", 20)


def allowed_origins() -> list:
    """Web origins whose pages may talk to the REST and socket.io channels (ALLOWED_ORIGINS,
    comma-separated, e.g. "https://www.clinic.example"; "*" allows any). None by default:
    browsers on other sites are refused; apps and servers, which send no Origin, are not."""
    return parse_origins(os.environ.get("ALLOWED_ORIGINS", ""))


def parse_origins(value: str) -> list:
    return [o.strip().rstrip("/") for o in (value or "").split(",") if o.strip()]
