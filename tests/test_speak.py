"""`nashra speak`: the file is what its name says, in a folder that exists, or a clear error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.core.errors import UsageError
from nashra.stages.speak import speak
from tests.mp3s import mp3_info
from tests.support import REPO, make_project
from tests.test_cli import run

TEXT = "مرحبا بكم في نشرة. هذه تجربة قصيرة."


def test_a_wav_name_gets_a_wav_file(tmp_path: Path) -> None:
    settings = load_settings(make_project(tmp_path / "p", []))
    result = speak(TEXT, tmp_path / "hello.WAV", engine="fake", settings=settings)
    with wave.open(str(tmp_path / "hello.WAV")) as reader:
        assert (reader.getnchannels(), reader.getsampwidth()) == (1, 2)
        assert reader.getframerate() == settings.audio.sample_rate
        seconds = reader.getnframes() / reader.getframerate()
    assert abs(seconds - result.duration) < 0.1 and seconds > 1
    speak(TEXT, tmp_path / "hello.mp3", engine="fake", settings=settings)
    assert mp3_info(tmp_path / "hello.mp3").length > 1


def test_another_extension_is_refused_before_any_work(tmp_path: Path) -> None:
    for name in ("hello.ogg", "hello"):
        with pytest.raises(UsageError, match=r"\.mp3 or \.wav"):
            speak(TEXT, tmp_path / name, engine="fake")
        assert not (tmp_path / name).exists()
    code, _, err = run("speak", TEXT, "-o", str(tmp_path / "x.ogg"))
    assert code == 2 and f"{tmp_path / 'x.ogg'}: " in err and ".mp3 or .wav" in err


def test_a_missing_output_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    code, _, err = run("speak", TEXT, "-o", str(missing / "x.mp3"))
    assert code == 2
    (line,) = err.strip().splitlines()
    assert line == f"Error: {missing}: no such folder; create it, or write the file elsewhere"
    assert not (tmp_path / "no").exists()


def _can_mount_a_tmpfs(folder: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--user", "--map-root-user", "--mount", "mount", "-t", "tmpfs"]
    done = subprocess.run([*probe, "tmpfs", str(folder)], capture_output=True, check=False)
    return done.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("full", ["output", "temporary folder"])
def test_a_full_disk_names_the_file_and_says_so(tmp_path: Path, full: str) -> None:
    """A real full disk: a 16 KiB tmpfs in a mount namespace of our own (no root needed)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _can_mount_a_tmpfs(disk):
        pytest.skip("cannot mount a tmpfs in a user namespace here")
    target = (disk if full == "output" else tmp_path) / "hello.mp3"
    nashra = f"{sys.executable} -m nashra speak {TEXT!r} -o {target} --engine espeak"
    script = f"mount -t tmpfs -o size=16k tmpfs {disk} && cd {tmp_path} && exec {nashra}"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    if full != "output":
        env["TMPDIR"] = str(disk)  # the throw-away clip cache and the joined audio
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.strip().splitlines()
    named = str(target) if full == "output" else f"{disk}/nashra-"
    assert line.startswith(f"Error: {named}")
    assert line.endswith(": the disk is full (no space left on device)")
    assert not target.exists()
