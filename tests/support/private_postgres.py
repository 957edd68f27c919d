"""A PostgreSQL server of the test's own (initdb in a temporary directory, on a free
port), which the fault tests can restart without disturbing the machine's server. As
root, the server runs as the `postgres` user. Skipped where PostgreSQL's programs are
missing, but not in CI."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import List, Optional

import pytest

from bot.servers import free_port


def _bin_dir() -> Optional[Path]:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PrivatePostgres:
    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            if os.environ.get("CI"):
                raise RuntimeError("PostgreSQL's initdb not found")
            pytest.skip("PostgreSQL's initdb not found")
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="private-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres: List[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(self.as_postgres + [str(self.bin_dir / program), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _ctl(self, action: str, *extra: str) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "-t", "60", action, *extra)

    def start(self) -> "PrivatePostgres":
        self._ctl("start")
        return self

    def restart(self, mode: str = "fast") -> None:
        """Stop (fast: open connections are cut) and start again."""
        self._ctl("restart", "-m", mode)

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode)

    def close(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
