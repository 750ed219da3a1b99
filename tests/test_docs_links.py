"""The README, CONTRIBUTING.md and docs/ link to each other by file and heading: every
relative link names a file that exists and, after `#`, a heading in it (as GitHub makes
anchors)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import REPO

PAGES = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """GitHub's anchor for each heading: lower case, punctuation dropped, spaces to `-`."""
    found: set[str] = set()
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (heading := re.match(r"#{1,6} (.*)", line)):
            found.add(re.sub(r"[^\w\- ]", "", heading[1].lower()).replace(" ", "-"))
    return found


def links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return [link for link in LINK.findall(text) if not re.match(r"[a-z]+:", link)]


@pytest.mark.parametrize(
    ("page", "link"),
    [(page, link) for page in PAGES for link in links(page)],
    ids=lambda x: x.name if isinstance(x, Path) else x,
)
def test_every_relative_link_resolves(page: Path, link: str) -> None:
    path, _, anchor = link.partition("#")
    target = (page.parent / path).resolve() if path else page
    assert target.is_file(), f"{page.name} links to {link}: no such file"
    if anchor:
        assert anchor in anchors(target), f"{page.name} links to {link}: no such heading"


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = {(REPO / link.partition("#")[0]).resolve() for link in links(REPO / "README.md")}
    assert {p.resolve() for p in PAGES[1:]} <= linked
