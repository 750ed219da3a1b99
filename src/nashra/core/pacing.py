"""Pacing calls to a service: a rate limit, retries with backoff, `Retry-After`.

One owner for what every network caller shares: the speech engines' guard
(`nashra.engines.resilience`) and the web importer (`nashra.web`) both wait their
turn under a `RateLimiter` and space their retries by a `RetryPolicy`.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    """Tries per chunk, the first included."""
    base_delay: float = 1.0
    """Seconds before the first retry; doubled for each further one."""
    max_delay: float = 60.0
    """No wait is longer than this, whatever the service asks for."""

    def delay(self, retry: int, rng: random.Random, retry_after: float | None) -> float:
        """Seconds to wait before retry number `retry` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        # Full jitter: concurrent workers that failed together do not retry together.
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return rng.uniform(0, ceiling)


class RateLimiter:
    """At most `rate` calls a second across all threads, spaced evenly."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


def retry_after(value: str | None) -> float | None:
    """An HTTP `Retry-After` header as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
