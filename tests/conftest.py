"""Shared fixtures: podcast projects built in tmp_path from the repository's own sample.

The plain helpers the fixtures use are in tests/support.py, where test modules import them from.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.engines import register
from tests.fake_engine import FakeEngine
from tests.support import CORPUS, REPO, make_project

pytest_plugins = ["tests.rclone_servers", "tests.web_server", "tests.assertion_count"]
"""The rclone servers' fixtures (`env`, `s3`, `sftp`) for the publishing tests, and the count
of assertions that fails a session in which a test passed without checking anything."""

# The fake engine comes in through the same door as a plugin: most pipeline tests
# voice with it, and a smaller set of end-to-end tests with the real engines.
register(FakeEngine)


@pytest.fixture(autouse=True, scope="session")
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A cache folder of the test session's own (Piper keeps timed voice models there), so
    tests never write into the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """Two short real articles: quick to voice, enough to see one change in isolation."""
    return make_project(
        tmp_path / "podcast",
        [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"],
    )


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of the repository's sample podcast: every article in articles/."""
    return make_project(tmp_path / "sample", sorted((REPO / "articles").iterdir()))
