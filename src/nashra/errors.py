"""The one exception hierarchy the CLI knows how to show.

Each message says what happened and what to do about it. The CLI maps
`UsageError` (bad settings, bad arguments) to exit status 2 and everything
else to exit status 1.
"""

from __future__ import annotations

from pathlib import Path


class NashraError(Exception):
    """Base class for every error nashra reports to its user."""


class UsageError(NashraError):
    """The user asked for something that cannot work: bad settings or arguments."""


class SettingsError(UsageError):
    """`podcast.toml` is missing, malformed or holds an invalid value."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ArticleError(NashraError):
    """One article cannot be read; the others still build."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class EngineError(NashraError):
    """A speech engine could not turn text into audio."""

    transient: bool = False
    """True when the same request may well succeed if tried again (429, 5xx, no answer)."""
    retry_after: float | None = None
    """Seconds the service asked us to wait before trying again, when it said."""


class EngineUnavailable(EngineError):
    """The engine cannot run here (missing library, no network)."""


class AudioError(NashraError):
    """Decoding, joining or encoding audio failed."""


class OutputError(NashraError):
    """Writing into the output folder failed or was refused."""


class BuildLocked(UsageError):
    """Another build of the same project is running."""


class PublishError(NashraError):
    """Uploading `output/` to where the podcast is hosted failed or was refused."""
