"""Headless Chromium (Debian's `chromium` package) driven by Playwright, against `nashra serve`.

Playwright's own browser download does not work here, so it launches the system
Chromium at `NASHRA_CHROMIUM` (default /usr/bin/chromium). Without it the tests
skip locally with the reason, but `.ci/run` sets `NASHRA_REQUIRE_BROWSER=1`, which
turns that skip into a failure: CI must never pass without running them.
Screenshots (`tests.support.screenshot`) go to `test-artifacts/browser/` in the repository.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nashra.config.settings import Settings, load_settings
from nashra.server import NashraServer, make_server
from nashra.stages.builder import build
from tests.support import REPO, make_project

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Playback without a click, so tests can watch currentTime advance.
    "--autoplay-policy=no-user-gesture-required",
]

ARTICLE = """\
---
title: "نشرة الاختبار: ثلاثة أقسام"
author: "فريق نشرة"
date: 2024-03-12
description: "حلقة قصيرة لاختبار الصفحات في المتصفح."
---

هذه مقدمة قصيرة. نقرأ فيها جملتين.

## القسم الأول

افتتحت المدينة حديقة جديدة اليوم. حضر الافتتاح عدد كبير من السكان.

## القسم الثاني

ارتفعت درجات الحرارة في نهاية الأسبوع. ينصح الأطباء بشرب الماء.
"""


def _chromium() -> str | None:
    path = os.environ.get("NASHRA_CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).is_file() and os.access(path, os.X_OK) else shutil.which(path)


def _unavailable(reason: str) -> None:
    if os.environ.get("NASHRA_REQUIRE_BROWSER"):
        pytest.fail(f"NASHRA_REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A real build (espeak-ng, ffmpeg) of two articles: one in sections, one from the corpus.

    Real speech, so the transcript's cue times are those of spoken sentences."""
    root = make_project(
        tmp_path_factory.mktemp("browser") / "podcast",
        [REPO / "tests" / "data" / "corpus" / "saudinewsnet" / "04-alweeam.txt"],
        engine="espeak",
    )
    (root / "articles" / "sections.md").write_text(ARTICLE, encoding="utf-8")
    settings = load_settings(root)
    report = build(settings, jobs=2)
    assert report.ok, report.failed
    return settings


@pytest.fixture(scope="session")
def server(built_site: Settings) -> Iterator[NashraServer]:
    served = make_server(built_site, port=0)
    thread = threading.Thread(target=served.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


@pytest.fixture
def page(browser: Any, server: NashraServer) -> Iterator[Any]:
    """A fresh page that records every request to a host other than the server's."""
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="ar")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.outside = []
    tab.errors = []
    served = server.url

    def watch(request: Any) -> None:
        if not request.url.startswith((served, "file://", "data:", "about:")):
            tab.outside.append(request.url)

    tab.on("request", watch)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()
