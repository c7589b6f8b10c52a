"""Explicit seams through which a higher layer reacts to a lower one (ARCHITECTURE.md rule 4).

A lower app declares a `Hook` and calls `send()` at a documented moment, inside the
transaction of the change; a higher app connects a receiver in its `AppConfig.ready()`.
A receiver that raises rolls the whole change back: nothing is half-done.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Hook:
    name: str
    receivers: list[Callable[..., Any]] = field(default_factory=list)

    def connect(self, receiver: Callable[..., Any]) -> None:
        if receiver not in self.receivers:
            self.receivers.append(receiver)

    def disconnect(self, receiver: Callable[..., Any]) -> None:
        if receiver in self.receivers:
            self.receivers.remove(receiver)

    def send(self, **kwargs: Any) -> None:
        for receiver in list(self.receivers):
            receiver(**kwargs)
