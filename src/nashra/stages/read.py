"""Stage 1, read: every article file into a job (its article, script, dates and cover).

One bad article never stops the others: it becomes a `Failure` naming the file
and the reason. Articles dated in the future wait for their date. A published
episode belongs to its source file: when a new file would take the same slug,
the newcomer fails and the published episode is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path

from nashra.config.settings import Settings
from nashra.core import pubdates
from nashra.core.errors import ArticleError, NashraError, UsageError, problem_of
from nashra.core.model import Article, EpisodeRecord, Failure, Script
from nashra.readers import article_names, ignored_files, name_slugs
from nashra.render import audio
from nashra.stages.article_cache import ScriptReader
from nashra.stages.covers import art_fingerprint, episode_art
from nashra.stages.decide import VoiceIds, is_current
from nashra.stages.read_memo import Known, ReadMemo, file_stat
from nashra.stages.recovery import RECOVERED, adopt
from nashra.stages.types import EPISODE_FORMAT, Job, artist
from nashra.storage import paths

log = logging.getLogger(__name__)

MIN_ARABIC_SHARE = 0.2
"""Below this share of Arabic letters an article gets a warning."""


@dataclass(frozen=True)
class Reading:
    """What stage 1 found in `articles/`."""

    jobs: list[Job] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    scheduled: list[tuple[Path, datetime]] = field(default_factory=list)
    present: frozenset[str] = frozenset()
    """Every slug with a source file, readable or not: their episodes stay published."""
    known: list[str] = field(default_factory=list)
    """Slugs whose article is as the last build read it and whose episode is current:
    not read, and no job (the read memo says so). Their records need no refresh: the
    last build saved them from this very file."""
    memo: ReadMemo | None = None
    """What this build learnt of the articles: `save` it once the build state is saved,
    so the memo never vouches for a record that was not written."""
    read_anew: int = 0
    """Articles read and scripted, not taken from the content cache or the read memo."""


def read_articles(
    settings: Settings,
    published: Mapping[str, EpisodeRecord],
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    *,
    retired: Mapping[str, str] | None = None,
    ignore_cache: bool = False,
) -> Reading:
    """Stage 1: every article in `articles/` as a job, or a failure saying why not.

    `retired` holds the first publication dates of episodes whose articles went: one
    that comes back keeps its date. With `ignore_cache` every article is read anew,
    whatever the content cache and the read memo hold."""
    folder = settings.articles_dir
    if not folder.is_dir():
        # Not "no articles": read as that, a renamed folder would take every episode down.
        raise UsageError(
            f"{folder}: the articles folder is missing (or not a folder); nothing was "
            "built or removed. Put the articles back there, or make it empty on purpose"
        )
    # Names, not paths: most of an archive's articles are known to the memo, and a
    # `Path` each (with its parts) was the largest thing a rebuild of it allocated.
    names = article_names(folder)
    if not names:
        log.warning("no articles found in %s", folder)
    # A published episode keeps the slug it was published under.
    slugs = name_slugs(names, {r.source: r.slug for r in published.values()})
    reading = Reading(present=frozenset(slugs.values()))
    reading.warnings.extend(Failure(p, why) for p, why in ignored_files(settings.articles_dir))
    reader = ScriptReader(settings, ignore_cache=ignore_cache)
    # Dates for the articles never published; a rebuild of an archive has none to date.
    retired = retired or {}
    fresh = [slugs[name] for name in names if slugs[name] not in published]
    firsts = (
        pubdates.first_published(
            fresh,
            {s: datetime.fromisoformat(retired[s]) for s in fresh if s in retired},
            now,
            taken=[
                *(datetime.fromisoformat(r.first_published) for r in published.values()),
                *(r.pub_datetime for r in published.values()),
            ],
        )
        if fresh
        else {}
    )
    common = content_common(settings)
    memo = ReadMemo(paths.read_memo(settings.work_dir), memo_salt(settings, reader.cache.salt))
    voice_ids = VoiceIds(settings.speech)
    owners = _owners_first(folder, slugs, published, reading.failed)
    base = os.fspath(folder)
    for done, name in enumerate(owners):
        if progress:
            progress(done, len(owners))
        previous = published.get(slugs[name])
        if (
            not ignore_cache
            and previous is not None
            and previous.source == paths.article_source(name)
        ):
            known = memo.get(name, os.path.join(base, name))
            if known is not None and is_current(
                settings, known.content_key, previous, voice_ids, known.voice
            ):
                memo.keep(name, known)
                if known.share < MIN_ARABIC_SHARE:
                    _warn_if_foreign(reading, folder / name, known.share)
                reading.known.append(previous.slug)
                continue
        path = folder / name
        stat = file_stat(path)
        try:
            article, script, share = reader.read(path)
            article = replace(article, slug=slugs[name])
            if not script.utterances:
                raise ArticleError(path, "nothing to say: no text with letters or digits")
            if article.date and article.date > now:
                reading.scheduled.append((path, article.date))
                continue
            art = episode_art(settings, article)
        except NashraError as exc:
            reading.failed.append(Failure(path, problem_of(exc, path)))
            continue
        _warn_if_foreign(reading, path, share)
        slug = article.slug
        first_published = previous.first_published if previous else firsts[slug].isoformat()
        pub_date = pubdates.pub_date(article.date, datetime.fromisoformat(first_published))
        art_stat = file_stat(art) if art else None
        key = content_key(settings, article, script, pub_date, art, common=common)
        if previous is not None and previous.content_key == RECOVERED:
            # Rebuilt from the feed: its published files may be this very article's.
            previous = adopt(settings, previous, key, script, article.lead)
        job = Job(article, script, key, pub_date, first_published, previous, art)
        if previous is not None and is_current(settings, key, previous, voice_ids, article.voice):
            # Its script is not needed again: after nashra itself changed, an archive's
            # articles are all read, and their scripts, held until publishing, would fill
            # the memory.
            job = without_script(job)
        else:
            # Made later, a batch at a time (`taken_up`): a backfill holds no article's
            # text and script before its turn.
            job = set_aside(job)
        reading.jobs.append(job)
        if stat is not None:
            cover = str(art) if art else None
            memo.keep(name, Known(stat, memo.salt, key, share, cover, art_stat, article.voice))
    if progress:
        progress(len(owners), len(owners))
    return replace(reading, memo=memo, read_anew=reader.read_anew)


def _warn_if_foreign(reading: Reading, path: Path, share: float) -> None:
    if share < MIN_ARABIC_SHARE:
        reading.warnings.append(
            Failure(
                path,
                "has almost no Arabic text; the Arabic voices will read it with a "
                "foreign accent, or spell it out",
            )
        )


def memo_salt(settings: Settings, cache_salt: str) -> str:
    """Everything a content key hashes besides the article and its cover (see `content_key`)."""
    parts = [cache_salt, settings.title, settings.author, settings.image or "", str(EPISODE_FORMAT)]
    # A generated cover depends on the text shaping this machine's Pillow has.
    parts.append(json.dumps(art_fingerprint(None)))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


_NO_SCRIPT = Script((), ())
"""The script of a job that holds none: one object for all of them."""


def without_script(job: Job) -> Job:
    """The job of an article whose episode is current: no script, and none of its text
    (its record keeps the description, which the content key hashed)."""
    article = replace(job.article, sections=(), description=None)
    return replace(job, article=article, script=_NO_SCRIPT, unchanged=True)


def set_aside(job: Job) -> Job:
    """The job with nothing of its article but where it is and its own voice, and without
    its script (its key, dates and length stay), until `taken_up` reads them again from
    the content cache: a backfill holds every waiting job until its batch comes."""
    article = Article(
        source=job.article.source, slug=job.slug, title="", sections=(), voice=job.article.voice
    )
    characters = job.script.characters or job.characters
    return replace(job, article=article, script=_NO_SCRIPT, characters=characters)


def taken_up(jobs: Iterable[Job], reader: ScriptReader) -> Iterator[Job | Failure]:
    """Each set-aside job whole again (article and script, read through the content
    cache), or why its article can no longer be read."""
    for job in jobs:
        source = job.article.source
        try:
            article, script, _ = reader.read(source)
        except NashraError as exc:
            yield Failure(source, problem_of(exc, source))
            continue
        yield replace(job, article=replace(article, slug=job.slug), script=script)


BATCH = 100
"""Episodes voiced and assembled together: their scripts are in memory at once."""


def in_batches(jobs: Iterable[Job]) -> Iterator[list[Job]]:
    """`jobs`, the longest first, `BATCH` at a time."""
    ordered = sorted(jobs, key=lambda job: job.characters, reverse=True)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def _owners_first(
    folder: Path,
    slugs: Mapping[str, str],
    published: Mapping[str, EpisodeRecord],
    failed: list[Failure],
) -> list[str]:
    """The files to read (by name), one per slug: the file that published the slug's
    episode keeps it; any other file with that slug fails (and so does every file but
    the first of a slug never published)."""
    by_slug: dict[str, list[str]] = {}
    for name in sorted(slugs):
        by_slug.setdefault(slugs[name], []).append(name)
    chosen: list[str] = []
    for slug, names in by_slug.items():
        record = published.get(slug)
        owned = record.source if record else None
        owner = next((n for n in names if paths.article_source(n) == owned), names[0])
        chosen.append(owner)
        for other in names:
            if other == owner:
                continue
            if record and owned == paths.article_source(owner):
                problem = (
                    f"has the same slug `{slug}` as {owner}, whose episode is "
                    f"published; rename {other}"
                )
            else:
                problem = f"has the same slug `{slug}` as {owner}; rename one"
            failed.append(Failure(folder / other, problem))
    return sorted(chosen)


def content_common(settings: Settings) -> dict[str, object]:
    """The part of every content key that is the same for all articles of a build."""
    return {
        "format": EPISODE_FORMAT,
        "audio": asdict(settings.audio),
        "loudness": audio.loudness_target(1),
    }


def content_key(
    settings: Settings,
    article: Article,
    script: Script,
    pub_date: datetime,
    art: Path | None,
    *,
    common: dict[str, object] | None = None,
) -> str:
    """A hash of everything that shapes the episode's bytes (and its transcript) but the engine."""
    payload = {
        **(common or content_common(settings)),
        "speech": [[u.speech, u.pause_after_ms, u.chapter] for u in script.utterances],
        "written": [u.written for u in script.utterances],
        "chapters": list(script.chapters),
        "tags": [article.title, artist(settings, article), settings.title, pub_date.isoformat()],
        "comment": article.lead,
        "art": art_fingerprint(art),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
