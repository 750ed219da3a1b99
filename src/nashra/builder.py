"""The build: articles in, episodes and a feed out, doing only the work that changed.

Stages, each a function below:
1. read every article and make its script (engine-independent);
2. decide which episodes are already current (content hash, engine, file intact);
3. choose the engine (in `auto`, Google when it answers, else espeak-ng, said once);
4. synthesize the clips the cache lacks, in parallel;
5. assemble, normalize loudness, encode and tag each changed episode (with its
   chapters and its own cover art), recording it and its transcript in the build state;
6. write the cover, each episode's chapters and transcripts, and the feed, all
   from the build state; then check what was published (`nashra.check`).

One bad article never stops the others: its failure is recorded in the report and,
if it was published before, its previous episode stays in the feed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from nashra import artwork, audio, check, feed, sidecars, site, tagging
from nashra.article_cache import ArticleCache
from nashra.cache import ClipCache, clip_key
from nashra.engines import create_engine
from nashra.engines.base import Clip, Engine
from nashra.errors import ArticleError, EngineError, NashraError, OutputError
from nashra.lexicon import FILE_NAME as LEXICON_FILE
from nashra.lexicon import Lexicon, load_lexicon
from nashra.lock import project_lock
from nashra.model import Article, Script
from nashra.readers import find_articles, read_article, slug_for
from nashra.readers.decoding import arabic_share
from nashra.script import make_script
from nashra.settings import Settings, Speech
from nashra.state import BuildState, Chapter, EpisodeRecord
from nashra.voicing import (
    Progress,
    choose_engine,
    engine_script,
    synthesize_into_cache,
    voiced_in,
)
from nashra.writer import atomic_path, atomic_write, remove_stale_parts, safe_join

log = logging.getLogger(__name__)

MIN_ARABIC_SHARE = 0.2
"""Below this share of Arabic letters an article gets a warning."""

EPISODE_FORMAT = 2
"""2: loudness normalization, ID3 chapters, per-episode art, transcripts."""
"""Bump when the way episodes are assembled changes, so every episode is rebuilt."""


@dataclass(frozen=True)
class Failure:
    source: Path
    reason: str


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    """Articles that built, but that a person should look at."""
    voicing_seconds: float = 0.0
    """Wall time spent choosing the engine and synthesizing clips."""
    collected: int = 0
    """Old episode files removed after the new feed was written."""
    fallback: list[str] = field(default_factory=list)
    """Episodes voiced offline because the online engine failed them."""
    scheduled: list[tuple[Path, datetime]] = field(default_factory=list)
    """Articles dated in the future: published by the first build on or after their date."""
    clips_synthesized: int = 0
    clips_cached: int = 0
    engine: str | None = None
    engine_note: str | None = None
    audio_seconds: float = 0.0
    episodes_in_feed: int = 0
    feed_path: Path | None = None
    findings: list[check.Finding] = field(default_factory=list)
    """What `nashra check` found in the published feed and media."""

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def check_errors(self) -> int:
        return sum(f.severity == check.ERROR for f in self.findings)


@dataclass(frozen=True)
class Job:
    """One article on its way to becoming an episode."""

    article: Article
    script: Script
    content_key: str
    pub_date: datetime
    first_published: str
    previous: EpisodeRecord | None
    art: Path | None = None
    """The article's own cover image (front matter `image`), else the podcast's configured
    one, else None: a cover is generated from the episode's title."""


