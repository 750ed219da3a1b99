"""Rate limit, retries and circuit breaker, first on their own, then against a fake Google."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import requests
import responses

from nashra.core.errors import CredentialsRefused, EngineError
from nashra.core.model import Clip
from nashra.engines.gtts.engine import GttsEngine, OnlineEngineError
from nashra.engines.resilience import (
    CircuitBreaker,
    CircuitOpen,
    Guard,
    RateLimiter,
    RetryPolicy,
    retry_after,
)
from tests.gtts_mock import BATCHEXECUTE, batchexecute_body, tiny_mp3

CLIP = Clip(b"ID3 audio", "mp3")


class Script:
    """A synthesize function that fails as told, then succeeds."""

    def __init__(self, *outcomes: EngineError | None) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self, text: str) -> Clip:
        self.calls += 1
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        return CLIP


def guard(synth: Script, *, attempts: int = 4, threshold: int = 10) -> tuple[Guard, list[float]]:
    sleeps: list[float] = []
    g = Guard(
        synth,
        name="gtts",
        policy=RetryPolicy(attempts=attempts, base_delay=1.0, max_delay=60),
        limiter=RateLimiter(0),
        breaker=CircuitBreaker(threshold),
        sleep=sleeps.append,
        rng=random.Random(7),
    )
    return g, sleeps


def test_backoff_is_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=10)
    rng = random.Random(1)
    for retry, ceiling in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (9, 10)]:
        waits = [policy.delay(retry, rng, None) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.8  # jitter spreads over the whole range


def test_retry_after_wins_but_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=30)
    assert policy.delay(1, random.Random(), 7.0) == 7.0
    assert policy.delay(1, random.Random(), 3600.0) == 30


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        (None, None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_retry_after_header(header: str | None, expected: float | None) -> None:
    assert retry_after(header) == expected


def test_rate_limiter_spaces_calls() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(4.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.wait()
    assert slept == pytest.approx([0.25, 0.25, 0.25, 0.25])


def test_breaker_counts_consecutive_failures_only() -> None:
    breaker = CircuitBreaker(3)
    assert not breaker.failure() and not breaker.failure()
    breaker.success()
    assert not breaker.failure() and not breaker.failure()
    assert breaker.failure()  # the third in a row opens it
    assert breaker.is_open
    breaker.success()
    assert breaker.is_open  # stays open for the rest of the build


def test_transient_failures_are_retried() -> None:
    synth = Script(OnlineEngineError("429", 429), OnlineEngineError("503", 503), None)
    g, sleeps = guard(synth)
    assert g("نص") == CLIP
    assert synth.calls == 3
    assert len(sleeps) == 2 and 0 <= sleeps[0] <= 1 and 0 <= sleeps[1] <= 2
    assert g.requests == 3 and g.retries == 2


def test_retry_after_is_honoured() -> None:
    synth = Script(OnlineEngineError("429", 429, retry_after=12.0), None)
    g, sleeps = guard(synth)
    g("نص")
    assert sleeps == [12.0]


def test_lasting_refusals_are_not_retried() -> None:
    synth = Script(OnlineEngineError("403", 403))
    g, sleeps = guard(synth)
    with pytest.raises(OnlineEngineError, match="403"):
        g("نص")
    assert synth.calls == 1 and sleeps == []


def test_refused_credentials_stop_every_later_request_without_calling() -> None:
    refusal = EngineError("401 the key is wrong")
    refusal.refused = True
    synth = Script(refusal)
    g, sleeps = guard(synth)
    with pytest.raises(CredentialsRefused, match="401 the key is wrong"):
        g("نص")
    with pytest.raises(CredentialsRefused, match="401 the key is wrong"):
        g("نص آخر")
    assert synth.calls == 1 and sleeps == []


def test_a_refusal_while_another_request_waits_stops_its_retries() -> None:
    """A request waiting to retry (in another worker thread) when the key is refused
    gives up when it wakes, without calling the service again."""
    refusal = EngineError("401 the key is wrong")
    refusal.refused = True
    synth = Script(OnlineEngineError("503", 503), refusal)
    refused_meanwhile: list[BaseException] = []

    def sleep(seconds: float) -> None:
        # While the first request waits, the next one learns the key is refused.
        with pytest.raises(CredentialsRefused) as caught:
            g("نص آخر")
        refused_meanwhile.append(caught.value)

    g = Guard(
        synth,
        name="azure",
        policy=RetryPolicy(attempts=4, base_delay=1.0, max_delay=60),
        limiter=RateLimiter(0),
        breaker=CircuitBreaker(10),
        sleep=sleep,
        rng=random.Random(7),
    )
    with pytest.raises(CredentialsRefused, match="401 the key is wrong"):
        g("نص")
    assert len(refused_meanwhile) == 1
    assert synth.calls == 2


def test_gives_up_after_the_last_try() -> None:
    synth = Script(*[OnlineEngineError("500", 500)] * 10)
    g, _ = guard(synth, attempts=3)
    with pytest.raises(EngineError, match="gave up after 3 tries"):
        g("نص")
    assert synth.calls == 3


def test_open_breaker_stops_calling() -> None:
    synth = Script(*[OnlineEngineError("no answer")] * 100)
    g, _ = guard(synth, attempts=5, threshold=4)
    with pytest.raises(CircuitOpen):
        g("نص")
    assert synth.calls == 4
    with pytest.raises(CircuitOpen, match="not calling it again"):
        g("نص آخر")
    assert synth.calls == 4


@pytest.fixture
def google() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as rsps:
        yield rsps


def test_against_http_429_with_retry_after(google: responses.RequestsMock) -> None:
    google.add(responses.POST, BATCHEXECUTE, status=429, headers={"Retry-After": "3"})
    google.add(responses.POST, BATCHEXECUTE, body=requests.exceptions.ReadTimeout("slow"))
    google.add(responses.POST, BATCHEXECUTE, body=batchexecute_body(tiny_mp3()))
    engine = GttsEngine()
    sleeps: list[float] = []
    g = Guard(
        engine.synthesize,
        name="gtts",
        policy=RetryPolicy(attempts=5, base_delay=0.5),
        limiter=RateLimiter(0),
        breaker=CircuitBreaker(10),
        sleep=sleeps.append,
        rng=random.Random(3),
    )
    assert g("مرحبا بكم").data == tiny_mp3()
    assert len(google.calls) == 3
    assert sleeps[0] == 3.0 and 0 <= sleeps[1] <= 1.0
