"""The command line: a thin click adapter over the nashra library (`nashra.cli.app`),
one module per group of commands. Nothing below this package imports click."""

from __future__ import annotations

from nashra.cli import building, importing, publishing, tools
from nashra.cli.app import cli

__all__ = ["building", "cli", "importing", "main", "publishing", "tools"]


def main() -> None:
    cli(prog_name="nashra")
