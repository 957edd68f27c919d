"""Starting the action server and the Rasa server together, and stopping both."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

from bot.settings import PROJECT_ROOT, database_url, parse_origins

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _check_running(processes: List[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(process.args[:3])} exited with {process.returncode}")


def _wait_for(url: str, processes: List[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _check_running(processes)
        if _healthy(url):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def _stop(processes: List[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class RunningAssistant:
    """The running servers, by name ("actions", "rasa"); each can be stopped and started
    again (the failure tests do)."""

    def __init__(self, port: int, action_port: int, commands: Dict[str, List[str]],
                 env: Dict[str, str], log_dir: Optional[Path], startup_timeout: float):
        self.port = port
        self.action_port = action_port
        self.webhook = f"http://127.0.0.1:{port}/webhooks/rest/webhook"  # the REST channel
        self.commands = commands
        self.env = env
        self.log_dir = log_dir
        self.startup_timeout = startup_timeout
        self.by_name: Dict[str, subprocess.Popen] = {}
        self._logs: Dict[str, object] = {}
        self.envs: Dict[str, Dict[str, str]] = {}  # a process's own environment, if not env
        self.health_urls: Dict[str, str] = {}  # a process's health URL, if not the default
        self.started_in: Dict[str, float] = {}  # seconds from start to healthy, by name

    @property
    def processes(self) -> List[subprocess.Popen]:
        return list(self.by_name.values())

    def health_url(self, name: str) -> str:
        if name in self.health_urls:
            return self.health_urls[name]
        if name == "actions":
            return f"http://127.0.0.1:{self.action_port}/health"
        return f"http://127.0.0.1:{self.port}/"

    def start(self, *names: str) -> None:
        launched = time.monotonic()
        for name in names or tuple(self.commands):
            output = None
            if self.log_dir is not None:
                if name not in self._logs:
                    self._logs[name] = open(self.log_dir / f"{name}.log", "ab")
                output = self._logs[name]
            self.by_name[name] = subprocess.Popen(
                self.commands[name], cwd=PROJECT_ROOT, env=self.envs.get(name, self.env),
                start_new_session=True, stdout=output,
                stderr=subprocess.STDOUT if output else None)
        waiting = list(names or tuple(self.commands))
        deadline = launched + self.startup_timeout
        while waiting:  # each one's start-up time is when its own health check first passed
            _check_running(self.processes)
            for name in list(waiting):
                if _healthy(self.health_url(name)):
                    self.started_in[name] = time.monotonic() - launched
                    waiting.remove(name)
            if waiting and time.monotonic() > deadline:
                raise TimeoutError(f"{', '.join(waiting)} did not answer within "
                                   f"{self.startup_timeout:.0f} s")
            if waiting:
                time.sleep(0.2)

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash or an out-of-memory kill would."""
        process = self.by_name.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self, *names: str) -> None:
        _stop([self.by_name.pop(name) for name in (names or tuple(self.by_name))
               if name in self.by_name])

    def close(self) -> None:
        self.stop()
        for handle in self._logs.values():
            handle.close()

    def alive(self) -> bool:
        return all(process.poll() is None for process in self.processes)


def rasa_command(model: str, port: int, env: Dict[str, str]) -> List[str]:
    """`rasa run` with our channels. Rasa's own HTTP API (models, trackers, /model/parse)
    stays off unless RASA_API_TOKEN is set, and then needs that token. Browser pages of
    ALLOWED_ORIGINS get CORS headers."""
    command = [str(BIN / "rasa"), "run", "--model", model, "--port", str(port),
               "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
    token = (env.get("RASA_API_TOKEN") or "").strip()
    if token:
        command += ["--enable-api", "--auth-token", token]
    origins = parse_origins(env.get("ALLOWED_ORIGINS", ""))
    if origins:  # CORS headers and preflight answers for these pages (bot.channels.origins)
        command += ["--cors", *origins]
    return command


@contextlib.contextmanager
def running_assistant(port: Optional[int] = None, action_port: Optional[int] = None,
                      model: str = "models/assistant.tar.gz", db_url: Optional[str] = None,
                      log_dir: Optional[Path] = None, startup_timeout: float = 240,
                      extra_env: Optional[Dict[str, str]] = None,
                      ) -> Iterator[RunningAssistant]:
    """Start both servers; yield them (with the REST webhook URL); stop both on exit."""
    port = port or free_port()
    action_port = action_port or free_port()
    env = dict(os.environ)
    env["DATABASE_URL"] = db_url or database_url()
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{action_port}/webhook"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")  # no calls home from a clinic's server
    env.update(extra_env or {})
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
    commands = {
        "actions": [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                    "--port", str(action_port)],
        "rasa": rasa_command(model, port, env),
    }
    assistant = RunningAssistant(port, action_port, commands, env, log_dir, startup_timeout)
    try:
        assistant.start()
        yield assistant
    finally:
        assistant.close()


