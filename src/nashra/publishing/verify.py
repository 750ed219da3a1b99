"""nashra publish --verify: fetch the published feed over HTTP(S) as a podcast app would.

Every enclosure must answer with the length the feed states (a HEAD request, else
a one-byte range), and the feed must parse: the proof that a listener's app will
play what was published. `base` lets a copy of the site be checked at another
address (a staging server, `nashra serve`): URLs under `base_url` are fetched there.
"""

from __future__ import annotations

import base64
import http.client
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from nashra.publishing.remotes import redact

log = logging.getLogger(__name__)

TIMEOUT = 30.0
_CONTENT_RANGE = re.compile(r"bytes\s+\d+-\d+/(\d+)")
_USER_AGENT = "nashra-verify (podcast publisher)"


@dataclass
class Verification:
    feed_url: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    feed: bytes = b""

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_feed(feed_url: str, *, rewrite: tuple[str, str] | None = None) -> Verification:
    """Fetch `feed_url`; check that every enclosure answers with its stated length.

    `rewrite` is `(prefix, replacement)`: URLs starting with `prefix` are fetched at
    `replacement` instead.
    """
    fetched = _moved(feed_url, rewrite)
    result = Verification(feed_url=_shown(fetched))
    try:
        with _open(fetched, method="GET") as response:
            result.feed = response.read()
    except _FAILURES as exc:
        result.problems.append(f"feed: {result.feed_url} could not be fetched: {_reason(exc)}")
        return result
    try:
        root = ET.fromstring(result.feed)
    except ET.ParseError as exc:
        result.problems.append(f"feed: {result.feed_url} is not well-formed XML ({exc})")
        return result
    items = root.findall("./channel/item")
    if root.tag != "rss" or root.find("channel") is None:
        result.problems.append(f"feed: {result.feed_url} is not an RSS feed")
        return result
    for item in items:
        title = item.findtext("title") or "(untitled)"
        enclosure = item.find("enclosure")
        if enclosure is None or not enclosure.get("url"):
            result.problems.append(f"{title}: no enclosure")
            continue
        url = _moved(enclosure.get("url", ""), rewrite)
        try:
            stated = int(enclosure.get("length", ""))
        except ValueError:
            result.problems.append(f"{title}: enclosure length {enclosure.get('length')!r}")
            continue
        result.checked += 1
        problem = _check_length(url, stated)
        if problem:
            result.problems.append(f"{title}: {_shown(url)} {problem}")
    return result


def _check_length(url: str, stated: int) -> str | None:
    """None when `url` answers with `stated` bytes; else what went wrong."""
    try:
        with _open(url, method="HEAD") as response:
            length = response.headers.get("Content-Length")
            if length is not None and length.isdigit():
                return _compare(int(length), stated)
    except urllib.error.HTTPError as exc:
        if exc.code not in (405, 501):
            return f"answered {exc.code} {exc.reason}"
    except _FAILURES as exc:
        return f"could not be fetched: {_reason(exc)}"
    # No HEAD, or no length in it: ask for one byte and read the total from Content-Range.
    try:
        with _open(url, method="GET", headers={"Range": "bytes=0-0"}) as response:
            match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
            if response.status == 206 and match:
                return _compare(int(match.group(1)), stated)
            length = response.headers.get("Content-Length")
            if length is not None and length.isdigit():
                return _compare(int(length), stated)
            return "answered without a length"
    except urllib.error.HTTPError as exc:
        return f"answered {exc.code} {exc.reason}"
    except _FAILURES as exc:
        return f"could not be fetched: {_reason(exc)}"


def _compare(actual: int, stated: int) -> str | None:
    if actual == stated:
        return None
    return f"is {actual} bytes, but the feed states {stated}"


def _open(url: str, *, method: str, headers: dict[str, str] | None = None) -> Any:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {_shown(url)}")
    sent = {"User-Agent": _USER_AGENT, **(headers or {})}
    parts = urllib.parse.urlsplit(url)
    if "@" in parts.netloc:
        # `https://user:password@staging/…`: sent as HTTP Basic, never in the URL itself.
        user, _, password = parts.netloc.rpartition("@")[0].partition(":")
        pair = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}"
        sent["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        url = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    request = urllib.request.Request(url, method=method, headers=sent)
    return urllib.request.urlopen(request, timeout=TIMEOUT)


_FAILURES = (urllib.error.URLError, OSError, ValueError, http.client.HTTPException)


def _shown(text: str) -> str:
    """`text` (a URL, a message naming one) as messages show it: credentials as `***`."""
    return redact(text, ())


def _moved(url: str, rewrite: tuple[str, str] | None) -> str:
    if rewrite and url.startswith(rewrite[0]):
        return rewrite[1] + url[len(rewrite[0]) :]
    return url


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"{exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return _shown(str(exc.reason))
    return _shown(str(exc))
