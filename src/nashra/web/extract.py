"""The article in a web page: the one adapter of trafilatura.

trafilatura finds a page's main text and leaves out its menus, share rows,
related links and comments; it also reads the title, author, date and canonical
address from the page's metadata. Nothing it returns is trusted: the importer
cleans every field before it becomes an article file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura

log = logging.getLogger(__name__)

MIN_LETTERS = 120
"""Letters of main text below which a page holds no article (a teaser, an index page)."""
_PAYWALL = re.compile(r"""["']?isAccessibleForFree["']?\s*:\s*["']?false""", re.IGNORECASE)
_LETTER = re.compile(r"\w", re.UNICODE)
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class Extracted:
    text: str
    """The main text, one paragraph a line."""
    title: str | None = None
    author: str | None = None
    date: datetime | None = None
    canonical: str | None = None
    """The page's own address for itself (`<link rel="canonical">`, `og:url`)."""
    sitename: str | None = None


class NoArticle(ValueError):
    """The page holds no article text; the message says what was found instead."""


def extract_article(html: str | bytes, url: str) -> Extracted:
    """The article in `html` (fetched from `url`), or `NoArticle`."""
    try:
        document = _extract(html, url)
    except Exception as exc:  # one hostile page must not stop the others
        log.debug("trafilatura failed on %s", url, exc_info=True)
        raise NoArticle(f"the page cannot be read ({type(exc).__name__}: {exc})") from None
    text = _field(document, "text") or ""
    if letters(text) < MIN_LETTERS:
        raw = html if isinstance(html, str) else html.decode("utf-8", errors="replace")
        if _PAYWALL.search(raw):
            raise NoArticle("behind a paywall (the page says it is not free to read)")
        raise NoArticle(
            "no article text found (a paywall, a login, or a page that is not an article)"
        )
    canonical = _field(document, "url")
    return Extracted(
        text=text,
        title=_field(document, "title"),
        author=_field(document, "author"),
        date=_date(_field(document, "date")),
        canonical=canonical if canonical != url else None,
        sitename=_field(document, "sitename"),
    )


def _extract(html: str | bytes, url: str) -> object:
    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        date_extraction_params={
            "extensive_search": True,
            "original_date": True,
            "outputformat": _DATE_FORMAT,
        },
    )


def _field(document: object, name: str) -> str | None:
    """A field of trafilatura's result (a `Document`, or None when it found nothing)."""
    value = getattr(document, name, None)
    return value if isinstance(value, str) and value else None


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed item's full content), one paragraph a line."""
    wrapped = f"<html><body><article>{html}</article></body></html>"
    try:
        return trafilatura.extract(wrapped, favor_recall=True, include_comments=False) or ""
    except Exception:  # then the item's page is fetched instead
        log.debug("trafilatura failed on a feed item's content", exc_info=True)
        return ""


def letters(text: str) -> int:
    return len(_LETTER.findall(text))


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, _DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        log.debug("an unreadable date from trafilatura: %r", value)
        return None
