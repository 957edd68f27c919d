"""The clinic's own details (name, numbers, hours), from clinic.yml and the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Optional

import yaml

from bot.settings import CLINIC_CONFIG_PATH


@dataclass(frozen=True)
class ClinicConfig:
    clinic_name: str
    daytime_phone: str
    emergency_phone: str
    hours: str
    crisis_line: str

    def placeholders(self) -> dict:
        """Values for the {placeholders} of the curated answers."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def load_clinic_config(path: Optional[Path] = None) -> ClinicConfig:
    """Read clinic.yml; an environment variable CLINIC_<FIELD> overrides each field."""
    path = Path(path or os.environ.get("CLINIC_CONFIG", CLINIC_CONFIG_PATH))
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    values = {}
    for field in fields(ClinicConfig):
        env_name = "CLINIC_" + field.name.upper().replace("CLINIC_", "")
        value = os.environ.get(env_name, raw.get(field.name))
        if not value or not str(value).strip():
            raise ValueError(
                f"Clinic setting '{field.name}' is missing: set it in {path} or {env_name}."
            )
        values[field.name] = str(value).strip()
    return ClinicConfig(**values)
