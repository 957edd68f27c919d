"""Talk to the running assistant in a terminal (`make shell`), through its REST channel."""
from __future__ import annotations

import argparse
import sys
import uuid

import requests


def show(replies: list) -> None:
    for reply in replies:
        if reply.get("text"):
            print(f"\nassistant> {reply['text']}")
        custom = reply.get("custom")
        if isinstance(custom, dict):
            flag = f"  ESCALATED ({custom.get('severity') or 'request for a person'})" \
                if custom.get("escalate") else ""
            print(f"  [topic: {custom.get('topic')}  answer: {custom.get('answer_id')}]{flag}")
            for source in custom.get("sources") or []:
                print(f"  source: {source.get('title')} <{source.get('url')}>")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:5005")
    args = parser.parse_args(argv)
    webhook = args.url.rstrip("/") + "/webhooks/rest/webhook"
    sender = f"shell-{uuid.uuid4().hex[:8]}"
    print(f"Talking to {args.url} as {sender}. Empty line or Ctrl-D to quit.")
    while True:
        try:
            text = input("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not text:
            return 0
        try:
            response = requests.post(webhook, json={"sender": sender, "message": text}, timeout=60)
            response.raise_for_status()
        except requests.ConnectionError:
            print(f"The assistant is not running at {args.url}: start it with `make run` "
                  "in another terminal.", file=sys.stderr)
            return 1
        except requests.RequestException as error:
            print(f"The assistant could not answer: {error}", file=sys.stderr)
            continue
        show(response.json())


if __name__ == "__main__":
    sys.exit(main())
