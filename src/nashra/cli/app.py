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
from nashra.config.settings import Settings, load_settings
from nashra.core.errors import NashraError, UsageError, describe_os_error
from nashra.engines import AUTO, engine_names

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
    from nashra.engines.base import label

    return label(engine_class(name))


def _settings(project: Path, engine: str | None = None) -> Settings:
    overrides = {"speech.engine": engine} if engine else None
    return load_settings(project, overrides)


VERBOSITY = "nashra.verbosity"
"""Key in click's `ctx.meta`: -1 with -q, else the count of -v (before or after the command)."""


def verbosity() -> int:
    """-1 for `-q`, 0 by default, 1 for `-v`, 2 for `-vv`, 3 for `-vvv`."""
    ctx = click.get_current_context(silent=True)
    return int(ctx.meta.get(VERBOSITY, 0)) if ctx else 0


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: object) -> None:
    """Callback of -v and -q, which each command accepts as well as the group."""
    if param.name == "quiet":
        if value:
            ctx.meta[VERBOSITY] = -1
    elif isinstance(value, int) and value and ctx.meta.get(VERBOSITY, 0) >= 0:
        ctx.meta[VERBOSITY] = ctx.meta.get(VERBOSITY, 0) + value
    _configure_logging(int(ctx.meta.get(VERBOSITY, 0)))


def _verbosity_params() -> list[click.Parameter]:
    return [
        click.Option(
            ["-v", "--verbose"],
            count=True,
            expose_value=False,
            callback=_set_verbosity,
            help="Say more: -v each step, -vv nashra's debugging detail, -vvv also the libraries'.",
        ),
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_set_verbosity,
            help="Print nothing but warnings and errors.",
        ),
    ]


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """nashra's messages on stderr; other libraries' below WARNING only with -vvv."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        self.libraries = logging.WARNING

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name == "nashra" or record.name.startswith("nashra.")
        return (ours or record.levelno >= self.libraries) and bool(super().filter(record))


def _configure_logging(level_of_detail: int) -> None:
    root = logging.getLogger()
    ours = [h for h in root.handlers if isinstance(h, _Handler)]
    if root.handlers and not ours:
        return  # someone else (a test runner, a host program) owns logging
    handler = ours[0] if ours else _Handler()
    if not ours:
        root.addHandler(handler)
    levels = {-1: logging.WARNING, 0: logging.WARNING, 1: logging.INFO}
    root.setLevel(levels.get(level_of_detail, logging.DEBUG))
    handler.libraries = logging.DEBUG if level_of_detail >= 3 else logging.WARNING


class _Group(click.Group):
    """A group whose every command also takes -v and -q after its name (`nashra build -v`)."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.extend(_verbosity_params())
        super().add_command(cmd, name)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nashra")
@click.option(
    "-v",
    "--verbose",
    count=True,
    expose_value=False,
    callback=_set_verbosity,
    help="Say more: -v each step, -vv nashra's debugging detail, -vvv also the libraries'.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    callback=_set_verbosity,
    help="Print nothing but warnings and errors.",
)
def cli() -> None:
    """nashra: publish written Arabic articles as a podcast.

    Reads articles/ in a podcast project, voices each article in Arabic, and writes
    MP3 episodes and a podcast RSS feed to output/.
    """
