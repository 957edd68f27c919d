"""Slows down password guessing: after MAX_FAILURES failed sign-ins for one user name, or
from one address, within WINDOW seconds, further attempts are refused until the window
has passed. Kept in the staff app's memory (one process); a restart forgets it."""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Callable, Deque, Dict, Optional

MAX_FAILURES = 5
WINDOW = 15 * 60.0


class SignInThrottle:
    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> Deque[float]:
        failures = self._failures[key]
        while failures and now - failures[0] > self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def wait_seconds(self, username: str, address: str) -> Optional[int]:
        """Seconds until this user name and address may try again, or None if they may now."""
        now = self.clock()
        with self._lock:
            waits = []
            for key in (f"user:{username.strip().lower()}", f"addr:{address}"):
                failures = self._recent(key, now)
                if len(failures) >= self.max_failures:
                    waits.append(int(self.window - (now - failures[0])) + 1)
            return max(waits) if waits else None

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in (f"user:{username.strip().lower()}", f"addr:{address}"):
                self._recent(key, now)
                self._failures[key].append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{username.strip().lower()}", None)
