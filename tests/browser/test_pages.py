"""The podcast's pages in a real browser: RTL layout, playback, chapters, the live transcript."""

from __future__ import annotations

from typing import Any

import pytest

from nashra.config.settings import Settings
from nashra.server import NashraServer
from tests.support import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAYER = "document.getElementById('player')"


def current_time(tab: Any) -> float:
    return float(tab.evaluate(f"{PLAYER}.currentTime"))


def wait_for_time(tab: Any, condition: str) -> None:
    """Wait until `condition` holds of `t`, the player's current time."""
    tab.wait_for_function(f"(() => {{ const t = {PLAYER}.currentTime; return {condition}; }})()")


def start_muted(tab: Any) -> None:
    tab.evaluate(f"{PLAYER}.muted = true")
    tab.wait_for_function(f"{PLAYER}.readyState >= 1")


def active_cue(tab: Any) -> dict[str, Any] | None:
    result: dict[str, Any] | None = tab.evaluate(
        """(() => {
            const cues = [...document.querySelectorAll('.cue')];
            const i = cues.findIndex(c => c.classList.contains('active'));
            return i < 0 ? null : {index: i, start: parseFloat(cues[i].dataset.start),
                                   current: cues[i].getAttribute('aria-current')};
        })()"""
    )
    return result


def test_index_renders_right_to_left_in_arabic(page: Any, server: NashraServer) -> None:
    page.goto(server.url + "/")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("h1").inner_text() == "نشرة: أخبار مسموعة"
    titles = page.locator(".episode h3").all_inner_texts()
    # Newest first: the sectioned article is dated 2024, the corpus one today.
    assert titles[-1] == "نشرة الاختبار: ثلاثة أقسام"
    # Right to left: the cover sits at the right, the text starts from the right edge.
    cover = page.locator(".show .cover").bounding_box()
    heading = page.locator("h1").bounding_box()
    assert cover["x"] > heading["x"]
    title_box = page.locator(".episode h3").first.bounding_box()
    image_box = page.locator(".episode img").first.bounding_box()
    assert image_box["x"] > title_box["x"]
    # The bundled Arabic font loaded from assets/, relative to the page.
    assert page.evaluate("document.fonts.check('16px \"Nashra Kufi\"', 'نشرة')")
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('Nashra Kufi') && f.status === 'loaded')"
    )
    screenshot(page, "index")
    assert page.outside == [] and page.errors == []


def test_index_on_a_phone(browser: Any, server: NashraServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(server.url + "/")
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(tab, "index-phone")
    context.close()


def test_copy_button_copies_the_feed_address(page: Any, server: NashraServer) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(server.url + "/")
    page.get_by_role("button", name="انسخ العنوان").click()
    page.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == server.url + "/feed.xml"


def test_episode_plays_and_the_highlight_follows(page: Any, server: NashraServer) -> None:
    page.goto(server.url + "/episodes/sections.html")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    start_muted(page)
    page.evaluate(f"{PLAYER}.play()")
    wait_for_time(page, "t > 1.0")
    first = active_cue(page)
    assert first is not None and first["current"] == "true"
    starts = page.evaluate("[...document.querySelectorAll('.cue')].map(c => +c.dataset.start)")
    # Playing on, the highlight moves to the next sentence when its time comes.
    following = next(s for s in starts if s > current_time(page))
    wait_for_time(page, f"t > {following + 0.2}")
    later = active_cue(page)
    assert later is not None and later["index"] > first["index"]
    assert later["start"] <= current_time(page)
    screenshot(page, "episode-playing", full_page=False)
    assert page.outside == [] and page.errors == []


def test_clicking_a_chapter_seeks_there(page: Any, server: NashraServer) -> None:
    page.goto(server.url + "/episodes/sections.html")
    start_muted(page)
    chapters = page.locator(".chapter")
    assert chapters.count() == 3
    assert chapters.nth(2).inner_text().endswith("القسم الثاني")
    target = float(chapters.nth(2).get_attribute("data-start"))
    assert target > 1
    chapters.nth(2).click()
    wait_for_time(page, f"t >= {target - 0.05}")
    assert current_time(page) < target + 3
    assert chapters.nth(2).get_attribute("aria-current") == "true"
    page.wait_for_function("!document.getElementById('player').paused")


def test_clicking_a_sentence_seeks_there_and_lights_it(page: Any, server: NashraServer) -> None:
    page.goto(server.url + "/episodes/sections.html")
    start_muted(page)
    cues = page.locator(".cue")
    chosen = cues.count() - 2
    target = float(cues.nth(chosen).get_attribute("data-start"))
    cues.nth(chosen).click()
    wait_for_time(page, f"t >= {target - 0.05}")
    lit = active_cue(page)
    assert lit is not None and lit["index"] >= chosen
    # And with the keyboard: Enter on a focused sentence.
    cues.nth(1).focus()
    page.keyboard.press("Enter")
    second = float(cues.nth(1).get_attribute("data-start"))
    wait_for_time(page, f"t >= {second - 0.05} && t < {second + 2}")
    screenshot(page, "episode")


def test_pages_work_from_file_urls(browser: Any, built_site: Settings) -> None:
    context = browser.new_context()
    tab = context.new_page()
    page_file = built_site.output_dir / "episodes" / "sections.html"
    tab.goto(page_file.as_uri())
    tab.wait_for_function(f"{PLAYER}.readyState >= 1 && {PLAYER}.duration > 5")
    assert tab.evaluate("document.fonts.check('16px \"Nashra Kufi\"', 'نشرة')")
    tab.locator(".crumbs a").click()
    tab.wait_for_url("**/index.html")
    assert tab.locator(".episode").count() == 2
    context.close()
