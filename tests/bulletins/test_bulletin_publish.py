"""`nashra publish` treats the bulletin feed as a feed and the bulletins as episodes."""

from __future__ import annotations

from pathlib import Path

from nashra.publishing.publish import cache_control, content_type, is_own, plan_publish
from tests.test_publish import POLICY, local, remote

OUTPUT = {
    p.path: p
    for p in (
        local("feed.xml", b"<rss>main</rss>"),
        local("bulletin.xml", b"<rss>bulletins</rss>"),
        local("episodes/a.mp3", b"episode a"),
        local("bulletins/bulletin-2025-03-01-v2.mp3", b"bulletin, edited"),
        local("bulletins/bulletin-2025-03-01.html", b"<html>bulletin</html>"),
        local("bulletins/index.html", b"<html>bulletins</html>"),
    )
}


def test_the_bulletin_feed_goes_up_last_and_old_bulletins_are_deleted() -> None:
    old = local("bulletins/bulletin-2025-03-01.mp3", b"bulletin")
    plan = plan_publish(OUTPUT, {old.path: remote(old)}, keeps_headers=False, policy=POLICY)
    assert plan.paths("media") == [
        "bulletins/bulletin-2025-03-01-v2.mp3",
        "episodes/a.mp3",
    ]
    assert plan.paths("pages") == ["bulletins/bulletin-2025-03-01.html", "bulletins/index.html"]
    assert plan.paths("feed") == ["bulletin.xml", "feed.xml"]
    assert plan.paths("delete") == ["bulletins/bulletin-2025-03-01.mp3"]
    assert plan.steps[-1].stage == "delete"


def test_bulletin_headers() -> None:
    assert content_type("bulletin.xml") == "application/rss+xml; charset=utf-8"
    assert cache_control("bulletins/bulletin-2025-03-01.mp3", POLICY).endswith("immutable")
    assert "immutable" not in cache_control("bulletins/index.html", POLICY)
    assert is_own("bulletin.xml") and not is_own(".bulletin.xml.nashra-upload")


def test_a_bulletin_chapter_links_only_to_http_addresses(tmp_path: Path) -> None:
    from nashra.config.settings import load_settings
    from nashra.core.model import Chapter
    from nashra.stages.bulletins.publish import OPENING_CHAPTERS, chapter_extras
    from tests.support import make_project
    from tests.test_site import record

    settings = load_settings(make_project(tmp_path / "p", []))
    chapters = tuple(Chapter(float(i), f"فصل {i}") for i in range(OPENING_CHAPTERS + 2))
    bulletin = record("bulletin", chapters=chapters)
    articles = {
        "good": record("good", link="https://example.org/a"),
        "evil": record("evil", link="javascript:alert(7)"),
    }
    extras = chapter_extras(settings, bulletin, ["good", "evil"], articles)
    assert extras[OPENING_CHAPTERS]["url"] == "https://example.org/a"
    assert extras[OPENING_CHAPTERS + 1]["url"] == settings.url_for("episodes/evil.html")