def now_utc() -> datetime:
    """The build's notion of now; `SOURCE_DATE_EPOCH` pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def state_path(settings: Settings) -> Path:
    return settings.work_dir / "state.json"


def clip_cache(settings: Settings) -> ClipCache:
    return ClipCache(settings.work_dir / "cache" / "clips")


def build(
    settings: Settings,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    wait_for_lock: float = 0,
) -> BuildReport:
    """Build every episode that changed and write the feed; see the module docstring."""
    with project_lock(settings.work_dir, wait=wait_for_lock):
        return _build_locked(settings, jobs=jobs or os.cpu_count() or 1, progress=progress)


def _build_locked(settings: Settings, *, jobs: int, progress: Progress | None) -> BuildReport:
    report = BuildReport()
    now = now_utc()
    remove_stale_parts(settings.output_dir)
    state = BuildState.load(state_path(settings))
    if state.podcast_guid is None:
        state.podcast_guid = feed.podcast_guid(settings.feed_url)
    cache = clip_cache(settings)
    cover_bytes, cover_name = _cover(settings)

    sources = find_articles(settings.articles_dir)
    if not sources:
        log.warning("no articles found in %s", settings.articles_dir)
    job_list = _read_all(settings, sources, state, now, report)
    present = {slug_for(path) for path in sources}
    for slug in sorted(set(state.episodes) - present):
        _unpublish(settings, state, slug)
        report.removed.append(slug)

    voice_ids = _VoiceIds(settings.speech)
    pending: list[Job] = []
    for job in job_list:
        if _is_current(settings, job, voice_ids):
            assert job.previous is not None
            state.episodes[job.article.slug] = _refresh(job.previous, job)
            report.unchanged.append(job.article.slug)
        else:
            pending.append(job)

    if pending:
        _produce(settings, pending, state, cache, jobs, progress, report)
    state.save(state_path(settings))
    _publish(settings, state, cover_bytes, cover_name, report)
    report.findings = check.check_project(settings, now=now)
    return report


# ---------------------------------------------------------------- reading


def _read_all(
    settings: Settings,
    sources: Sequence[Path],
    state: BuildState,
    now: datetime,
    report: BuildReport,
) -> list[Job]:
    jobs: list[Job] = []
    seen: dict[str, Path] = {}
    lexicon = load_lexicon(settings.project)  # once per build
    articles = ArticleCache(settings, settings.project / LEXICON_FILE)
    for path in sources:
        slug = slug_for(path)
        if slug in seen:
            report.failed.append(
                Failure(path, f"has the same slug `{slug}` as {seen[slug].name}; rename one")
            )
            continue
        seen[slug] = path
        try:
            article, script = _read_and_script(settings, path, lexicon, articles)
            if not script.utterances:
                raise ArticleError(path, "nothing to say: no text with letters or digits")
        except NashraError as exc:
            report.failed.append(Failure(path, _reason(exc, path)))
            continue
        if article.date and article.date > now:
            report.scheduled.append((path, article.date))
            continue
        written = " ".join(u.written for u in script.utterances)
        if arabic_share(written) < MIN_ARABIC_SHARE:
            report.warnings.append(
                Failure(
                    path,
                    "has almost no Arabic text; the Arabic voices will read it with a "
                    "foreign accent, or spell it out",
                )
            )
        previous = state.episodes.get(slug)
        first_published = previous.first_published if previous else now.isoformat()
        pub_date = article.date or datetime.fromisoformat(first_published)
        try:
            art = _episode_art(settings, article)
        except NashraError as exc:
            report.failed.append(Failure(path, _reason(exc, path)))
            continue
        key = _content_key(settings, article, script, pub_date, art)
        jobs.append(Job(article, script, key, pub_date, first_published, previous, art))
    return jobs


def _read_and_script(
    settings: Settings, path: Path, lexicon: Lexicon, articles: ArticleCache
) -> tuple[Article, Script]:
    """The article and its script, from the content cache when nothing behind them changed."""
    try:
        key: str | None = articles.key(path, path.read_bytes())
    except OSError:
        key = None  # the reader says what is wrong with the file
    cached = articles.get(key, path) if key else None
    if cached is not None:
        return cached
    article = read_article(path)
    script = make_script(article, settings.audio, lexicon=lexicon)
    if key:
        articles.put(key, article, script)
    return article, script


def _reason(exc: NashraError, path: Path) -> str:
    if isinstance(exc, ArticleError) and exc.path == path:
        return exc.problem
    return str(exc)


def _episode_art(settings: Settings, article: Article) -> Path | None:
    """The episode's cover when one is given: the article's (front matter `image`,
    relative to the project), checked, else the podcast's configured cover."""
    if not article.image:
        return settings.project / settings.image if settings.image else None
    if "://" in article.image:
        raise ArticleError(
            article.source, f"`image` must name a file in the project, not a URL: {article.image}"
        )
    try:
        # Front matter must not reach outside the project (`../../etc/...`).
        path = safe_join(settings.project, article.image)
    except OutputError:
        raise ArticleError(
            article.source, f"`image` must name a file inside the project: {article.image}"
        ) from None
    try:
        artwork.check_cover(path)
    except NashraError as exc:
        raise ArticleError(article.source, f"its `image` cannot be used: {exc}") from exc
    return path


def _art_bytes(settings: Settings, job: Job) -> bytes:
    if job.art is not None:
        return job.art.read_bytes()
    return _generated_cover(settings, job.article.title)


