"""How many episodes one build or one publish may take out of the live feed at once.

A mistake (a renamed `articles/` folder, a wrong checkout, a lost build state) must
never empty a live podcast: a build or publish that would drop more episodes than
`[build] max_removed` stops before it changes anything and names them, unless it is
run with `--allow-removals`. Without the key the limit is 5 episodes, or 10 % of
those published, whichever is larger.
"""

from __future__ import annotations

from collections.abc import Sequence

from nashra.core.errors import NashraError

DEFAULT_LIMIT = 5
"""Episodes any build may remove, however small the podcast."""
DEFAULT_SHARE = 10
"""Percent of the published episodes a build may remove, when that is more."""
SHOWN = 10
"""Episodes named in the message; the rest are counted."""


class TooManyRemovals(NashraError):
    """A build or publish would drop more episodes than `[build] max_removed` allows."""

    def __init__(self, action: str, removed: Sequence[str], published: int, limit: int) -> None:
        names = ", ".join(removed[:SHOWN])
        if len(removed) > SHOWN:
            names += f" and {len(removed) - SHOWN} more"
        super().__init__(
            f"{action} would remove {len(removed)} of the {published} published episodes "
            f"({names}), more than `[build] max_removed` allows ({limit}); nothing was "
            "changed. If the articles folder was moved or renamed, put it back; if these "
            "episodes are meant to go, run again with --allow-removals"
        )
        self.removed = tuple(removed)
        self.limit = limit


def removal_limit(max_removed: int | None, published: int) -> int:
    """How many of `published` episodes may go at once: `max_removed` when set, else
    5 or 10 % of them, whichever is larger."""
    if max_removed is not None:
        return max_removed
    return max(DEFAULT_LIMIT, published * DEFAULT_SHARE // 100)


def guard_removals(
    action: str,
    removed: Sequence[str],
    published: int,
    *,
    max_removed: int | None,
    allow: bool,
) -> None:
    """Raise `TooManyRemovals` when `removed` (episodes, by name) is more than the limit
    for `published` episodes, unless `allow`."""
    limit = removal_limit(max_removed, published)
    if len(removed) > limit and not allow:
        raise TooManyRemovals(action, sorted(removed), published, limit)
