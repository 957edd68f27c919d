"""Is a webhook request really from the app? Each check is False for a missing or wrong
signature; the channels then answer 403 and neither read nor answer the message.

- Telegram sends, in X-Telegram-Bot-Api-Secret-Token, the secret_token our setWebhook
  call registered.
- Twilio signs the public webhook URL and the form fields with the account's auth token
  (HMAC-SHA1, X-Twilio-Signature). The URL is the one configured in Twilio, not the one
  this server sees behind a proxy.
- Meta signs the raw body with the app secret (HMAC-SHA256, X-Hub-Signature-256).
  Rasa 3.6's Messenger channel checks only the older SHA-1 header, and with whatever
  hash the header names.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any, Optional

from twilio.request_validator import RequestValidator


def _bytes(text: str) -> bytes:
    """A header's value as bytes to compare. Sanic keeps bytes that are not UTF-8 as lone
    surrogates ("surrogateescape"), which a strict encode() raised on: a 500 for a header
    of garbage instead of the 403."""
    return text.encode("utf-8", "surrogatepass")


def telegram_secret_ok(secret_token: str, header: Optional[str]) -> bool:
    return bool(secret_token) and hmac.compare_digest(_bytes(header or ""), _bytes(secret_token))


def twilio_signature_ok(auth_token: str, webhook_url: str, form: Any,
                        header: Optional[str]) -> bool:
    """`form`: the request's form fields (a dict, or Sanic's dict of lists)."""
    if not (auth_token and webhook_url and header):
        return False
    return RequestValidator(auth_token).validate(webhook_url, form, header)


def messenger_signature(app_secret: str, body: bytes) -> str:
    """The X-Hub-Signature-256 value Meta sends with `body`."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def messenger_signature_ok(app_secret: str, body: bytes, header: Optional[str]) -> bool:
    return bool(app_secret) and hmac.compare_digest(_bytes(header or ""),
                                                    _bytes(messenger_signature(app_secret, body)))