def _generated_cover(settings: Settings, title: str) -> bytes:
    """`artwork.make_cover(title)`, kept in the work folder: drawing one takes 0.2 s."""
    recipe = json.dumps([title, artwork.ART_VERSION, artwork.can_shape_arabic()])
    key = hashlib.sha256(recipe.encode("utf-8")).hexdigest()
    path = settings.work_dir / "cache" / "art" / f"{key}.png"
    if path.is_file() and path.stat().st_size:
        return path.read_bytes()
    data = artwork.make_cover(title)
    atomic_write(path, data, durable=False)
    return data


def _content_key(
    settings: Settings, article: Article, script: Script, pub_date: datetime, art: Path | None
) -> str:
    """A hash of everything that shapes the episode's bytes (and its transcript) but the engine."""
    payload = {
        "format": EPISODE_FORMAT,
        "speech": [[u.speech, u.pause_after_ms, u.chapter] for u in script.utterances],
        "written": [u.written for u in script.utterances],
        "chapters": list(script.chapters),
        "audio": asdict(settings.audio),
        "loudness": audio.loudness_target(1),
        "tags": [article.title, _artist(settings, article), settings.title, pub_date.isoformat()],
        "comment": article.lead,
        # A generated cover depends on the title (above), the font and the drawing code.
        "art": hashlib.sha256(art.read_bytes()).hexdigest()
        if art
        else ["generated", artwork.ART_VERSION, artwork.can_shape_arabic()],
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _artist(settings: Settings, article: Article) -> str:
    return article.author or settings.author


# ---------------------------------------------------------------- what is current


class _VoiceIds:
    """Each engine's voice id, computed at most once per build."""

    def __init__(self, speech: Speech) -> None:
        self.speech = speech
        self._ids: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        if name not in self._ids:
            try:
                self._ids[name] = create_engine(name, self.speech).voice_id()
            except NashraError:
                self._ids[name] = None
        return self._ids[name]


def _is_current(settings: Settings, job: Job, voice_ids: _VoiceIds) -> bool:
    previous = job.previous
    if previous is None or previous.content_key != job.content_key:
        return False
    choice = settings.speech.engine
    if choice != "auto" and previous.engine != choice:
        return False
    if voice_ids(previous.engine) != previous.voice_id:
        return False
    try:
        path = safe_join(settings.output_dir, previous.file)
        if previous.image and not safe_join(settings.output_dir, previous.image).is_file():
            return False
        return path.stat().st_size == previous.length
    except (OSError, NashraError):
        return False


def _refresh(record: EpisodeRecord, job: Job) -> EpisodeRecord:
    """Metadata that does not touch the audio (e.g. the article's URL) still follows the article."""
    return replace(
        record,
        source=_relative_source(job.article),
        title=job.article.title,
        description=job.article.lead,
        author=job.article.author,
        link=job.article.url,
        pub_date=job.pub_date.isoformat(),
    )


def _relative_source(article: Article) -> str:
    return f"articles/{article.source.name}"


# ---------------------------------------------------------------- producing episodes


def _produce(
    settings: Settings,
    pending: list[Job],
    state: BuildState,
    cache: ClipCache,
    jobs: int,
    progress: Progress | None,
    report: BuildReport,
) -> None:
    voicing_started = time.perf_counter()
    scripts: dict[str, dict[str, Script]] = {}

    def said(engine: Engine) -> list[str]:
        """What `engine` is asked to say for every pending episode (scripts kept per engine)."""
        if engine.name not in scripts:
            # Requests voiced for an earlier version of an episode are reused; a
            # new article has none, so it is packed without looking.
            known = voiced_in(cache, engine) if engine.needs_network else None
            scripts[engine.name] = {
                job.article.slug: engine_script(
                    engine, settings.speech, job.script, known if job.previous else None
                )
                for job in pending
            }
        return sorted({u.speech for s in scripts[engine.name].values() for u in s.utterances})

    try:
        engine, note = choose_engine(settings.speech.engine, settings.speech, said, cache)
    except EngineError as exc:
        for job in pending:
            report.failed.append(Failure(job.article.source, str(exc)))
        return
    report.engine, report.engine_note = engine.name, note
    if note:
        log.info("%s", note)
    voice_id = engine.voice_id()

    texts = said(engine)
    missing = [t for t in texts if clip_key(engine.name, voice_id, t) not in cache]
    report.clips_cached = len(texts) - len(missing)
    errors = synthesize_into_cache(settings.speech, engine, missing, cache, jobs, progress)
    report.clips_synthesized = len(missing) - len(errors)
    report.voicing_seconds = time.perf_counter() - voicing_started

    # Each episode is voiced by one engine; these are the ones the fallback voices.
    voiced = scripts[engine.name]
    offline: dict[str, tuple[Engine, str, dict[str, str]]] = {}
    if errors and settings.speech.fallback == "espeak" and engine.name != "espeak":
        failing = [
            j for j in pending if any(u.speech in errors for u in voiced[j.article.slug].utterances)
        ]
        fallback = _fallback(settings, failing, cache, jobs, report)
        if fallback is not None:
            for job in failing:
                offline[job.article.slug] = fallback
                voiced[job.article.slug] = engine_script(fallback[0], settings.speech, job.script)

    state_lock = threading.Lock()

    def produce_one(job: Job) -> None:
        voice, voice_key, failures = offline.get(job.article.slug, (engine, voice_id, errors))
        script = voiced[job.article.slug]
        broken = [u.speech for u in script.utterances if u.speech in failures]
        if broken:
            raise EngineError(f"{voice.name} could not voice {broken[0]!r}: {failures[broken[0]]}")
        assert state.podcast_guid is not None
        record = _make_episode(settings, job, script, voice, voice_key, cache, state.podcast_guid)
        with state_lock:
            state.episodes[job.article.slug] = record
            # Saved after every episode, so a build killed halfway keeps what it finished.
            state.save(state_path(settings))

    # Encoding runs in ffmpeg processes, so threads overlap them well.
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(pending)))) as pool:
        # Longest first: the longest episode's encoding bounds the build, so start it early.
        ordered = sorted(pending, key=lambda j: j.script.characters, reverse=True)
        futures = {pool.submit(produce_one, job): job for job in ordered}
        for future in as_completed(futures):
            job = futures[future]
            try:
                future.result()
            except NashraError as exc:
                report.failed.append(Failure(job.article.source, str(exc)))
            else:
                report.built.append(job.article.slug)
    report.built.sort()
    report.failed.sort(key=lambda f: f.source.name)


