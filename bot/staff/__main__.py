"""Runs the staff web app: `python -m bot.staff --port 8090` (waitress, a production WSGI
server). Listens on 127.0.0.1 unless --host says otherwise: put it behind the clinic's
HTTPS reverse proxy and set STAFF_COOKIE_SECURE=1 there."""
from __future__ import annotations

import argparse
import logging

from waitress import serve

from bot.staff.app import create_app


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.staff", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    app = create_app()
    print(f"Staff app on http://{args.host}:{args.port}/ (create the first admin with "
          "`python -m bot.cli create-admin NAME`)", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="staff")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
