"""RESULTS.md holds one `## ` section per benchmark; each benchmark replaces its own."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, marker: str, section: str) -> None:
    """`section` (starting with its `marker` heading) in place of the old one, else appended."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if marker in old:
        start = old.index(marker)
        end = old.find("\n## ", start + 1)
        old = old[:start] + (old[end + 1 :] if end >= 0 else "")
    path.write_text(old.rstrip("\n") + "\n\n" + section, encoding="utf-8")
