"""The podcast's web pages: the one module that talks to Jinja2.

`nashra build` writes, beside the feed, a small static site that works from
`file://`, from `nashra serve` and from any web host, with nothing fetched from
elsewhere:

* `index.html`: the podcast in Arabic, right to left: cover, description, the
  feed's address with a copy button, links that open podcast apps, and the
  episodes newest first, each with its date, duration and a player;
* `episodes/<slug>.html`: one page per episode: a player, the chapters (click to
  seek) and the transcript, whose sentence being spoken is highlighted and where
  each sentence seeks there when clicked;
* `assets/`: the Arabic font (Noto Kufi Arabic, from the package that draws the
  covers) and its licence, used through a relative `@font-face`.

Everything is rendered from the build state, like the feed, so the same state
gives the same bytes. Media are named by the paths the records hold (versioned
MP3 names included); only the page names come from slugs, because a shared link
to an episode's page should outlive new versions of its audio. Text from
articles is escaped by Jinja2's autoescaping; CSS and JavaScript are inlined.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import posixpath
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import jinja2

from nashra.config.settings import Settings
from nashra.core.model import Chapter, Cue, EpisodeRecord, WordTime
from nashra.readers.sanitize import safe_link
from nashra.storage import paths
from nashra.storage.writer import safe_join, write_if_changed

log = logging.getLogger(__name__)

PAGE_SIZE = 50
"""Episodes on the index and on each archive page."""

_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
_SLUG_PAGE = re.compile(rf"[^/\\]+{re.escape(paths.PAGE_SUFFIX)}")


def page_path(record: EpisodeRecord) -> str:
    """The episode's page, relative to `output/`: stable across versions of its audio.

    Pages sit beside their audio: `episodes/<slug>.html`, `bulletins/<slug>.html`.
    """
    folder = posixpath.dirname(record.file)
    if folder and folder != paths.EPISODES_DIR:
        return paths.episode_page(record.slug, folder)
    return paths.episode_page(record.slug)


@dataclass(frozen=True)
class _Cue:
    start: float
    end: float
    text: str
    words: tuple[WordTime, ...] = ()


@dataclass(frozen=True)
class _Section:
    title: str
    start: float
    cues: tuple[_Cue, ...]


@dataclass(frozen=True)
class _Episode:
    """An episode as a page shows it, with URLs relative to the page."""

    title: str
    description: str
    author: str | None
    date_iso: str
    date_text: str
    duration_iso: str
    duration_text: str
    audio: str
    image: str
    page: str
    link: str | None
    files: tuple[tuple[str, str], ...]
    """(label, URL) of the episode's downloadable files."""
    sections: tuple[_Section, ...]
    has_words: bool = False


@dataclass(frozen=True)
class _App:
    name: str
    url: str


