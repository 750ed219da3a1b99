import subprocess
import sys
import time
from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.core.errors import BuildLocked
from nashra.stages.builder import build
from nashra.storage.lock import project_lock


def test_second_build_stops_with_a_clear_message(small_project: Path) -> None:
    settings = load_settings(small_project)
    with project_lock(settings.work_dir), pytest.raises(BuildLocked, match="another nashra build"):
        build(settings, wait_for_lock=0)
    assert not (settings.output_dir / "feed.xml").exists()


def refused(work_dir: Path) -> bool:
    """Whether taking the lock of `work_dir` now fails at once."""
    try:
        with project_lock(work_dir):
            return False
    except BuildLocked:
        return True


def test_lock_is_released_after_a_build(tmp_path: Path) -> None:
    with project_lock(tmp_path):
        assert refused(tmp_path)
    assert not refused(tmp_path)


def test_lock_held_by_another_process(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from nashra.storage.lock import project_lock\n"
            "with project_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(30)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(BuildLocked, match="--wait"), project_lock(tmp_path, wait=0.3):
            pass
        assert time.monotonic() - started >= 0.3
    finally:
        holder.kill()
        holder.wait()
    # A killed holder leaves no stale lock behind.
    with project_lock(tmp_path):
        pass
