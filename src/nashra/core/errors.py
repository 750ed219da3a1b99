"""The one exception hierarchy the CLI knows how to show.

Each message says what happened and what to do about it. The CLI maps
`UsageError` (bad settings, bad arguments) to exit status 2 and everything
else to exit status 1.
"""

from __future__ import annotations

import errno
import os
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


def problem_of(exc: NashraError, path: Path) -> str:
    """`exc`'s message for a report line that already names `path`: the path said once."""
    if isinstance(exc, ArticleError) and exc.path == path:
        return exc.problem
    return str(exc)


class EngineError(NashraError):
    """A speech engine could not turn text into audio."""

    transient: bool = False
    """True when the same request may well succeed if tried again (429, 5xx, no answer)."""
    retry_after: float | None = None
    """Seconds the service asked us to wait before trying again, when it said."""
    refused: bool = False
    """True when the service refused the credentials (a wrong key, a disabled account):
    no retry, and no other request of the build, will do better."""


class EngineUnavailable(EngineError):
    """The engine cannot run here (missing library, no network)."""


class CredentialsRefused(EngineUnavailable, UsageError):
    """The service refused the project's credentials: the build stops before publishing
    anything, with status 2, as for any other mistake in the project's configuration."""


class AudioError(NashraError):
    """Decoding, joining or encoding audio failed."""


class OutputError(NashraError):
    """Writing into the output folder failed or was refused."""


class BuildLocked(UsageError):
    """Another build of the same project is running."""


DISK_FULL = "the disk is full (no space left on device)"


def describe_os_error(exc: OSError) -> str:
    """One line naming the path the system refused and why, e.g. for `nashra init afile/pod`:
    ``afile/pod/articles: afile is a file, not a folder``."""
    cause = exc.strerror or str(exc)
    if exc.filename is None:
        return cause
    path = Path(os.fsdecode(exc.filename))
    if exc.errno == errno.ENOTDIR:
        blocker = next(
            (p for p in reversed(path.parents) if p.exists() and not p.is_dir()),
            path if path.exists() and not path.is_dir() else None,
        )
        if blocker is not None:
            cause = f"{blocker} is a file, not a folder"
    elif exc.errno == errno.EEXIST and path.exists() and not path.is_dir():
        cause = "a file is in the way where a folder is needed"
    elif exc.errno == errno.ENOSPC:
        cause = DISK_FULL
    if exc.filename2 is not None:
        return f"{path} → {os.fsdecode(exc.filename2)}: {cause}"
    return f"{path}: {cause}"


class PublishError(NashraError):
    """Uploading `output/` to where the podcast is hosted failed or was refused."""
