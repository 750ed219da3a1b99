"""`nashra import url` and `nashra import feed`: web pages into article files.

Each article becomes the same file the archive importer writes
(`nashra.readers.importing`: front matter title, author, date, url; the name a hash
of the URL without query and fragment). The URL is the page's canonical address
when the page names one on its own site, else the address fetched without its
query and fragment; a feed item with no address but its whole text in the feed is
keyed by its GUID (hashed into the file name, as the archive importer keys a record
without a URL) and has no `url`. An article met again is rewritten
only when its text or metadata changed on the site (so its episode becomes `-v2`,
as an edit does); an article whose text is that of another article file, under
another address, is skipped. A feed item's own full content is used without
fetching its page when it holds the whole article.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from nashra.readers.importing import (
    Record,
    article_text,
    canonical_url,
    check_record,
    file_name,
    known_texts,
    text_key,
)
from nashra.readers.sanitize import LinkRejected, plain_text, web_link
from nashra.storage.writer import atomic_write, remove_stale_parts
from nashra.web.extract import Extracted, NoArticle, extract_article, fragment_text, letters
from nashra.web.feeds import FeedItem, NotAFeed, parse_feed
from nashra.web.fetch import Fetcher, FetchError, Response, same_site
from nashra.web.state import FeedStates

log = logging.getLogger(__name__)

FULL_TEXT_MIN = 600
"""Letters from which a feed item's own content is taken as the whole article."""
TITLE_MAX = 300
AUTHOR_MAX = 120
_TRUNCATED = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\]|اقرأ المزيد|read more)\s*$", re.IGNORECASE)
_INVISIBLE = re.compile(
    r"[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


@dataclass
class WebImported:
    written: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    """Articles already imported whose page changed: rewritten."""
    unchanged: int = 0
    """Pages fetched again that had not changed."""
    seen: int = 0
    """Feed items imported by an earlier run and unchanged in the feed: not fetched."""
    feeds_unchanged: int = 0
    """Feeds that answered 304 Not Modified."""
    same_text: int = 0
    too_old: int = 0
    failed: list[str] = field(default_factory=list)
    """`URL: problem` for each page or feed that could not be imported."""
    notes: list[str] = field(default_factory=list)
    """`URL: remark` worth showing (a redirect to another site)."""

    @property
    def changed(self) -> bool:
        return bool(self.written or self.updated)


class _Articles:
    """Writes records into `articles/`: new ones, updated ones, never the same text twice."""

    def __init__(self, folder: Path, result: WebImported, since: date | None) -> None:
        self.folder = folder
        self.result = result
        self.since = since
        self._texts: dict[str, str] | None = None

    def save(self, where: str, record: Record) -> bool:
        """Write `record`, or count why not; False when it is refused."""
        checked = check_record(where, record)
        if isinstance(checked, str):
            self.result.failed.append(checked)
            return False
        if self.since and record.date and record.date.date() < self.since:
            self.result.too_old += 1
            return True
        name = file_name(record)
        target = self.folder / name
        data = article_text(record).encode("utf-8")
        texts = self._known()
        key = text_key(record.content)
        if target.exists():
            try:
                if target.read_bytes() == data:
                    self.result.unchanged += 1
                    return True
            except OSError:
                pass
            updated = True
        else:
            if key and texts.get(key, name) != name:
                self.result.same_text += 1
                return True
            updated = False
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            atomic_write(target, data, durable=False)
        except OSError as exc:
            self.result.failed.append(f"{where}: cannot write {target} ({exc.strerror or exc})")
            return False
        if key:
            texts[key] = name
        (self.result.updated if updated else self.result.written).append(target)
        return True

    def _known(self) -> dict[str, str]:
        """Text key → file name of the Markdown articles already in the folder; read
        once, and only when a page is to be saved."""
        if self._texts is None:
            if self.folder.is_dir():
                remove_stale_parts(self.folder, recursive=False)
            self._texts = known_texts(self.folder)
        return self._texts


def import_pages(
    urls: Iterable[str], articles_dir: Path, fetcher: Fetcher, *, since: date | None = None
) -> WebImported:
    """Fetch each of `urls` and import the article in it."""
    result = WebImported()
    articles = _Articles(articles_dir, result, since)
    for url in urls:
        _import_page(url, None, fetcher, articles)
    return result


def import_feeds(
    sources: Iterable[str],
    articles_dir: Path,
    work_dir: Path,
    fetcher: Fetcher,
    *,
    since: date | None = None,
) -> WebImported:
    """Read each feed (an address, or a feed file's path) and import its new or changed
    items. An address is asked for conditionally; an item imported before and
    unchanged in the feed is not fetched again."""
    result = WebImported()
    articles = _Articles(articles_dir, result, since)
    states = FeedStates(work_dir)
    for source in sources:
        state = states.get(source)
        path = Path(source)
        validators: tuple[str | None, str | None] = (None, None)
        if not source.lower().startswith(("http://", "https://")):
            if not path.is_file():
                result.failed.append(f"{source}: no such file, and not an http(s) address")
                continue
            try:
                if path.stat().st_size > fetcher.options.max_bytes:
                    result.failed.append(f"{source}: larger than [import] max_page_mb; refused")
                    continue
                body = path.read_bytes()
            except OSError as exc:
                result.failed.append(f"{source}: cannot be read ({exc.strerror or exc})")
                continue
        else:
            try:
                answer = fetcher.get(
                    source, etag=state.etag, last_modified=state.last_modified, robots=False
                )
            except FetchError as exc:
                result.failed.append(str(exc))
                continue
            if answer.not_modified:
                result.feeds_unchanged += 1
                continue
            body = answer.body
            validators = (answer.etag, answer.last_modified)
        try:
            items = parse_feed(body)
        except NotAFeed as exc:
            result.failed.append(f"{source}: {exc}")
            continue
        state.etag, state.last_modified = validators
        kept = {}
        for item in items:
            if state.items.get(item.key) == item.fingerprint:
                result.seen += 1
                kept[item.key] = item.fingerprint
                continue
            if _import_item(item, fetcher, articles, source):
                kept[item.key] = item.fingerprint
        # Items that left the feed are forgotten: the file stays bounded.
        state.items = kept
    states.save()
    return result


def _import_item(item: FeedItem, fetcher: Fetcher, articles: _Articles, feed: str) -> bool:
    """Import a feed item from its own full text when it holds the whole article, else
    from its page; an item with neither is named and refused."""
    link, unusable = item.link, None
    if link:
        try:
            web_link(link)
            urlsplit(link).hostname  # noqa: B018  (raises on `http://[::1`)
        except (LinkRejected, ValueError) as exc:
            unusable = f"{link!r}: not an http(s) address ({exc})"
            link = None
    content = fragment_text(item.content_html) if item.content_html else ""
    if content and _whole(content):
        # Without an address the GUID names the article: hashed, never a file name itself.
        where = link or _named(item.key)
        record = Record(
            title=_clean(item.title, TITLE_MAX) or "",
            content=content,
            author=_clean(item.author, AUTHOR_MAX),
            date=item.published,
            url=canonical_url(link) if link else None,
            source=_source(link or feed),
            key=None if link else item.key,
        )
        if not record.title:
            articles.result.failed.append(f"{where}: the feed item has no title")
            return False
        return articles.save(where, record)
    if unusable is not None:
        articles.result.failed.append(unusable)
        return False
    if not link:
        articles.result.failed.append(
            f"{_named(item.key)}: the feed item has no address to fetch, and not the whole "
            "article in the feed"
        )
        return False
    return _import_page(link, item, fetcher, articles)


def _named(key: str) -> str:
    """A feed item's GUID as a message may show it: quoted, escapes visible, not too long."""
    shown = repr(key[:120] + ("…" if len(key) > 120 else ""))
    return f"feed item {shown}"


def _import_page(url: str, item: FeedItem | None, fetcher: Fetcher, articles: _Articles) -> bool:
    result = articles.result
    try:
        answer = fetcher.get(url)
    except FetchError as exc:
        result.failed.append(str(exc))
        return False
    if answer.off_site:
        result.notes.append(f"{url}: redirects to another site, {answer.off_site}")
    try:
        found = extract_article(_html(answer), answer.final_url)
    except NoArticle as exc:
        result.failed.append(f"{url}: {exc}")
        return False
    title = _clean(_without_site(found), TITLE_MAX) or _clean(
        item.title if item else None, TITLE_MAX
    )
    if not title:
        result.failed.append(f"{url}: the page has no title")
        return False
    record = Record(
        title=title,
        content=found.text,
        author=_clean(found.author, AUTHOR_MAX)
        or _clean(item.author if item else None, AUTHOR_MAX),
        date=(item.published if item else None) or found.date,
        url=_address(answer, found),
        source=_source(answer.final_url),
    )
    return articles.save(url, record)


def _address(answer: Response, found: Extracted) -> str:
    """The article's address: the page's canonical one when it is on the same site (a
    page may not claim another site's article), else the one fetched; no query."""
    if found.canonical and same_site(found.canonical, answer.final_url):
        try:
            return canonical_url(web_link(found.canonical))
        except (LinkRejected, ValueError):
            pass  # a canonical address no link may be made of: the one fetched
    return canonical_url(answer.final_url)


def _html(answer: Response) -> str | bytes:
    """The page as text when its header names the charset; else its bytes, which
    trafilatura decodes from the page's own `<meta charset>` or by guessing."""
    if answer.charset:
        return answer.body.decode(answer.charset, errors="replace")
    return answer.body


def _without_site(found: Extracted) -> str | None:
    """The page's title without the site's name that many sites append (` - اليوم السابع`)."""
    title, site = found.title, found.sitename
    if title and site:
        for mark in (" - ", " | ", " – ", " — "):
            if title.endswith(mark + site) and len(title) > len(mark + site):
                return title[: -len(mark + site)]
    return title


def _whole(text: str) -> bool:
    return letters(text) >= FULL_TEXT_MIN and not _TRUNCATED.search(text)


def _clean(value: str | None, limit: int) -> str | None:
    """A title or author from a page or feed, as plain text on one line."""
    if not value:
        return None
    text = unicodedata.normalize("NFC", plain_text(value))
    text = " ".join(_INVISIBLE.sub(" ", text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def _source(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or "web"