def _stop_on_signal(signum, _frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def demo_origins(demo_port: int) -> List[str]:
    return [f"http://localhost:{demo_port}", f"http://127.0.0.1:{demo_port}"]


def with_demo_origins(allowed: str, demo_port: int) -> str:
    """ALLOWED_ORIGINS plus the demo page's own origins."""
    origins = parse_origins(allowed)
    return ",".join(origins + [o for o in demo_origins(demo_port) if o not in origins])


@contextlib.contextmanager
def staff_app(port: int, env: Optional[Dict[str, str]] = None,
              log_file: Optional[Path] = None) -> Iterator[subprocess.Popen]:
    """The staff web app (bot.staff) in its own process, on 127.0.0.1:port; with `env`,
    that environment (e.g. another DATABASE_URL) instead of this process's; with
    `log_file`, its output appended there instead of to this process's."""
    with contextlib.ExitStack() as stack:
        output = None
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            output = stack.enter_context(open(log_file, "ab"))
        process = subprocess.Popen([str(BIN / "python"), "-m", "bot.staff", "--port", str(port)],
                                   cwd=PROJECT_ROOT, start_new_session=True, env=env,
                                   stdout=output, stderr=subprocess.STDOUT if output else None)
        try:
            _wait_for(f"http://127.0.0.1:{port}/login", [process], 60)
            yield process
        finally:
            _stop([process])


def serve(port: int, action_port: int, model: str, demo_port: int = 0,
          staff_port: int = 0) -> int:
    """Foreground: both servers until Ctrl-C or SIGTERM (or one of them stops); with a
    demo_port, also the demo clinic page with the chat widget (bot.demo_site); with a
    staff_port, also the staff web app (bot.staff)."""
    from bot.clinic import load_clinic_config
    from bot.demo_site import demo_site

    # Also when started with SIGINT ignored (a background job), and for service managers.
    signal.signal(signal.SIGINT, _stop_on_signal)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    started = time.monotonic()
    extra_env = {}
    if demo_port:
        extra_env["ALLOWED_ORIGINS"] = with_demo_origins(os.environ.get("ALLOWED_ORIGINS", ""),
                                                         demo_port)
    try:
        with contextlib.ExitStack() as stack:
            assistant = stack.enter_context(running_assistant(
                port=port, action_port=action_port, model=model, extra_env=extra_env))
            print(f"\nAssistant ready after {time.monotonic() - started:.0f} s on "
                  f"http://localhost:{port} (REST: /webhooks/rest/webhook, socket.io: /socket.io, "
                  f"web widget: /webhooks/widget/assistant-widget.js).", flush=True)
            if demo_port:
                stack.enter_context(demo_site(
                    demo_port, f"http://localhost:{port}", load_clinic_config().clinic_name))
                print(f"Demo clinic page with the chat widget: http://localhost:{demo_port}/",
                      flush=True)
            processes = assistant.processes
            if staff_port:
                processes.append(stack.enter_context(staff_app(staff_port)))
                print(f"Staff app (conversations, escalations): http://localhost:{staff_port}/ "
                      "- first admin: .venv/bin/python -m bot.cli create-admin NAME", flush=True)
            print("Ctrl-C stops it.", flush=True)
            while all(process.poll() is None for process in processes):
                time.sleep(1)
            print("A server stopped; stopping the other.", flush=True)
            return 1
    except KeyboardInterrupt:
        print("\nStopping the assistant.")
    return 0
