"""The cost line and `--max-characters` of a build with Google Cloud (issue 27), against
its real local fake (`tests.google_cloud_server`); the figures are checked against what
that server received, counted as Google bills them: every character of the input, SSML
tags included, but for the `<mark>` tags that ask for word timings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.google_cloud_server import FakeGoogle, Seen, serving
from tests.support import CORPUS, make_project
from tests.test_cli import run

ARTICLES = [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"]
COST = re.compile(r"cost: (.+?) will be sent (\d+) requests?, (\d+) characters")
MARK = re.compile(r"<mark\b[^>]*/>")


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    with serving(monkeypatch) as fake:
        yield fake


def _project(root: Path, **options: object) -> Path:
    fast = {"backoff": 0.001, "request_rate": 1000.0, **options}
    return make_project(root, ARTICLES, engine="google-cloud", options={"google-cloud": fast})


def billed_at_the_server(seen: Seen) -> int:
    """What Google bills for one request it received: its SSML input, marks left out."""
    return len(MARK.sub("", seen.json()["input"]["ssml"]))


def _announced(err: str) -> tuple[str, int, int]:
    found = COST.search(err)
    assert found is not None, err
    return found.group(1), int(found.group(2)), int(found.group(3))


def test_a_build_says_what_google_will_be_sent_as_it_bills_it(
    google: FakeGoogle, tmp_path: Path
) -> None:
    project = _project(tmp_path / "p", price_per_million=16)
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    label, requests, characters = _announced(err)
    assert label == "Google Cloud"
    assert requests == len(google.posts) > 1
    assert characters == sum(billed_at_the_server(p) for p in google.posts)
    # The requests asked for word timings, and their marks were not counted.
    sent = sum(len(p.json()["input"]["ssml"]) for p in google.posts)
    assert all("<mark " in p.json()["input"]["ssml"] for p in google.posts)
    assert characters < sent
    priced = re.search(r": ([\d.,]+) at 16 per million characters", err)
    assert priced is not None, err
    assert float(priced.group(1)) == pytest.approx(characters * 16 / 1e6, abs=0.005)

    # Everything is in the clip cache: nothing sent, and nothing said about cost.
    google.requests.clear()
    code, out, err = run("build", "-p", str(project))
    assert code == 0, err
    assert "cost:" not in out + err
    assert google.posts == []


def test_max_characters_below_googles_figure_refuses_before_any_request(
    google: FakeGoogle, tmp_path: Path
) -> None:
    code, _, err = run("build", "-p", str(_project(tmp_path / "p")))
    assert code == 0, err
    needed = _announced(err)[2]
    assert "[speech.google-cloud] price_per_million" in err
    fresh = _project(tmp_path / "q")
    google.requests.clear()
    code, out, err = run("build", "--max-characters", str(needed - 1), "-p", str(fresh))
    assert code == 2, out + err
    assert f"{needed} characters to Google Cloud" in err
    assert f"--max-characters {needed - 1}" in err
    assert google.posts == []
    assert not (fresh / "output" / "feed.xml").exists()
    code, _, err = run("build", "--max-characters", str(needed), "-p", str(fresh))
    assert code == 0, err
    assert sum(billed_at_the_server(p) for p in google.posts) == needed


def test_the_help_names_both_paid_engines() -> None:
    code, out, _ = run("build", "--help")
    assert code == 0
    assert "paid engine (Azure, Google Cloud)" in " ".join(out.split())
