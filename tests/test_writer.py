import os
from pathlib import Path

import pytest

from nashra.core.errors import OutputError
from nashra.storage.writer import atomic_path, atomic_write, remove_stale_parts, safe_join


@pytest.mark.parametrize(
    "relative", ["../escape.mp3", "episodes/../../x", "/etc/passwd", "", "a\x00b"]
)
def test_safe_join_refuses_escapes(tmp_path: Path, relative: str) -> None:
    with pytest.raises(OutputError):
        safe_join(tmp_path / "output", relative)


def test_safe_join_refuses_symlink_out(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(OutputError):
        safe_join(out, "link/secret")


def test_safe_join_allows_subfolders(tmp_path: Path) -> None:
    assert safe_join(tmp_path, "episodes/a.mp3") == tmp_path.resolve() / "episodes" / "a.mp3"


def test_atomic_write_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "feed.xml"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["feed.xml"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_failed_write_leaves_old_file_and_no_debris(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("killed")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["feed.xml"]


def test_remove_stale_parts(tmp_path: Path) -> None:
    (tmp_path / "episodes").mkdir()
    (tmp_path / "episodes" / ".a.mp3.x1.part").write_bytes(b"x")
    (tmp_path / "episodes" / "a.mp3").write_bytes(b"x")
    assert remove_stale_parts(tmp_path) == 1
    assert [p.name for p in (tmp_path / "episodes").iterdir()] == ["a.mp3"]


@pytest.mark.parametrize("relative", ["../x.mp3", "/etc/passwd", "a/../../x", ""])
def test_read_join_refuses_what_safe_join_refuses(tmp_path: Path, relative: str) -> None:
    from nashra.storage.writer import read_join

    with pytest.raises(OutputError):
        read_join(tmp_path / "out", relative)


def test_read_join_joins_a_recorded_path(tmp_path: Path) -> None:
    from nashra.storage.writer import read_join

    assert read_join(tmp_path, "episodes/a-v2.mp3") == tmp_path / "episodes" / "a-v2.mp3"
