"""The command group and what every command shares: options, settings, error mapping.

Each command gathers its inputs, calls one library function, prints a short
result, and turns `NashraError`s into messages: exit 2 for usage and settings
errors, 1 for a build that failed. `NASHRA_DEBUG=1` shows the traceback instead.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from nashra import __version__
from nashra.engines import AUTO, engine_names
from nashra.errors import NashraError, UsageError, describe_os_error
from nashra.settings import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger("nashra")

ENGINE_CHOICES = (AUTO, *engine_names())
"""`auto` and every registered engine, plugins included."""


class BuildFailed(click.ClickException):
    exit_code = 1


class BadUsage(click.ClickException):
    exit_code = 2


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except NashraError as exc:
        if os.environ.get("NASHRA_DEBUG"):
            raise
        if isinstance(exc, UsageError):
            raise BadUsage(str(exc)) from exc
        raise BuildFailed(str(exc)) from exc
    except OSError as exc:
        # Whatever the system refused (a file where a folder must be, a full disk, no
        # permission), one line with the path and the cause, not a traceback.
        if os.environ.get("NASHRA_DEBUG"):
            raise
        raise BuildFailed(describe_os_error(exc)) from exc


def _project_option(func: F) -> F:
    return click.option(
        "--project",
        "-p",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The podcast project folder (holds podcast.toml and articles/).",
    )(func)


def _label(name: str) -> str:
    """What messages call the engine `name`."""
    from nashra.engines import engine_class

    return engine_class(name).label or name


def _settings(project: Path, engine: str | None = None) -> Settings:
    overrides = {"speech.engine": engine} if engine else None
    return load_settings(project, overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nashra")
@click.option("-v", "--verbose", count=True, help="Say more (-vv for debugging detail).")
@click.option("-q", "--quiet", is_flag=True, help="Only print warnings and errors.")
def cli(verbose: int, quiet: bool) -> None:
    """nashra: publish written Arabic articles as a podcast.

    Reads articles/ in a podcast project, voices each article in Arabic, and writes
    MP3 episodes and a podcast RSS feed to output/.
    """
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    if not verbose and not quiet:
        level = logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)
