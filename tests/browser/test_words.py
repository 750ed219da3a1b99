"""The word being said, lit as an episode plays (espeak-ng reports its word timings)."""

from __future__ import annotations

import json
from typing import Any
from urllib.request import urlopen

import pytest

from nashra.server import NashraServer
from tests.browser.test_pages import PLAYER, start_muted, wait_for_time
from tests.support import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAID = f"""(() => {{
    const t = {PLAYER}.currentTime;
    const lit = [...document.querySelectorAll('.word.said')];
    return {{t, lit: lit.map(w => ({{start: +w.dataset.start, end: +w.dataset.end,
                                     text: w.textContent}}))}};
}})()"""


def test_the_word_being_said_is_lit(page: Any, server: NashraServer) -> None:
    page.goto(server.url + "/episodes/sections.html")
    link = page.locator("a", has_text="بتوقيت الكلمات").get_attribute("href")
    with urlopen(f"{server.url}/episodes/{link}") as response:
        segments = json.load(response)["segments"]
    words = page.locator(".word")
    assert words.count() == len(segments) > 20
    # The page's words are the JSON transcript's, at its times.
    assert [(s["startTime"], s["body"]) for s in segments[:5]] == [
        (float(words.nth(n).get_attribute("data-start")), words.nth(n).inner_text())
        for n in range(5)
    ]
    start_muted(page)
    page.evaluate(f"{PLAYER}.play()")
    seen: list[tuple[float, dict[str, Any]]] = []
    for moment in (1.0, 2.5, 4.0, 5.5, 7.0):
        wait_for_time(page, f"t > {moment} && document.querySelector('.word.said') !== null")
        sample = page.evaluate(SAID)
        (lit,) = sample["lit"]  # one word at a time
        seen.append((sample["t"], lit))
        assert lit["start"] - 0.25 <= sample["t"] <= lit["end"] + 0.25, (sample, lit)
        # It sits in the sentence being said.
        assert page.evaluate("document.querySelector('.cue.active .word.said') !== null")
    assert len({lit["start"] for _, lit in seen}) == len(seen)  # the light moved on
    screenshot(page, "episode-word", full_page=False)
    assert page.outside == [] and page.errors == []


def test_clicking_a_word_plays_from_it(page: Any, server: NashraServer) -> None:
    page.goto(server.url + "/episodes/sections.html")
    start_muted(page)
    word = page.locator(".word").nth(12)
    target = float(word.get_attribute("data-start"))
    word.click()
    wait_for_time(page, f"t >= {target - 0.05} && t < {target + 1.5}")
    page.wait_for_function("document.querySelector('.word.said') !== null")
    sample = page.evaluate(SAID)
    assert sample["t"] >= target - 0.05
    assert all(lit["start"] >= target - 0.001 for lit in sample["lit"])
