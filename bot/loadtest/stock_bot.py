"""Rasa's own example bot (`rasa init`), the reference the load benchmark measures in
the same run as ours: made and trained once in var/bench/stock-bot, served with Rasa's
plain SQL tracker store on its own database (so the nothing-lost check reads it the
same way), its REST channel, no action server and no custom components."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Dict, List

from bot.servers import BIN
from bot.settings import PROJECT_ROOT

STOCK_DIR = PROJECT_ROOT / "var" / "bench" / "stock-bot"


def stock_model(directory: Path = STOCK_DIR) -> Path:
    """The trained example bot, made with `rasa init --no-prompt` when absent (~90 s)."""
    models = sorted((directory / "models").glob("*.tar.gz")) if directory.exists() else []
    if not models:
        directory.mkdir(parents=True, exist_ok=True)
        print(f"Making Rasa's example bot in {directory} (rasa init, about 90 s)", flush=True)
        with open(directory.parent / "stock-bot-init.log", "wb") as log:
            subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir",
                            str(directory)], check=True, cwd=directory, stdout=log,
                           stderr=subprocess.STDOUT)
        models = sorted((directory / "models").glob("*.tar.gz"))
    return models[-1]


def stock_rasa_command(db_url: str, directory: Path = STOCK_DIR):
    """A function giving the `rasa run` command of the example bot for a port."""
    model = stock_model(directory)
    endpoints = directory / "endpoints-bench.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  url: {db_url}\n", encoding="utf-8")

    def command(port: int, env: Dict[str, str]) -> List[str]:
        return [str(BIN / "rasa"), "run", "--model", str(model), "--port", str(port),
                "--endpoints", str(endpoints), "--credentials",
                str(directory / "credentials.yml")]

    return command
