"""Targets that can fail: every benchmark reports each target it measures as a
`Verdict`, and with `--check` exits 1 when one that applies to the run is missed.

Which targets apply: a target that does not depend on the machine's speed (a
count of requests, chunks or episodes made again, a memory ratio, a correctness
figure) is checked in every run, `--quick` included, so CI enforces it. A time
ratio depends on how busy a shared machine is: it is checked only in a full run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    figure: str
    target: str
    met: bool
    # True for a time ratio: checked in a full run only, reported in a quick one.
    timing: bool = False


def add_check_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a target is missed (in --quick runs, time ratios are only reported)",
    )


def exit_status(verdicts: Iterable[Verdict], *, check: bool, quick: bool) -> int:
    """Print every missed target; return 1 if `check` and one that applies was missed."""
    status = 0
    for verdict in verdicts:
        if verdict.met:
            continue
        applies = not (quick and verdict.timing)
        kind = "target missed" if applies else "time target missed (reported only in --quick)"
        print(f"{kind}: {verdict.figure}: {verdict.target}", file=sys.stderr)
        if check and applies:
            status = 1
    return status
