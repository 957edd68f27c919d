"""A local load balancer in front of several servers: HAProxy (Debian's package, found or
installed by scripts/find-haproxy), as a clinic would put nginx or a cloud balancer in
front of its Rasa instances.

Requests go round robin, so consecutive messages of one conversation reach different
instances (the shared tracker store and lock store keep them in order). A server that
refuses two health checks in a row (it has died) is taken out within about two seconds,
one merely busy only after 10 s without an answer; a request whose
connection to a server fails is sent to another one (`retry-on conn-failure`, safe for a
POST: nothing reached the dead server). A request a server was processing when it died
is not retried by the balancer (it may have been half done): the client sees 502/504.
"""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Dict, List, Sequence

from bot.settings import PROJECT_ROOT


def haproxy_path() -> str:
    found = subprocess.run([str(PROJECT_ROOT / "scripts" / "find-haproxy")], check=True,
                           capture_output=True, text=True)
    return found.stdout.strip()


def haproxy_config(frontends: Dict[int, Sequence[int]], health_paths: Dict[int, str],
                   timeout_seconds: int = 120) -> str:
    """Listen on each frontend port and balance over its backend ports (all on 127.0.0.1);
    health_paths gives each frontend's health-check path."""
    lines = [
        "global",
        "    maxconn 4096",
        "defaults",
        "    mode http",
        "    timeout connect 2s",
        # a server busy answering is slow to answer its health check too: only one that
        # does not answer for 10 s, or refuses the connection (dead), is taken out
        "    timeout check 10s",
        f"    timeout client {timeout_seconds}s",
        f"    timeout server {timeout_seconds}s",
        "    retries 3",
        "    option redispatch 1",
        "    retry-on conn-failure",
        "",
    ]
    for port, backends in frontends.items():
        lines += [
            f"frontend in_{port}",
            f"    bind 127.0.0.1:{port}",
            f"    default_backend servers_{port}",
            f"backend servers_{port}",
            "    balance roundrobin",
            f"    option httpchk GET {health_paths[port]}",
            "    default-server inter 1s fall 2 rise 1",
        ]
        lines += [f"    server s{backend} 127.0.0.1:{backend} check" for backend in backends]
        lines.append("")
    return "\n".join(lines)


def haproxy_command(config_path: Path) -> List[str]:
    """HAProxy in the foreground (-db) with this configuration."""
    return [haproxy_path(), "-db", "-f", str(config_path)]
