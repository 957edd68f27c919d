"""A demo clinic web page with the chat widget embedded, as a clinic's own site would
embed it: served on its own port (its own origin, which must be in ALLOWED_ORIGINS),
loading the widget from the assistant's server. `make run` starts it beside the assistant.
"""
from __future__ import annotations

import contextlib
import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

from bot.settings import PROJECT_ROOT

DEMO_PAGE = PROJECT_ROOT / "web" / "demo" / "index.html"


def demo_page(assistant_url: str, clinic_name: str) -> bytes:
    """The demo page for an assistant at `assistant_url`."""
    page = DEMO_PAGE.read_text(encoding="utf-8")
    page = page.replace("{{ASSISTANT_URL}}", html.escape(assistant_url.rstrip("/"), quote=True))
    return page.replace("{{CLINIC_NAME}}", html.escape(clinic_name, quote=True)).encode("utf-8")


def _handler(page: bytes):
    class DemoPage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path.split("?")[0] not in ("/", "/index.html"):
                self.send_error(404, "Only the demo page is here: /")
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:  # quiet: the assistant's log is what matters
            pass

    return DemoPage


@contextlib.contextmanager
def demo_site(port: int, assistant_url: str, clinic_name: str,
              host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the demo page on `port` in a thread; yield its URL."""
    server = ThreadingHTTPServer((host, port), _handler(demo_page(assistant_url, clinic_name)))
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