def _fallback(
    settings: Settings, failing: list[Job], cache: ClipCache, jobs: int, report: BuildReport
) -> tuple[Engine, str, dict[str, str]] | None:
    """Voice with espeak-ng the episodes the online engine failed (`fallback = "espeak"`)."""
    engine = create_engine("espeak", settings.speech)
    available = engine.availability()
    if not available.ok:
        log.warning("cannot fall back to espeak-ng: %s", available.reason)
        return None
    voice_id = engine.voice_id()
    scripts = [engine_script(engine, settings.speech, job.script) for job in failing]
    texts = sorted({u.speech for script in scripts for u in script.utterances})
    missing = [t for t in texts if clip_key(engine.name, voice_id, t) not in cache]
    errors = synthesize_into_cache(settings.speech, engine, missing, cache, jobs)
    report.clips_synthesized += len(missing) - len(errors)
    report.fallback = sorted(job.article.slug for job in failing)
    names = ", ".join(report.fallback)
    note = f"Google failed for {len(failing)} episode(s) ({names}); voiced them with espeak-ng"
    report.engine_note = f"{report.engine_note}; {note}" if report.engine_note else note
    return engine, voice_id, errors


def script_parts(
    script: Script, cache: ClipCache, engine_name: str, voice_id: str
) -> Iterator[tuple[Clip, int]]:
    """The script's clips from the cache, each with its pause, read one at a time.

    Every clip is checked to be there before the first is read, so a missing one
    fails the episode before anything is joined; reading lazily keeps memory flat
    (an hour of clips is 160 MB of PCM).
    """
    keys = [clip_key(engine_name, voice_id, u.speech) for u in script.utterances]
    for key, utterance in zip(keys, script.utterances, strict=True):
        if key not in cache:
            raise EngineError(f"a clip is missing from the cache: {utterance.speech!r}")

    def parts() -> Iterator[tuple[Clip, int]]:
        for key, utterance in zip(keys, script.utterances, strict=True):
            clip = cache.get(key)
            if clip is None:
                raise EngineError(f"a clip vanished from the cache: {utterance.speech!r}")
            yield clip, utterance.pause_after_ms

    return parts()


