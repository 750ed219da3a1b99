"""The MIME type of each kind of file nashra writes, by the end of its name.

One table for everything that names a type: the feed (enclosures, chapters,
transcripts), `nashra serve` and `nashra publish` (each file's `Content-Type`).
"""

from __future__ import annotations

AUDIO_TYPE = "audio/mpeg"
RSS_TYPE = "application/rss+xml"
CHAPTERS_TYPE = "application/json+chapters"
UTF8 = "; charset=utf-8"

# By full-name suffix first (".chapters.json"), then by extension; the value is the
# `Content-Type` a file is sent with, a charset on the text types apps and browsers
# would otherwise guess.
CONTENT_TYPES = {
    ".chapters.json": CHAPTERS_TYPE,
    ".mp3": AUDIO_TYPE,
    ".xml": RSS_TYPE,
    ".vtt": "text/vtt" + UTF8,
    ".srt": "application/x-subrip" + UTF8,
    ".json": "application/json",
    ".html": "text/html" + UTF8,
    ".css": "text/css" + UTF8,
    ".js": "text/javascript" + UTF8,
    ".txt": "text/plain" + UTF8,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
}
UNKNOWN_TYPE = "application/octet-stream"


def content_type(name: str) -> str:
    """The `Content-Type` a file called `name` is sent with."""
    lower = name.lower()
    for suffix, value in CONTENT_TYPES.items():
        if lower.endswith(suffix):
            return value
    return UNKNOWN_TYPE


def media_type(name: str) -> str:
    """The bare MIME type of a file called `name`, as a feed names it (no charset)."""
    return content_type(name).partition(";")[0]
