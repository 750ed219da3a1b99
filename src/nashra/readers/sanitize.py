"""What an article or an import record may hand to a podcast app or a browser.

Articles and archive records are untrusted: a front matter `url` becomes a link on
the episode page and in the bulletins' chapters, and titles, descriptions and
authors reach apps that render the feed's text as HTML. This module owns both
checks: `web_link` (only absolute `http`/`https` addresses become links) and
`plain_text` (no markup survives into a field an app renders).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_WEB_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop tabs and newlines inside a URL and strip leading controls and spaces,
# so `java\tscript:` and ` javascript:` run as scripts: no such character is allowed.
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f\s]")

_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
# What is left of a tag that never closes (`<img src=x onerror=…` at the end of a
# text): an HTML parser still reads it as one.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


class LinkRejected(ValueError):
    """A link that is not an absolute http(s) address; the message says why."""


def web_link(value: str) -> str:
    """`value` if it is an absolute `http://` or `https://` address, else `LinkRejected`
    saying why (a `javascript:`, `data:` or `vbscript:` scheme, a protocol-relative
    `//host`, a relative path, a hidden control character)."""
    if _CONTROL_OR_SPACE.search(value):
        raise LinkRejected("it holds a space or a control character")
    if not _WEB_SCHEME.match(value):
        scheme = _SCHEME.match(value)
        if scheme and scheme[1].lower() not in ("http", "https"):
            raise LinkRejected(f"only http and https links are published, not {scheme[1]}:")
        raise LinkRejected("it is not an absolute address (it must start with https://)")
    try:
        host = urlsplit(value).hostname
    except ValueError as exc:
        raise LinkRejected(f"it is not a valid address ({exc})") from None
    if not host:
        raise LinkRejected("it names no host")
    return value


def safe_link(value: str | None) -> str | None:
    """`value` when `web_link` accepts it, else None: for links read back from the build
    state, which an older nashra may have stored unchecked."""
    if not value:
        return None
    try:
        return web_link(value)
    except LinkRejected:
        return None


def plain_text(text: str) -> str:
    """`text` without HTML tags: what a podcast app shows as text, never as markup.

    Tags are removed (their words stay: `<b>عاجل</b>` reads `عاجل`), and a `<` that
    would open a tag loses its bracket. A `<` that opens nothing (`3 < 5`) stays:
    the feed writer escapes it, and an HTML parser reads it as text.
    """
    if "<" not in text:
        return text
    return _TAG_START.sub("", _TAG.sub("", text))
