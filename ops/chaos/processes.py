"""The real processes a chaos scenario breaks: PostgreSQL, Redis, gunicorn, a Celery worker.

Each runs in a throwaway folder on a free loopback port and can be stopped, killed, hung and
restarted while the scenario measures what a user would see.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parents[2]
PG_CTL = PROJECT / "tests" / "pg_ctl_wrapper.sh"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} within {timeout:.0f} s")


class Postgres:
    def __init__(self, root: Path) -> None:
        self.data = root / "pg" / "data"
        self.port = free_port()

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [str(PG_CTL), *args, "-D", str(self.data)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self) -> None:
        self._pg_ctl("initdb", "-o", "--auth=trust --username=postgres")
        self.start()
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute("CREATE DATABASE chaos")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off"
        self._pg_ctl("start", "-w", "-o", options, "-l", str(self.data.parent / "log"))

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast", "-w")

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/chaos"


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._hang: HungListener | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait()
            self.process = None

    def hang(self) -> None:
        """Replace Redis with a listener that accepts connections and never answers."""
        self.stop()
        self._hang = HungListener(self.port)

    def unhang(self) -> None:
        if self._hang:
            self._hang.close()
            self._hang = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class HungListener:
    """Accepts TCP connections on the port and never sends a byte back (a hung Redis)."""

    def __init__(self, port: int) -> None:
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(128)
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.accepted:
            connection.close()


class Service:
    """A Django process (gunicorn or a Celery worker) on the production settings."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command = command
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=PROJECT,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )

    def kill(self) -> None:
        if self.process:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


class Stack:
    """PostgreSQL + Redis + gunicorn + one Celery worker, wired as production would be."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.postgres = Postgres(root)
        self.redis = Redis()
        self.web_port = free_port()
        self.outbox_dir = root / "sent-mail"
        self.env = {
            **os.environ,
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.outbox_dir),
            "DATA_DIR": str(root / "data"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        self.web = Service(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "-b",
                f"127.0.0.1:{self.web_port}",
                "-w",
                "2",
                "--threads",
                "4",
                "--timeout",
                "30",
            ],
            self.env,
            root / "gunicorn.log",
        )
        self.worker = Service(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
            ],
            self.env,
            root / "worker.log",
        )

    def manage(self, *args: str, env: dict[str, str] | None = None) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env or self.env,
            cwd=PROJECT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def up(self) -> None:
        self.outbox_dir.mkdir(parents=True)
        self.postgres.init()
        self.redis.start()
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        # The loader refuses production settings; this database is thrown away after the run.
        self.manage("demo_channel", env={**self.env, "DJANGO_ENV": "development"})
        self.web.start()
        wait_for_port(self.web_port)

    def down(self) -> None:
        for service in (self.worker, self.web):
            service.kill()
        self.redis.stop()
        with suppress(subprocess.CalledProcessError):
            self.postgres.stop()


@contextmanager
def running_stack() -> Iterator[Stack]:
    root = Path(tempfile.mkdtemp(prefix="chaos-"))
    stack = Stack(root)
    try:
        stack.up()
        yield stack
    finally:
        stack.down()
        shutil.rmtree(root, ignore_errors=True)
