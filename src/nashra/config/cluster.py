"""`[build]` in podcast.toml: where a cluster build runs and the storage it shares, and
what one build may remove or send a paid engine."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from nashra.core.errors import SettingsError

LOCAL_PREFIX = "local:"


@dataclass(frozen=True)
class Build:
    """`[build]`: the defaults of `nashra build --cluster`."""

    cluster: str = ""
    """A Dask scheduler's address (`tcp://host:8786`) or `local:N` (N local worker
    processes); empty: build on this machine alone, as `nashra build` always does."""
    shared: str = ""
    """The storage every worker sees, as a URL (`file:///mnt/nashra`, `s3://bucket/prefix`);
    empty: the project's own `.nashra/cache`, which only local workers see."""
    max_removed: int | None = None
    """Episodes a build or publish may drop from the feed at once without
    `--allow-removals`; None: 5, or 10 % of those published, whichever is larger."""
    max_characters: int | None = None
    """The most characters a build may send a paid engine (`--max-characters` in its
    place); None: no limit."""


def local_workers(cluster: str) -> int | None:
    """N for `local:N`; None for a scheduler's address."""
    if not cluster.startswith(LOCAL_PREFIX):
        return None
    count = cluster.removeprefix(LOCAL_PREFIX)
    return int(count) if count.isdigit() else 0


def cluster_problem(cluster: str) -> str | None:
    """Why `cluster` is not a cluster nashra can use; None when it is."""
    workers = local_workers(cluster)
    if workers is not None:
        if not 1 <= workers <= 256:
            return f"`{cluster}`: local:N needs N between 1 and 256 worker processes"
        return None
    if not re.fullmatch(r"([a-z]+://)?[\w.\-\[\]:]+:\d+", cluster):
        return (
            f"`{cluster}` is neither a Dask scheduler's address (tcp://host:8786) "
            "nor local:N (N worker processes on this machine)"
        )
    return None


def validate_build(fail: Callable[[str], SettingsError], b: Build) -> None:
    if b.max_removed is not None and (
        isinstance(b.max_removed, bool)
        or not isinstance(b.max_removed, int)
        or not 0 <= b.max_removed <= 1_000_000
    ):
        raise fail(
            "`build.max_removed` must be a whole number of episodes from 0 to 1000000, "
            f"got {b.max_removed!r}"
        )
    if b.max_characters is not None and (
        isinstance(b.max_characters, bool)
        or not isinstance(b.max_characters, int)
        or not 0 <= b.max_characters <= 10**12
    ):
        raise fail(
            "`build.max_characters` must be a whole number of characters from 0 to "
            f"1000000000000, got {b.max_characters!r}"
        )
    if b.cluster and (problem := cluster_problem(b.cluster)):
        raise fail(f"`build.cluster`: {problem}")
    if b.shared and not re.fullmatch(r"[a-z][a-z0-9+.\-]*://\S+", b.shared):
        raise fail(
            f"`build.shared` must be a URL such as file:///mnt/nashra or s3://bucket/prefix, "
            f"got {b.shared!r}"
        )
