"""Calling a network engine politely and stubbornly: rate limit, retries, circuit breaker.

Online speech fails in ordinary use: Google answers 429 Too Many Requests, 5xx,
or nothing at all. A `Guard` wraps an engine's `synthesize` so that each request
waits its turn under a rate limit, passing failures are retried with exponential
backoff and full jitter (honouring `Retry-After`), and after a run of consecutive
failures the guard stops calling the service for the rest of the build.

Nothing here knows about Google: an error is retried when it says it is
`transient` (see `EngineError`).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import random
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from nashra.core.errors import CredentialsRefused, EngineError, EngineUnavailable
from nashra.core.model import Clip
from nashra.core.pacing import RateLimiter, RetryPolicy, retry_after

__all__ = [
    "CircuitBreaker",
    "CircuitOpen",
    "Guard",
    "RateLimiter",
    "RetryPolicy",
    "check_calling",
    "check_price",
    "checked_endpoint",
    "retry_after",
]

log = logging.getLogger(__name__)


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; a success closes the count again."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self._failures = 0
        self._open = False
        self._lock = threading.Lock()
        self.cause: EngineError | None = None
        """The failure that opened it."""

    @property
    def is_open(self) -> bool:
        return self._open

    def success(self) -> None:
        with self._lock:
            if not self._open:
                self._failures = 0

    def failure(self, cause: EngineError | None = None) -> bool:
        """Count a failure (`cause`); True when this one opened the circuit."""
        with self._lock:
            self._failures += 1
            if not self._open and self._failures >= self.threshold:
                self.cause = cause
                self._open = True
                return True
            return False


class CircuitOpen(EngineUnavailable):
    """The service failed too often in a row; it is not called again in this build."""


class Guard:
    """Wraps `synthesize` with the rate limit, the retries and the breaker."""

    def __init__(
        self,
        synthesize: Callable[[str], Clip],
        *,
        name: str,
        policy: RetryPolicy,
        limiter: RateLimiter,
        breaker: CircuitBreaker,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._synthesize = synthesize
        self.name = name
        self.policy = policy
        self.limiter = limiter
        self.breaker = breaker
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self.requests = 0
        self.retries = 0
        self._count_lock = threading.Lock()
        self._refused: CredentialsRefused | None = None

    def _refuse(self, last: EngineError | None = None) -> CircuitOpen:
        # A request refused by a breaker another request opened names that one's failure.
        last = last or self.breaker.cause
        cause = f" (last: {last})" if last else ""
        return CircuitOpen(
            f"{self.name} failed {self.breaker.threshold} times in a row{cause}; "
            "not calling it again in this build"
        )

    def __call__(self, text: str) -> Clip:
        if self._refused is not None:
            raise self._refused
        last: EngineError | None = None
        for attempt in range(1, self.policy.attempts + 1):
            if self.breaker.is_open:
                raise self._refuse(last) from last
            if attempt > 1:
                with self._rng_lock:
                    retry_after = last.retry_after if last else None
                    wait = self.policy.delay(attempt - 1, self._rng, retry_after)
                log.info("%s: retry %d in %.1f s after: %s", self.name, attempt - 1, wait, last)
                self._sleep(wait)
                if self._refused is not None:
                    # The key was refused to another request while this one waited.
                    raise self._refused from last
                if self.breaker.is_open:
                    raise self._refuse(last) from last
            self.limiter.wait()
            with self._count_lock:
                self.requests += 1
                self.retries += attempt > 1
            try:
                clip = self._synthesize(text)
            except EngineError as exc:
                if exc.refused:
                    # Refused credentials: every later request of the build fails at once.
                    with self._count_lock:
                        self._refused = self._refused or CredentialsRefused(str(exc))
                    raise self._refused from exc
                if self.breaker.failure(exc):
                    log.warning("%s", self._refuse(exc))
                if not exc.transient:
                    raise
                last = exc
                continue
            self.breaker.success()
            return clip
        assert last is not None
        raise EngineError(f"{last} (gave up after {self.policy.attempts} tries)") from last


def guarded(
    synthesize: Callable[[str], Clip],
    name: str,
    *,
    retries: int,
    backoff: float,
    rate: float,
    breaker: int,
) -> Guard:
    """`synthesize` under one build's rate limit (`rate` requests a second), `retries`
    tries per request from `backoff` seconds, and a breaker after `breaker` failures in a
    row: what every network engine's `synthesizer` returns."""
    return Guard(
        synthesize,
        name=name,
        policy=RetryPolicy(attempts=retries, base_delay=backoff),
        limiter=RateLimiter(rate),
        breaker=CircuitBreaker(breaker),
    )


def check_calling(
    *,
    timeout: float,
    retries: int,
    backoff: float,
    rate: float,
    concurrency: int,
    breaker: int,
    rate_key: str = "request_rate",
) -> None:
    """Refuse (`ValueError`) limits a network engine's options cannot mean: the same
    bounds for every engine that calls a service (`rate_key` names its rate option)."""
    if timeout <= 0:
        raise ValueError("timeout must be a positive number of seconds")
    if not 1 <= retries <= 20:
        raise ValueError("retries must be between 1 and 20")
    if not 0 <= backoff <= 120:
        raise ValueError("backoff must be between 0 and 120 seconds")
    if rate <= 0:
        raise ValueError(f"{rate_key} must be a positive number of requests a second")
    if not 1 <= concurrency <= 32:
        raise ValueError("concurrency must be between 1 and 32")
    if not 1 <= breaker <= 1000:
        raise ValueError("breaker must be between 1 and 1000")


def check_price(price: float | None) -> None:
    """Refuse a `price_per_million` that is not a positive, finite number (None: unset)."""
    if price is not None and (not math.isfinite(price) or price <= 0):
        raise ValueError(
            "price_per_million must be a positive number (what a million characters "
            "cost you), or left out"
        )


def checked_endpoint(endpoint: str, variable: str) -> str:
    """`endpoint` (named by the environment `variable`) as a base URL for a service's
    requests, or `EngineUnavailable`: https, or plain http to this machine only (a test's
    local server), so that a key or token is never sent in the clear; no query, fragment
    or user name."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if not (parts.scheme == "https" and host) and not (
        parts.scheme == "http" and _this_machine(host)
    ):
        raise EngineUnavailable(
            f"{variable} must be an https:// address (http:// only to this machine), "
            "so that no key or token is ever sent in the clear"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise EngineUnavailable(f"{variable} must be a plain base address, such as https://host")
    return endpoint.rstrip("/")


def _this_machine(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
