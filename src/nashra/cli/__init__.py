"""The command line: a thin click adapter over the nashra library (`nashra.cli.app`),
one module per group of commands. Nothing below this package imports click.

May import: click and every layer of nashra, an engine's package only through the registry
(but `voices`, the adapter over `nashra.engines.piper.voices`). Only `__main__` imports it.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING

from nashra.core import interrupt
from nashra.core.interrupt import Interrupted

if TYPE_CHECKING:
    import click

    # Loaded on first use by `__getattr__` below; declared here so that its type is known.
    cli: click.Group


def main() -> None:
    """The `nashra` program: SIGINT and SIGTERM stop it cleanly, with status 130 or 143."""
    if _command(sys.argv[1:]) == "build":
        interrupt.doing(
            "starting the build: nothing was changed, and the next build resumes from the "
            "clip cache"
        )
    interrupt.install()
    try:
        commands()(prog_name="nashra")
    except Interrupted as exc:
        stopped(exc)
    except Exception:
        # A signal whose exception was lost (`interrupt.pending`) explains what failed;
        # not a normal exit (SystemExit), which follows an interrupt a command handled.
        if (lost := interrupt.pending()) is None:
            raise
        stopped(lost)


def stopped(exc: Interrupted) -> None:
    """Say that the program was interrupted (unless a command did) and exit at once.

    `os._exit`, because a thread still waiting on the network would otherwise
    hold the exit until its request times out; every file was already put right.
    """
    if not exc.reported:
        print(f"nashra: interrupted by {exc.name} while {exc.stage}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exc.status)


def _command(args: list[str]) -> str | None:
    """The command named on the command line (its first word that is not an option)."""
    return next((a for a in args if not a.startswith("-")), None)


def commands() -> click.Group:
    """The `nashra` group with every command registered."""
    # Importing them registers their commands.
    for name in ("building", "importing", "publishing", "tools", "updating", "voices"):
        importlib.import_module(f"nashra.cli.{name}")
    group: click.Group = importlib.import_module("nashra.cli.app").cli
    return group


def __getattr__(name: str) -> object:
    # `nashra.cli.cli` and the command modules load on first use, so that `main`
    # installs its signal handlers before the slower imports.
    if name == "cli":
        return commands()
    if name in {"app", "building", "importing", "publishing", "tools", "updating", "voices"}:
        commands()
        return importlib.import_module(f"nashra.cli.{name}")
    raise AttributeError(name)


__all__ = ["building", "cli", "importing", "main", "publishing", "tools", "updating", "voices"]
