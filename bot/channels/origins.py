"""Which web pages may use the channels, from ALLOWED_ORIGINS.

A request from a browser page carries an Origin header. The REST channel refuses a page
whose origin is not configured (403), and python-engineio refuses its socket.io
connection (400). Requests without an Origin (messaging platforms, servers, curl) are not
affected. The CORS headers themselves (and preflight requests) are Rasa's: `rasa run
--cors` with the same origins (bot.servers.rasa_command).
"""
from __future__ import annotations

from typing import Iterable, List, Optional

from sanic import response
from sanic.request import Request

from bot.settings import allowed_origins


class OriginPolicy:
    def __init__(self, origins: Optional[Iterable[str]] = None):
        self.origins: List[str] = list(origins) if origins is not None else allowed_origins()

    def allows(self, origin: Optional[str]) -> bool:
        if not origin:
            return True  # not a browser page
        return "*" in self.origins or origin.rstrip("/") in self.origins

    def refused(self, request: Request) -> Optional[response.HTTPResponse]:
        origin = request.headers.get("origin")
        if self.allows(origin):
            return None
        return response.json({"error": "origin_not_allowed",
                              "message": f"Pages on {origin} may not use this assistant. "
                                         "The clinic sets the sites allowed (ALLOWED_ORIGINS)."},
                             status=403)
