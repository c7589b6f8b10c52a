"""Break one part of a production-shaped stack at a time and count what users would notice.

Every scenario returns the same figures: actions tried, lost, duplicated, errors (a 5xx or a
request that failed), the slowest answer, and the time to recover after the fault ends.
"""

from __future__ import annotations

import email
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ops.chaos.client import Answer, Client
from ops.chaos.processes import PROJECT, Stack

MANAGER = "marco.manager@northwind.example"
PASSWORD = "channel-demo"  # noqa: S105 - the published demo password
PAGES = ["/", "/notifications/"]


@dataclass
class Figures:
    scenario: str
    actions: int = 0
    lost: int = 0
    duplicated: int = 0
    errors: int = 0
    slowest_s: float = 0.0
    recover_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    def count(self, answer: Answer) -> None:
        self.actions += 1
        self.slowest_s = max(self.slowest_s, answer.seconds)
        if answer.status == 0 or answer.status >= 500:
            self.errors += 1


class Browsing:
    """Logged-in users reloading pages in threads while a fault comes and goes."""

    def __init__(self, stack: Stack, figures: Figures, users: int = 4) -> None:
        self.stack = stack
        self.figures = figures
        self.clients = []
        for _ in range(users):
            client = Client(stack.web_port)
            client.log_in(MANAGER, PASSWORD)
            self.clients.append(client)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.last_error_at = 0.0
        self.threads = [threading.Thread(target=self._browse, args=(c,)) for c in self.clients]

    def _browse(self, client: Client) -> None:
        turn = 0
        while not self.stop.is_set():
            answer = client.get(PAGES[turn % len(PAGES)])
            turn += 1
            with self.lock:
                self.figures.count(answer)
                if answer.status == 0 or answer.status >= 500:
                    self.last_error_at = time.monotonic()

    def __enter__(self) -> Browsing:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def _fault_under_browsing(
    stack: Stack,
    name: str,
    *,
    break_it: Callable[[], None],
    mend_it: Callable[[], None],
    outage_s: float = 10.0,
) -> Figures:
    figures = Figures(name)
    with Browsing(stack, figures) as browsing:
        time.sleep(2)
        break_it()
        time.sleep(outage_s)
        mended_at = time.monotonic()
        mend_it()
        time.sleep(5)
    if browsing.last_error_at > mended_at:
        figures.recover_s = browsing.last_error_at - mended_at
    return figures


def redis_down(stack: Stack) -> Figures:
    return _fault_under_browsing(
        stack, "Redis stopped for 10 s", break_it=stack.redis.stop, mend_it=stack.redis.start
    )


def redis_hung(stack: Stack) -> Figures:
    return _fault_under_browsing(
        stack, "Redis hung for 10 s", break_it=stack.redis.hang, mend_it=stack.redis.unhang
    )


def database_restart(stack: Stack) -> Figures:
    figures = Figures("PostgreSQL restarted")
    clients = []
    for _ in range(4):
        client = Client(stack.web_port)
        client.log_in(MANAGER, PASSWORD)
        clients.append(client)
    for client in clients:  # every gunicorn thread holds a connection
        figures.count(client.get("/"))
    stack.postgres.restart()
    restarted_at = time.monotonic()
    for _ in range(5):
        for client in clients:
            answer = client.get("/")
            figures.count(answer)
            if answer.status == 0 or answer.status >= 500:
                figures.recover_s = time.monotonic() - restarted_at
    return figures


def _manage_shell(stack: Stack, code: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=stack.env,
        cwd=PROJECT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _sent_messages(stack: Stack) -> list[str]:
    """The stable key of every email the mail server received (its subject names it)."""
    keys: list[str] = []
    for path in stack.outbox_dir.glob("*.log"):
        keys.extend(
            str(email.message_from_string(raw.strip())["Subject"])
            for raw in path.read_text().split("-" * 79)
            if raw.strip()
        )
    return keys


def _chaos_emails(stack: Stack) -> list[str]:
    # The demo channel's own notifications share the outbox; only this scenario's count.
    return [key for key in _sent_messages(stack) if key.startswith("chaos ")]


def worker_killed(stack: Stack, emails: int = 1000) -> Figures:
    figures = Figures(f"Celery worker killed while sending {emails} emails")
    _manage_shell(
        stack,
        "from django.db import transaction\n"
        "from notifications.services import email_enqueue\n"
        "with transaction.atomic():\n"
        f"    for i in range({emails}):\n"
        "        email_enqueue(recipient=f'r{i}@chaos.example', subject=f'chaos {i}', body='x')\n",
    )
    figures.actions = emails
    stack.worker.start()
    deadline = time.monotonic() + 120
    while len(_chaos_emails(stack)) < emails // 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    stack.worker.kill()
    killed_at = time.monotonic()
    stack.worker.start()
    flush = "from notifications.tasks import outbox_flush_task\nprint(outbox_flush_task())"
    while time.monotonic() < killed_at + 180:
        if len(set(_chaos_emails(stack))) >= emails:
            break
        time.sleep(2)
        _manage_shell(stack, flush)
    figures.recover_s = time.monotonic() - killed_at
    stack.worker.stop()
    sent = _chaos_emails(stack)
    figures.lost = emails - len(set(sent))
    figures.duplicated = len(sent) - len(set(sent))
    return figures


SCENARIOS: dict[str, Callable[[Stack], Figures]] = {
    "redis-down": redis_down,
    "redis-hung": redis_hung,
    "database-restart": database_restart,
    "worker-killed": worker_killed,
}
