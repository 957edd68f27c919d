"""The messaging apps' settings, from environment variables (docs/messaging.md).

Rasa expands `${VAR}` in credentials.yml but stops with an error when one is unset, so
our channels read their own variables instead. An app whose variables are not all set
stays off: the server starts without calling it, and its webhook answers 404 with a
clear error naming the variables to set (not a 5xx: the server works, the clinic has not
connected that app).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Tuple

from sanic import response

logger = logging.getLogger(__name__)

TELEGRAM = ("Telegram", ("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_WEBHOOK_URL"),
            {"TELEGRAM_API_URL": "https://api.telegram.org"})
WHATSAPP = ("WhatsApp (Twilio)",
            ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_NUMBER",
             "TWILIO_WEBHOOK_URL"),
            {"TWILIO_API_URL": "https://api.twilio.com"})
MESSENGER = ("Facebook Messenger",
             ("MESSENGER_VERIFY_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_PAGE_ACCESS_TOKEN"),
             {"MESSENGER_API_URL": "https://graph.facebook.com/v21.0"})


@dataclass(frozen=True)
class PlatformSettings:
    app: str                    # the app's name, for people: "Telegram"
    values: Mapping[str, str]   # variable -> value ("" when unset)
    required: Tuple[str, ...]   # the variables that must all be set

    @classmethod
    def from_env(cls, app: str, required: Tuple[str, ...], defaults: Dict[str, str],
                 environ: Optional[Mapping[str, str]] = None) -> "PlatformSettings":
        environ = os.environ if environ is None else environ
        values = {name: (environ.get(name) or "").strip() for name in required}
        values.update({name: (environ.get(name) or "").strip() or default
                       for name, default in defaults.items()})
        return cls(app, values, required)

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    @property
    def missing(self) -> List[str]:
        return [name for name in self.required if not self.values[name]]

    @property
    def configured(self) -> bool:
        return not self.missing

    def log_state(self) -> None:
        """Says at startup whether the app is on; a partial setup is a warning."""
        if self.configured:
            logger.info("%s channel is on", self.app)
        elif len(self.missing) < len(self.required):
            logger.warning("%s channel is off: %s not set", self.app, ", ".join(self.missing))

    def not_configured(self) -> response.HTTPResponse:
        needed = ", ".join(self.missing)
        return response.json({"error": "channel_not_configured",
                              "message": f"{self.app} is not configured on this server "
                                         f"(set {needed}; see docs/messaging.md)."},
                             status=404)


def telegram_settings(environ: Optional[Mapping[str, str]] = None) -> PlatformSettings:
    return PlatformSettings.from_env(*TELEGRAM, environ=environ)


def whatsapp_settings(environ: Optional[Mapping[str, str]] = None) -> PlatformSettings:
    return PlatformSettings.from_env(*WHATSAPP, environ=environ)


def messenger_settings(environ: Optional[Mapping[str, str]] = None) -> PlatformSettings:
    return PlatformSettings.from_env(*MESSENGER, environ=environ)
