"""What a paid engine will be sent, and what that costs: counted here alone.

A build with a paid engine (`Engine.paid`) says before voicing how many requests and
billed characters it will send (only what is not in the clip cache), and what they
cost at the engine's `price_per_million`; `nashra plan` shows the same figures per
article. `--max-characters` makes a `Budget`: the build is refused when its figure is
over it, and whatever else a build would send to a paid engine (a fallback's
episodes, a bulletin's framing) is sent only while it stays within it.

`sending` is pure: the requests, how the engine bills one, and its price in; the
figures out. The stages that voice plan the requests (`Engine.plan`) and find which
are missing from the cache (`missing_clips`) themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nashra.core.errors import UsageError


@dataclass(frozen=True)
class Sending:
    """What one paid engine will be sent: its requests and their billed characters."""

    engine: str
    """The engine's name (`[speech.<engine>]`)."""
    label: str
    """What messages call it."""
    requests: int
    characters: int
    price_per_million: float | None = None

    @property
    def cost(self) -> float | None:
        """characters × price / 1e6, in the currency the price is written in."""
        if self.price_per_million is None:
            return None
        return self.characters * self.price_per_million / 1e6

    def __add__(self, other: Sending) -> Sending:
        return Sending(
            self.engine,
            self.label,
            self.requests + other.requests,
            self.characters + other.characters,
            self.price_per_million,
        )

    def line(self) -> str:
        """The line a build prints before voicing."""
        said = (
            f"{self.label} will be sent {self.requests} "
            f"request{'' if self.requests == 1 else 's'}, {self.characters} characters "
            "(what the clip cache lacks)"
        )
        if self.cost is None:
            return (
                f"{said}; set [speech.{self.engine}] price_per_million to your price for a "
                "million characters to see what they cost"
            )
        return f"{said}: {money(self.cost)} at {self.price_per_million:g} per million characters"


def money(amount: float) -> str:
    """An amount in no particular currency: cents, or two figures when less than one."""
    if amount == 0 or amount >= 0.01:
        return f"{amount:,.2f}"
    return f"{amount:.2g}"


def sending(
    engine: str,
    label: str,
    requests: Iterable[str],
    billed: Callable[[str], int],
    price_per_million: float | None,
) -> Sending:
    """The figures for sending `requests` (distinct, not in the cache) to `engine`,
    each billed as `billed(request)` characters (`Engine.billed_characters`)."""
    count = characters = 0
    for request in requests:
        count += 1
        characters += billed(request)
    return Sending(engine, label, count, characters, price_per_million)


Announce = Callable[[Sending], None]
"""Told what a paid engine will be sent, before it is sent anything."""


class TooManyCharacters(UsageError):
    """A build would send a paid engine more characters than `--max-characters` allows."""


def refusal(sent: Sending, budget: Budget) -> TooManyCharacters:
    """Why a build that would send `sent` is refused under `budget`; nothing was sent."""
    return TooManyCharacters(
        f"this build would send {sent.characters} characters to {sent.label} "
        f"({sent.requests} requests), over {budget.named} {budget.limit}: nothing was sent "
        "and nothing published changed. Raise the limit, or build fewer articles at a time"
    )


@dataclass
class Budget:
    """The characters a build may still send to paid engines (`--max-characters`).

    The figure the build announced for its engine is `reserved` at the start, so what
    else is sent (a fallback engine's episodes) never takes what that engine's later
    batches need."""

    limit: int
    named: str = "--max-characters"
    """Where the limit was set, as messages name it (`[build] max_characters`)."""
    engine: str = ""
    """The engine whose announced figure is reserved."""
    reserved: int = 0
    sent: int = 0

    def allows(self, engine: str, characters: int) -> bool:
        """Whether `engine` may be sent `characters` more, within the limit."""
        kept = max(0, self.reserved - characters) if engine == self.engine else self.reserved
        return self.sent + characters + kept <= self.limit

    def charge(self, engine: str, characters: int) -> None:
        self.sent += characters
        if engine == self.engine:
            self.reserved = max(0, self.reserved - characters)

    def over(self, engine: str, label: str, characters: int) -> str:
        """Why `characters` more for `engine` (called `label`) are not sent."""
        kept = 0 if engine == self.engine else self.reserved
        left = max(0, self.limit - self.sent - kept)
        return (
            f"{label} was not asked: it would be sent {characters} characters, and "
            f"{self.named} {self.limit} leaves {left}"
        )
