"""A signal whose exception Python cannot raise still stops nashra, and quietly.

Python drops an exception raised where it cannot propagate (a hook that runs at a
fork, `__del__`) with "Exception ignored in ..." and a traceback. A SIGTERM that
came while a build's worker pool forked a worker was lost so: the workers were
already stopped, the build failed on its broken pool with a traceback, status 1.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = {
    "fork": """
        os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGTERM))
        child = os.fork()
        if child == 0:
            os._exit(0)
        os.waitpid(child, 0)
    """,
    "__del__": """
        class Dropped:
            def __del__(self) -> None:
                os.kill(os.getpid(), signal.SIGTERM)

        Dropped()
    """,
}


@pytest.mark.parametrize("where", sorted(SCRIPT))
def test_a_lost_interrupt_is_kept_and_not_shown(where: str) -> None:
    code = "import os, signal\nfrom nashra.core import interrupt\ninterrupt.install()\n"
    code += textwrap.dedent(SCRIPT[where])
    code += "lost = interrupt.pending()\nprint('still running', lost and lost.name)\n"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(Path("src").resolve())},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "still running SIGTERM"
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_the_command_line_stops_with_a_lost_interrupt_instead_of_what_it_broke() -> None:
    code = textwrap.dedent("""
        import os, signal, sys
        import click
        from nashra import cli

        @click.command()
        def broken() -> None:
            os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGTERM))
            child = os.fork()
            if child == 0:
                os._exit(0)
            os.waitpid(child, 0)
            raise RuntimeError("a worker pool the signal broke")

        cli.commands = lambda: broken
        sys.argv = ["nashra"]
        cli.main()
    """)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(Path("src").resolve())},
        timeout=60,
    )
    assert done.returncode == 143, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "interrupted by SIGTERM" in done.stderr
