"""The clinic's own details (name, numbers, hours, the jurisdiction of its guidance), from
clinic.yml and the environment, and the jurisdiction's wording from data/jurisdictions.yml."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional

import yaml

from bot.settings import CLINIC_CONFIG_PATH, JURISDICTIONS_PATH

REQUIRED_FIELDS = ("clinic_name", "daytime_phone", "emergency_phone", "hours", "crisis_line")
# Jurisdiction wording a clinic may replace with its own (e.g. local support groups).
OVERRIDABLE_WORDING = ("loss_support", "decision_support")


def _env_name(name: str) -> str:
    return "CLINIC_" + name.upper().replace("CLINIC_", "")


def load_jurisdictions(path: Optional[Path] = None) -> Dict[str, Dict[str, str]]:
    """{"UK": {"guidance": ..., ...}, "US": {...}}; every jurisdiction has the same keys."""
    with open(path or JURISDICTIONS_PATH, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    wording = {name: {k: " ".join(str(v).split()) for k, v in (values or {}).items()}
               for name, values in raw.items()}
    keys = {name: set(values) for name, values in wording.items()}
    if not wording or len({frozenset(k) for k in keys.values()}) != 1:
        raise ValueError(f"{path or JURISDICTIONS_PATH}: every jurisdiction needs the same "
                         f"keys, found {sorted((n, sorted(k)) for n, k in keys.items())}")
    return wording


@dataclass(frozen=True)
class ClinicConfig:
    clinic_name: str
    daytime_phone: str
    emergency_phone: str
    hours: str
    crisis_line: str
    jurisdiction: str = "UK"
    wording: Dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def placeholders(self) -> dict:
        """Values for the {placeholders} of the curated answers."""
        wording = self.wording or load_jurisdictions()[self.jurisdiction]
        values = {k: v for k, v in wording.items() if k != "description"}
        values.update({name: getattr(self, name) for name in REQUIRED_FIELDS})
        return values

    def for_jurisdiction(self, jurisdiction: str) -> "ClinicConfig":
        """The same clinic following another country's guidance (for the answer checks)."""
        wording = load_jurisdictions()[jurisdiction]
        return ClinicConfig(**{name: getattr(self, name) for name in REQUIRED_FIELDS},
                            jurisdiction=jurisdiction, wording=wording)


def load_clinic_config(path: Optional[Path] = None) -> ClinicConfig:
    """Read clinic.yml; an environment variable CLINIC_<FIELD> overrides each field."""
    path = Path(path or os.environ.get("CLINIC_CONFIG", CLINIC_CONFIG_PATH))
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    values = {}
    for name in REQUIRED_FIELDS:
        env_name = _env_name(name)
        value = os.environ.get(env_name) or raw.get(name)
        if not value or not str(value).strip():
            raise ValueError(
                f"Clinic setting '{name}' is missing: set it in {path} or {env_name}."
            )
        values[name] = str(value).strip()
    jurisdictions = load_jurisdictions()
    jurisdiction = str(os.environ.get("CLINIC_JURISDICTION") or raw.get("jurisdiction")
                       or "UK").strip().upper()
    if jurisdiction not in jurisdictions:
        raise ValueError(f"Clinic setting 'jurisdiction' is '{jurisdiction}': use one of "
                         f"{', '.join(sorted(jurisdictions))} (in {path} or CLINIC_JURISDICTION).")
    wording = dict(jurisdictions[jurisdiction])
    for name in OVERRIDABLE_WORDING:
        value = os.environ.get(_env_name(name)) or raw.get(name)
        if value and str(value).strip():
            wording[name] = " ".join(str(value).split())
    return ClinicConfig(**values, jurisdiction=jurisdiction, wording=wording)
