import threading
import time


class Cooldown:
    """After a failure, leave a dependency alone for a few seconds instead of waiting on it again.

    Per process: each web or worker process learns on its own that Redis is down, at the cost of
    one timeout, then stops asking until the cooldown is over.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._until = 0.0
        self._lock = threading.Lock()

    def active(self) -> bool:
        return time.monotonic() < self._until

    def start(self) -> None:
        with self._lock:
            self._until = time.monotonic() + self.seconds

    def reset(self) -> None:
        with self._lock:
            self._until = 0.0
