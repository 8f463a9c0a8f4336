"""Real processes for tests and benchmarks: `cwa server` (Prefect behind our sign-in layer), a runner serving our
deployments, SMTP."""

import os
import signal
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


class Process:
    """A child process with its output in a log file; stopped with its whole process group."""

    def __init__(self, args: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None):
        self.args, self.log_path, self.env, self.cwd = args, log, env, cwd
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Process":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                     cwd=self.cwd, start_new_session=True)
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


def start_prefect_server(port: int, log: Path, env: dict[str, str], plain: bool = False) -> Process:
    """`cwa server` on loopback: Prefect's API, UI and services with the sign-in layer (plain: Prefect's own
    `prefect server start`, without it, for comparison in the benchmarks)."""
    command = ["prefect", "server", "start"] if plain else ["flows.cli", "server"]
    server = Process([sys.executable, "-m", *command, "--host", "127.0.0.1", "--port", str(port)], log, env).start()

    def healthy() -> bool:
        if server.proc.poll() is not None:
            raise RuntimeError(f"Prefect server exited:\n{server.tail()}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(healthy, 90, "the Prefect server")
    return server


def start_runner(log: Path, env: dict[str, str], api_url: str) -> Process:
    """`python -m flows.serve`, signed in with the service identity in env; ready once its deployments exist."""
    runner = Process([sys.executable, "-m", "flows.serve"], log, env).start()
    auth = tuple(env["PREFECT_API_AUTH_STRING"].split(":", 1))

    def registered() -> bool:
        if runner.proc.poll() is not None:
            raise RuntimeError(f"runner exited:\n{runner.tail()}")
        try:
            r = httpx.post(f"{api_url}/deployments/filter", json={}, timeout=5, auth=auth)
            names = {d["name"] for d in r.json()}
            return {"hiring-exclusion-review", "practice-improvement-plan", "outbox-delivery",
                    "deadline-sweep"} <= names
        except httpx.HTTPError:
            return False

    wait_until(registered, 90, "the runner's deployments")
    time.sleep(1.5)  # the runner's first poll
    return runner


class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback that keeps every message it accepts."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self.reply: str | None = None  # e.g. "451 try later" to refuse the next deliveries
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                if sink.reply:
                    return sink.reply
                sink.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.port = port

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]