def _make_episode(
    settings: Settings,
    job: Job,
    script: Script,
    engine: Engine,
    voice_id: str,
    cache: ClipCache,
    podcast_guid: str,
) -> EpisodeRecord:
    """Join `script`'s clips (what `engine` said for the job) into the episode and its files."""
    parts = script_parts(script, cache, engine.name, voice_id)
    article = job.article
    # A changed episode gets a new name, so the published feed never points at a
    # file of another length; the old one is removed once the new feed is out.
    stem = _next_stem(article.slug, job.previous)
    art = _art_bytes(settings, job)
    art_relative: str | None = None
    if not (settings.image and job.art == settings.project / settings.image):
        # The episode's own cover; with the podcast's cover the feed's channel image serves.
        art_relative = f"{stem}{'.jpg' if _mime(art) == 'image/jpeg' else '.png'}"
        _write_if_changed(safe_join(settings.output_dir, art_relative), art)
    relative = f"{stem}.mp3"
    target = safe_join(settings.output_dir, relative)
    with audio.assembled(parts) as assembled, atomic_path(target) as tmp:
        chapters = sidecars.chapters_for(script, assembled.starts)
        cues = sidecars.cues_for(script, assembled.starts, assembled.ends)
        audio.export_mp3(
            assembled,
            tmp,
            bitrate=settings.audio.bitrate,
            sample_rate=settings.audio.sample_rate,
            loudness=audio.loudness_target(1),
        )
        end = min(assembled.duration, tagging.mp3_facts(tmp).duration)
        tagging.write_tags(
            tmp,
            tagging.EpisodeTags(
                title=article.title,
                artist=_artist(settings, article),
                album=settings.title,
                date=job.pub_date,
                engine=engine.name,
                voice_id=voice_id,
                comment=article.lead,
                cover=art,
                cover_mime=_mime(art),
                chapters=_tag_chapters(chapters, end),
            ),
        )
        facts = tagging.mp3_facts(tmp)
        length = tmp.stat().st_size
    log.info("built %s (%.0f s, %s)", relative, facts.duration, engine.name)

    previous = job.previous
    return EpisodeRecord(
        slug=article.slug,
        source=_relative_source(article),
        guid=previous.guid if previous else feed.episode_guid(podcast_guid, article.slug),
        first_published=job.first_published,
        content_key=job.content_key,
        engine=engine.name,
        voice_id=voice_id,
        file=relative,
        length=length,
        duration=round(facts.duration, 3),
        title=article.title,
        description=article.lead,
        author=article.author,
        pub_date=job.pub_date.isoformat(),
        link=article.url,
        chapters=chapters,
        cues=cues,
        image=art_relative,
    )


def _next_stem(slug: str, previous: EpisodeRecord | None) -> str:
    """`episodes/<slug>` for a new episode; `episodes/<slug>-vN` for its N-th version."""
    if previous is None:
        return f"episodes/{slug}"
    match = re.fullmatch(rf"episodes/{re.escape(slug)}(?:-v(\d+))?\.mp3", previous.file)
    version = int(match.group(1) or 1) if match else 1
    return f"episodes/{slug}-v{version + 1}"


def _tag_chapters(chapters: Sequence[Chapter], end: float) -> tuple[tagging.TagChapter, ...]:
    """ID3 chapters need an end: each runs to the next one's start, the last to the end."""
    ends = [c.start for c in chapters[1:]] + [end]
    return tuple(
        tagging.TagChapter(c.start, max(c.start, e), c.title)
        for c, e in zip(chapters, ends, strict=True)
    )


def _mime(image: bytes) -> str:
    return "image/jpeg" if image[:3] == b"\xff\xd8\xff" else "image/png"


# ---------------------------------------------------------------- publishing


def _cover(settings: Settings) -> tuple[bytes, str]:
    """The channel's cover: the configured image, else one generated from the title."""
    if settings.image:
        path = settings.project / settings.image
        artwork.check_cover(path)
        return path.read_bytes(), f"cover{path.suffix.lower()}"
    return _generated_cover(settings, settings.title), "cover.png"


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    atomic_write(path, data)


def _unpublish(settings: Settings, state: BuildState, slug: str) -> None:
    """The article's file is gone: drop its episode from the feed and the output folder."""
    record = state.episodes.pop(slug)
    for relative in (record.file, record.image, *_sidecar_paths(record).values()):
        if relative:
            with contextlib.suppress(NashraError):
                safe_join(settings.output_dir, relative).unlink(missing_ok=True)
    log.info("removed episode %s: its article is gone", slug)