# ---------------------------------------------------------------- rendering


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("nashra.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_index(
    settings: Settings,
    episodes: Sequence[EpisodeRecord],
    *,
    cover: str,
    here: str = "",
    feed_file: str = paths.FEED_FILE,
    see_also: tuple[str, str] | None = None,
    described: Callable[[EpisodeRecord], EpisodeRecord] | None = None,
) -> bytes:
    """`index.html`: the podcast's page with its newest episodes and a link to the archive.

    `cover` is the channel cover's path in `output/`; `here` the folder the page is
    written in, `feed_file` the feed it offers, and `see_also` a page in `output/` and
    its label (the other feed's page). Only the main index is paged into `archive/`.
    `described` gives a record with its description (see `write_site`).
    """
    feed_url = settings.url_for(feed_file)
    newest = _newest_first(episodes)
    limit = len(newest) if here else PAGE_SIZE
    whole = map(described, newest[:limit]) if described else newest[:limit]
    shown = [_episode(r, here, cover, {}, full=False) for r in whole]
    older = None
    if len(newest) > limit:
        # The archive page holding the newest episode the index leaves out.
        older = _url(paths.archive_page((len(newest) - 1 - PAGE_SIZE) // PAGE_SIZE + 1), here)
    return _render(
        "index.html",
        settings=settings,
        root=_url("", here),
        cover=_url(cover, here),
        feed_url=feed_url,
        feed_link=_url(feed_file, here),
        see_also=(_url(see_also[0], here), see_also[1]) if see_also else None,
        apps=_apps(feed_url),
        episodes=shown,
        older=older,
    )


def archive_chunks(episodes: Sequence[EpisodeRecord]) -> list[list[EpisodeRecord]]:
    """The archive's pages, oldest first, `PAGE_SIZE` episodes each (the newest page may
    hold fewer): a new episode only ever changes the newest page."""
    oldest = _newest_first(episodes)[::-1]
    return [oldest[i : i + PAGE_SIZE] for i in range(0, len(oldest), PAGE_SIZE)]


def render_archive(
    settings: Settings, chunk: Sequence[EpisodeRecord], number: int, pages: int, *, cover: str
) -> bytes:
    """Page `number` (from 1, the oldest) of `pages` of the archive: its episodes newest first."""
    here = posixpath.dirname(paths.archive_page(number))
    return _render(
        "archive.html",
        settings=settings,
        root=_url("", here),
        index=_url(paths.INDEX_PAGE, here),
        cover=_url(cover, here),
        number=number,
        pages=pages,
        episodes=[_episode(r, here, cover, {}, full=False) for r in _newest_first(chunk)],
        newer=_url(paths.archive_page(number + 1) if number < pages else paths.INDEX_PAGE, here),
        older=_url(paths.archive_page(number - 1), here) if number > 1 else None,
    )


def render_episode(
    settings: Settings,
    record: EpisodeRecord,
    *,
    cover: str,
    files: Mapping[str, str] | None = None,
    cues: Sequence[Cue] | None = None,
) -> bytes:
    """`episodes/<slug>.html`: the episode's page, with its chapters and transcript
    (`cues`, else the record's own)."""
    here = posixpath.dirname(page_path(record))
    return _render(
        "episode.html",
        settings=settings,
        root=_url("", here),
        index=_url(paths.INDEX_PAGE, here),
        cover=_url(cover, here),
        episode=_episode(record, here, cover, files or {}, cues=cues),
        chapters=[(c.start, c.title) for c in record.chapters],
    )


def _render(template: str, **context: object) -> bytes:
    text = (
        _environment()
        .get_template(template)
        .render(clock=_clock, font=paths.asset(paths.FONT_FILE), **context)
    )
    return text.encode("utf-8")


def _newest_first(episodes: Sequence[EpisodeRecord]) -> list[EpisodeRecord]:
    # The feed's order: newest first, ties by slug.
    by_slug = sorted(episodes, key=lambda r: r.slug)
    return sorted(by_slug, key=lambda r: r.pub_datetime, reverse=True)


def _episode(
    record: EpisodeRecord,
    here: str,
    cover: str,
    files: Mapping[str, str],
    *,
    full: bool = True,
    cues: Sequence[Cue] | None = None,
) -> _Episode:
    """The episode as a page shows it; lists (`full=False`) leave out its transcript."""
    date = record.pub_datetime
    labels = {"chapters": "الفصول (JSON)", "vtt": "النص (WebVTT)", "srt": "النص (SRT)"}
    labels["json"] = "النص بتوقيت الكلمات (JSON)"
    return _Episode(
        title=record.title,
        description=record.shown_description,
        author=record.author,
        date_iso=date.date().isoformat(),
        date_text=arabic_date(date),
        duration_iso=f"PT{round(record.duration)}S",
        duration_text=_clock(record.duration),
        audio=_url(record.file, here),
        image=_url(record.image or cover, here),
        page=_url(page_path(record), here),
        # Records an older nashra stored may hold a link it never checked.
        link=safe_link(record.link),
        files=(
            ("الحلقة (MP3)", _url(record.file, here)),
            *((labels[kind], _url(path, here)) for kind, path in sorted(files.items())),
        ),
        sections=_sections(record.chapters, record.cues if cues is None else cues) if full else (),
        has_words=record.has_words,
    )


def _sections(chapters: Sequence[Chapter], cues: Sequence[Cue]) -> tuple[_Section, ...]:
    """The transcript cut at chapter starts, so each chapter's sentences sit under its title."""
    marks = list(chapters) or [Chapter(0.0, "")]
    sections: list[_Section] = []
    for index, chapter in enumerate(marks):
        end = marks[index + 1].start if index + 1 < len(marks) else float("inf")
        begin = chapter.start if index else float("-inf")
        inside = tuple(
            _Cue(c.start, c.end, c.text, c.words) for c in cues if begin <= c.start < end
        )
        sections.append(_Section(chapter.title, chapter.start, inside))
    return tuple(sections)


def _url(relative: str, here: str) -> str:
    """`relative` (a path in `output/`) as a URL relative to the folder `here`."""
    target = posixpath.relpath(relative or ".", here or ".")
    if relative == "":
        return "" if target == "." else target + "/"
    return quote(target, safe="/")


def arabic_date(moment: datetime) -> str:
    """A date as Arabic news sites write it: `12 مارس 2024`."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def _clock(seconds: float) -> str:
    """`m:ss`, or `h:mm:ss` from an hour on."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _apps(feed_url: str) -> list[_App]:
    """Links that open the feed in podcast apps (their documented subscribe links)."""
    bare = re.sub(r"^https?://", "", feed_url)
    encoded = quote(feed_url, safe="")
    return [
        _App("Apple Podcasts", f"podcast://{bare}"),
        _App("Overcast", f"overcast://x-callback-url/add?url={encoded}"),
        _App("Pocket Casts", f"pktc://subscribe/{bare}"),
        _App("AntennaPod", f"https://antennapod.org/deeplink/subscribe?url={encoded}"),
        _App("Podcast Addict", f"podcastaddict://{bare}"),
    ]


# ---------------------------------------------------------------- writing


def write_site(
    settings: Settings,
    episodes: Sequence[EpisodeRecord],
    *,
    cover: str,
    files: Mapping[str, Mapping[str, str]] | Callable[[EpisodeRecord], Mapping[str, str]],
    see_also: tuple[str, str] | None = None,
    changed: Collection[str] | None = None,
    archive: ArchiveMemo | None = None,
    cues: Callable[[EpisodeRecord], Sequence[Cue]] | None = None,
    described: Callable[[EpisodeRecord], EpisodeRecord] | None = None,
) -> list[str]:
    """Write the pages and their assets into `output/`; return their paths relative to it.

    `files` maps each slug (or gives for each record) its sidecar files by kind
    (`chapters`, `vtt`, `srt`), as the builder names them. Pages of episodes no longer
    published are removed.
    With `changed`, only those episodes' pages are rendered again (and any page that
    is missing): the others' records, and so their pages, are as they were.
    With `archive`, an archive page is rendered only when what it shows changed.
    `cues` gives an episode's transcript when its record leaves it out, and `described`
    the record with its description (`state.Details`): only the pages rendered again
    read them.
    """
    out = settings.output_dir
    written: list[str] = []

    def emit(relative: str, data: bytes) -> None:
        write_if_changed(safe_join(out, relative), data)
        written.append(relative)

    font, licence = _font_files()
    emit(paths.asset(paths.FONT_FILE), font)
    emit(paths.asset(paths.FONT_LICENCE_FILE), licence)
    for record in episodes:
        page = page_path(record)
        if changed is not None and record.slug not in changed and (out / page).is_file():
            continue
        transcript = cues(record) if cues is not None else None
        kinds = files(record) if callable(files) else files.get(record.slug, {})
        shown = described(record) if described else record
        emit(page, render_episode(settings, shown, cover=cover, files=kinds, cues=transcript))
    # While the index shows every episode, there is no archive.
    chunks = archive_chunks(episodes) if len(episodes) > PAGE_SIZE else []
    keys: dict[str, str] = {}
    for number, chunk in enumerate(chunks, 1):
        page = paths.archive_page(number)
        if archive is not None:
            keys[page] = archive.key(chunk, number, len(chunks))
            if archive.keys.get(page) == keys[page] and (out / page).is_file():
                continue
        whole = [described(r) for r in chunk] if described else chunk
        emit(page, render_archive(settings, whole, number, len(chunks), cover=cover))
    if archive is not None:
        archive.keys = keys
    index = render_index(settings, episodes, cover=cover, see_also=see_also, described=described)
    emit(paths.INDEX_PAGE, index)
    _remove_old_pages(out, {page_path(r) for r in episodes})
    _remove_old_archive(out, len(chunks))
    return written


@dataclass
class ArchiveMemo:
    """What each archive page was rendered from, so an unchanged page is not rendered again."""

    generations: Mapping[str, int]
    """The build-state generation each episode's record was written in."""
    keys: dict[str, str]
    """Each archive page's key when it was last rendered; replaced by the new keys."""

    def key(self, chunk: Sequence[EpisodeRecord], number: int, pages: int) -> str:
        shown = [(r.slug, self.generations.get(r.slug, -1)) for r in chunk]
        text = json.dumps([number, number == pages, shown])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _remove_old_archive(out: Path, pages: int) -> None:
    folder = out / paths.ARCHIVE_DIR
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        number = path.name.removesuffix(paths.PAGE_SUFFIX)
        if path.is_file() and number.isdigit() and int(number) > pages:
            path.unlink(missing_ok=True)


def _remove_old_pages(out: Path, keep: set[str]) -> None:
    folder = out / paths.EPISODES_DIR
    if not folder.is_dir():
        return
    with os.scandir(folder) as entries:
        # Names first, then a file's type: an archive's folder holds a hundred thousand.
        doomed = [
            entry
            for entry in entries
            if entry.name.endswith(paths.PAGE_SUFFIX)
            and f"{paths.EPISODES_DIR}/{entry.name}" not in keep
            and _SLUG_PAGE.fullmatch(entry.name)
            and entry.is_file()
        ]
    for entry in doomed:
        Path(entry.path).unlink(missing_ok=True)
        log.info(
            "removed %s/%s: its episode is no longer published", paths.EPISODES_DIR, entry.name
        )


@functools.cache
def _font_files() -> tuple[bytes, bytes]:
    """The Arabic font the covers are drawn with, and its licence (OFL-1.1)."""
    from nashra.render.artwork import font_path

    path = font_path()
    licence = path.parent.parent / "LICENSE"
    return path.read_bytes(), licence.read_bytes() if licence.is_file() else b""
