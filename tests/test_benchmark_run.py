"""benchmarks/run.py --check: a missed target that does not depend on the machine's
speed fails the run, in --quick runs too, as CI makes them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO

pytestmark = pytest.mark.slow


def test_check_fails_a_quick_run_whose_request_target_is_missed(tmp_path: Path) -> None:
    # A request a sentence (`packing = "sentence"`, a real setting of nashra's)
    # sends about as many requests as plain gTTS: figure 4a's target of 0.6 ×
    # plain gTTS is really missed, measured at the fake Google like any run.
    results = tmp_path / "RESULTS.md"
    options = ["--only", "google", "--packing", "sentence", "--output", str(results)]
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--check", *options],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=600,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    assert "target missed: 4a. Google requests" in done.stderr
    row = next(line for line in results.read_text().splitlines() if line.startswith("| 4a."))
    assert row.endswith("| **no** |")
