"""Several Rasa instances and action servers behind a local load balancer, on one
database: the production layout of docs/deploy.md on one machine, for the load
benchmark (make bench) and the fault tests (tests/e2e/test_faults.py).

Each Rasa instance has its own escalation spool, as each pod has its own volume; with
more than one instance, REDIS_URL must be given (the shared lock store).
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from bot.loadtest.balancer import haproxy_command, haproxy_config
from bot.servers import BIN, RunningAssistant, free_port, rasa_command
from bot.settings import PROJECT_ROOT


def process_memory_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total_kb = 0
    for candidate in [pid] + _descendants(pid):
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total_kb / 1024


def _descendants(pid: int) -> List[int]:
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, queue = [], list(children.get(pid, []))
    while queue:
        child = queue.pop()
        found.append(child)
        queue.extend(children.get(child, []))
    return found


class Cluster(RunningAssistant):
    """Processes by name: actions-1.., rasa-1.., balancer. `webhook` is the REST channel
    through the balancer."""

    def rasa_names(self) -> List[str]:
        return [name for name in self.commands if name.startswith("rasa-")]

    def action_names(self) -> List[str]:
        return [name for name in self.commands if name.startswith("actions-")]

    def memory_mb(self) -> Dict[str, float]:
        return {name: round(process_memory_mb(process.pid), 1)
                for name, process in self.by_name.items()}


@contextlib.contextmanager
def running_cluster(db_url: str, rasa_instances: int = 2, action_servers: int = 1,
                    redis_url: Optional[str] = None,
                    model: str = "models/assistant.tar.gz", work_dir: Optional[Path] = None,
                    extra_env: Optional[Dict[str, str]] = None, startup_timeout: float = 300,
                    rasa_command_for=None, with_actions: bool = True,
                    with_staff: bool = False) -> Iterator[Cluster]:
    """Start the action servers, the Rasa instances, the balancer and, `with_staff`, the
    staff app; stop them on exit. `rasa_command_for(port, env)` replaces our `rasa run`
    command (the stock example bot)."""
    if rasa_instances > 1 and not redis_url:
        raise ValueError("several Rasa instances need REDIS_URL (the shared lock store)")
    work_dir = Path(work_dir or PROJECT_ROOT / "var" / "cluster")
    work_dir.mkdir(parents=True, exist_ok=True)
    balancer_port, actions_front = free_port(), free_port()
    action_ports = [free_port() for _ in range(action_servers if with_actions else 0)]
    rasa_ports = [free_port() for _ in range(rasa_instances)]

    env = dict(os.environ)
    env.update({"DATABASE_URL": db_url,
                "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_front}/webhook",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT),
                                                            env.get("PYTHONPATH")])),
                "TF_CPP_MIN_LOG_LEVEL": env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
                "RASA_TELEMETRY_ENABLED": "false"})
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra_env or {})

    commands, envs, health = {}, {}, {}
    for number, port in enumerate(action_ports, 1):
        name = f"actions-{number}"
        commands[name] = [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                          "--port", str(port)]
        health[name] = f"http://127.0.0.1:{port}/health"
    for number, port in enumerate(rasa_ports, 1):
        name = f"rasa-{number}"
        own_env = dict(env, ESCALATION_SPOOL_DIR=str(work_dir / f"spool-{number}"))
        commands[name] = (rasa_command_for(port, own_env) if rasa_command_for
                          else rasa_command(model, port, own_env))
        envs[name] = own_env
        health[name] = f"http://127.0.0.1:{port}/"
    frontends = {balancer_port: rasa_ports}
    health_paths = {balancer_port: "/"}
    if action_ports:
        frontends[actions_front] = action_ports
        health_paths[actions_front] = "/health"
    if with_staff:
        staff_port = free_port()
        commands["staff"] = [str(BIN / "python"), "-m", "bot.staff", "--port", str(staff_port)]
        health["staff"] = f"http://127.0.0.1:{staff_port}/healthz"
    config_path = work_dir / "haproxy.cfg"
    config_path.write_text(haproxy_config(frontends, health_paths))
    commands["balancer"] = haproxy_command(config_path)
    health["balancer"] = f"http://127.0.0.1:{balancer_port}/"

    cluster = Cluster(balancer_port, actions_front, commands, env, work_dir / "logs",
                      startup_timeout)
    cluster.envs, cluster.health_urls = envs, health
    (work_dir / "logs").mkdir(exist_ok=True)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()