def _publish(
    settings: Settings,
    state: BuildState,
    cover: bytes,
    cover_name: str,
    report: BuildReport,
) -> None:
    settings.output_dir.mkdir(parents=True, exist_ok=True)
    _write_if_changed(safe_join(settings.output_dir, cover_name), cover)
    built = set(report.built)
    for record in state.episodes.values():
        _write_sidecars(settings, record, fresh=record.slug in built)
    xml = feed_xml(settings, state, cover_name)
    feed_path = safe_join(settings.output_dir, "feed.xml")
    _write_if_changed(feed_path, xml)
    # Only now that the new feed is out may the files the old one named go.
    report.collected = _collect_garbage(settings, state)
    # The web pages (index.html, episodes/<slug>.html, assets/) name the same files.
    records = list(state.episodes.values())
    site.write_site(
        settings, records, cover=cover_name, files={r.slug: _sidecar_paths(r) for r in records}
    )
    report.feed_path = feed_path
    report.episodes_in_feed = len(records)
    report.audio_seconds = sum(r.duration for r in records)


def cover_name(settings: Settings) -> str:
    """The channel cover's file name in `output/` (as `_cover` writes it)."""
    return f"cover{Path(settings.image).suffix.lower()}" if settings.image else "cover.png"


def feed_xml(settings: Settings, state: BuildState, cover: str) -> bytes:
    """The feed for `state`'s episodes; `nashra serve` calls it with another `base_url`."""
    entries = [
        feed.EpisodeEntry(
            slug=r.slug,
            guid=r.guid,
            title=r.title,
            description=r.description,
            author=r.author,
            pub_date=r.pub_datetime,
            audio_path=r.file,
            length=r.length,
            duration=r.duration,
            link=r.link,
            image_path=r.image,
            chapters=r.chapters,
            chapters_path=_sidecar_paths(r).get("chapters"),
            transcripts=tuple(
                (path, _TRANSCRIPT_TYPES[kind])
                for kind, path in _sidecar_paths(r).items()
                if kind in _TRANSCRIPT_TYPES
            ),
        )
        for r in state.episodes.values()
    ]
    assert state.podcast_guid is not None
    return feed.render_feed(settings, entries, image_path=cover, podcast_guid=state.podcast_guid)


_EPISODE_FILES = (".mp3", ".png", ".jpg", ".vtt", ".srt", ".chapters.json")


def _collect_garbage(settings: Settings, state: BuildState) -> int:
    """Remove episode files no record names: older versions, and leftovers of killed builds."""
    folder = settings.output_dir / "episodes"
    if not folder.is_dir():
        return 0
    keep = set()
    for record in state.episodes.values():
        for relative in (record.file, record.image, *_sidecar_paths(record).values()):
            if relative:
                keep.add(safe_join(settings.output_dir, relative))
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.name.endswith(_EPISODE_FILES) and path.resolve() not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


_TRANSCRIPT_TYPES = {"vtt": sidecars.VTT_TYPE, "srt": sidecars.SRT_TYPE}


def _sidecar_paths(record: EpisodeRecord) -> dict[str, str]:
    """The episode's chapters and transcript files, relative to `output/`, by kind."""
    stem = record.file.removesuffix(".mp3")
    paths: dict[str, str] = {}
    if record.chapters:
        paths["chapters"] = f"{stem}.chapters.json"
    if record.cues:
        paths["vtt"] = f"{stem}.vtt"
        paths["srt"] = f"{stem}.srt"
    return paths


def _write_sidecars(settings: Settings, record: EpisodeRecord, *, fresh: bool) -> None:
    """Chapters and transcripts, rendered from the build state (so always in step with it).

    An unchanged episode's files were written when it was built (its record, and so
    their content, has not changed since); they are only written again if missing.
    """
    paths = {kind: safe_join(settings.output_dir, p) for kind, p in _sidecar_paths(record).items()}
    if not fresh and all(path.is_file() for path in paths.values()):
        return
    renderers = {
        "chapters": lambda: sidecars.chapters_json(record.chapters, title=record.title),
        "vtt": lambda: sidecars.webvtt(record.cues),
        "srt": lambda: sidecars.srt(record.cues),
    }
    for kind, path in paths.items():
        _write_if_changed(path, renderers[kind]())
