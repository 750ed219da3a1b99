"""The MIME types of nashra's files: what is sent as `Content-Type`, what a feed names."""

from __future__ import annotations

import pytest

from nashra.render.media_types import content_type, media_type


def test_the_longest_suffix_wins() -> None:
    assert content_type("a.chapters.json") == "application/json+chapters"
    assert content_type("a.json") == "application/json"
    assert content_type("a.bin") == "application/octet-stream"


@pytest.mark.parametrize(
    ("name", "sent", "named"),
    [
        ("episodes/a-v2.MP3", "audio/mpeg", "audio/mpeg"),
        ("episodes/a.vtt", "text/vtt; charset=utf-8", "text/vtt"),
        ("episodes/a.srt", "application/x-subrip; charset=utf-8", "application/x-subrip"),
        ("episodes/نشرة.html", "text/html; charset=utf-8", "text/html"),
        ("feed.xml", "application/rss+xml", "application/rss+xml"),
    ],
)
def test_a_feed_names_the_type_without_the_charset(name: str, sent: str, named: str) -> None:
    assert (content_type(name), media_type(name)) == (sent, named)
