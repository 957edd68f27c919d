"""Telling the clinic about an escalation: an HTTP webhook (JSON) and e-mail (SMTP).

Configured in clinic.yml under `notifications:`; each setting can be overridden by an
environment variable (named beside it in clinic.yml). A channel without its settings is
off, and so is one whose address is "off" (ESCALATION_WEBHOOK_URL=off, SMTP_HOST=off). Each notifier's `send()` raises on failure; the relay retries and records attempts.
The patient's message leaves the machine with personal details redacted (stored messages
already are; this also covers rows stored before redaction existed).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Dict, List, Optional

import requests
import yaml

from bot.privacy.redaction import redact
from bot.settings import CLINIC_CONFIG_PATH

SIGNATURE_HEADER = "X-Assistant-Signature"
OFF = "off"


@dataclass(frozen=True)
class NotificationSettings:
    webhook_url: Optional[str] = None
    webhook_secret: Optional[str] = None
    smtp_host: Optional[str] = None
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | ssl | none
    smtp_username: Optional[str] = None
    smtp_password: Optional[str] = None
    email_from: Optional[str] = None
    email_to: tuple = ()
    email_includes_message: bool = False
    staff_url: Optional[str] = None
    max_attempts: int = 12
    timeout_seconds: float = 10.0
    clinic_name: str = ""


# setting -> environment variable
ENVIRONMENT = {
    "webhook_url": "ESCALATION_WEBHOOK_URL",
    "webhook_secret": "ESCALATION_WEBHOOK_SECRET",
    "smtp_host": "SMTP_HOST",
    "smtp_port": "SMTP_PORT",
    "smtp_security": "SMTP_SECURITY",
    "smtp_username": "SMTP_USERNAME",
    "smtp_password": "SMTP_PASSWORD",
    "email_from": "ESCALATION_EMAIL_FROM",
    "email_to": "ESCALATION_EMAIL_TO",
    "email_includes_message": "ESCALATION_EMAIL_INCLUDES_MESSAGE",
    "staff_url": "STAFF_URL",
    "max_attempts": "ESCALATION_MAX_ATTEMPTS",
}


def _as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def load_notification_settings(path: Optional[Path] = None) -> NotificationSettings:
    path = Path(path or os.environ.get("CLINIC_CONFIG", CLINIC_CONFIG_PATH))
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    section = raw.get("notifications") or {}
    values: Dict[str, object] = {}
    for name, variable in ENVIRONMENT.items():
        value = os.environ.get(variable) or section.get(name)  # empty in the environment: unset
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        values[name] = value
    for channel in ("webhook_url", "smtp_host"):  # "off" turns a configured channel off
        if str(values.get(channel, "")).strip().lower() == OFF:
            del values[channel]
    try:
        if "smtp_port" in values:
            values["smtp_port"] = int(values["smtp_port"])
        if "max_attempts" in values:
            values["max_attempts"] = max(1, int(values["max_attempts"]))
    except ValueError as error:
        raise ValueError(f"notifications in {path}: {error}") from error
    if "email_to" in values:
        recipients = values["email_to"]
        if isinstance(recipients, str):
            recipients = [part.strip() for part in recipients.split(",")]
        values["email_to"] = tuple(r for r in recipients if r)
    if "email_includes_message" in values:
        values["email_includes_message"] = _as_bool(values["email_includes_message"])
    security = str(values.get("smtp_security", "starttls")).lower()
    if security not in ("starttls", "ssl", "none"):
        raise ValueError(f"notifications.smtp_security in {path} must be starttls, ssl or none")
    values["smtp_security"] = security
    if values.get("smtp_host") and not (values.get("email_from") and values.get("email_to")):
        raise ValueError(f"notifications in {path}: smtp_host is set, so email_from and "
                         "email_to are needed too")
    values["clinic_name"] = str(raw.get("clinic_name") or "")
    return NotificationSettings(**values)


class WebhookNotifier:
    """POSTs the escalation as JSON; with a secret, signs the body (HMAC-SHA256)."""

    channel = "webhook"

    def __init__(self, settings: NotificationSettings):
        self.url = settings.webhook_url
        self.secret = settings.webhook_secret
        self.timeout = settings.timeout_seconds

    def send(self, escalation: dict) -> None:
        escalation = {**escalation, "message": redact(escalation.get("message") or "")}
        body = json.dumps({"event": "escalation", "escalation": escalation},
                          ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json",
                   "Idempotency-Key": f"escalation-{escalation['id']}"}
        if self.secret:
            digest = hmac.new(self.secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers[SIGNATURE_HEADER] = f"sha256={digest}"
        response = requests.post(self.url, data=body, headers=headers, timeout=self.timeout)
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"webhook answered HTTP {response.status_code}")


def _subject(escalation: dict, clinic_name: str) -> str:
    if escalation["kind"] == "handoff":
        what = "Patient asked to speak to someone"
    else:
        what = f"{(escalation.get('severity') or 'red flag').upper()}: patient reported a concerning symptom"
    return f"[{clinic_name or 'Assistant'}] {what} (#{escalation['id']})"


class EmailNotifier:
    """Sends a short e-mail to the clinic's escalation address(es).

    By default the patient's words are left out (e-mail is often not a safe place for
    them): the staff link and the conversation id lead to the transcript.
    """

    channel = "email"

    def __init__(self, settings: NotificationSettings):
        self.settings = settings

    def compose(self, escalation: dict) -> EmailMessage:
        s = self.settings
        message = EmailMessage()
        message["Subject"] = _subject(escalation, s.clinic_name)
        message["From"] = s.email_from
        message["To"] = ", ".join(s.email_to)
        lines = [
            f"Escalation #{escalation['id']} at {escalation.get('reported_at')} (UTC)",
            f"Kind: {escalation['kind']}",
            f"Severity: {escalation.get('severity') or '-'}",
            f"Symptoms: {', '.join(escalation.get('symptoms') or []) or '-'}",
            f"Conversation: {escalation['conversation_id']}",
            f"Channel: {escalation.get('input_channel') or '-'}",
        ]
        if s.email_includes_message:
            lines.append(f"Message: {redact(escalation.get('message') or '')}")
        if s.staff_url:
            lines.append(f"Open: {s.staff_url.rstrip('/')}/escalations/{escalation['id']}")
        if escalation.get("severity") == "emergency":
            lines.append("")
            lines.append("The patient was told to call the emergency line now.")
        message.set_content("\n".join(lines) + "\n")
        return message

    def send(self, escalation: dict) -> None:
        s = self.settings
        message = self.compose(escalation)
        if s.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.timeout_seconds,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.timeout_seconds)
        with client:
            if s.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if s.smtp_username:
                client.login(s.smtp_username, s.smtp_password or "")
            client.send_message(message)


@dataclass
class Notifiers:
    by_channel: Dict[str, object] = field(default_factory=dict)
    max_attempts: int = 12

    @property
    def channels(self) -> List[str]:
        return sorted(self.by_channel)


def build_notifiers(settings: NotificationSettings) -> Notifiers:
    notifiers: Dict[str, object] = {}
    if settings.webhook_url:
        notifiers["webhook"] = WebhookNotifier(settings)
    if settings.smtp_host:
        notifiers["email"] = EmailNotifier(settings)
    return Notifiers(notifiers, settings.max_attempts)
