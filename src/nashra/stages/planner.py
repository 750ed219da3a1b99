"""A dry run: what a build would read, say and request, without synthesizing anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nashra.config.settings import Settings
from nashra.core.errors import NashraError, UsageError, problem_of
from nashra.core.model import Article, Failure, Script
from nashra.engines import create_engine, engine_names
from nashra.engines.base import Engine
from nashra.engines.choice import expected_engine
from nashra.readers import article_slugs, find_articles, ignored_files
from nashra.stages.article_cache import ScriptReader
from nashra.stages.article_voice import engine_for
from nashra.stages.cost import Sending
from nashra.stages.estimate import estimate_seconds, speaking_rate
from nashra.stages.voice import to_send, voiced_in
from nashra.storage import paths
from nashra.storage.cache import ClipCache
from nashra.storage.state import BuildState


@dataclass(frozen=True)
class ArticlePlan:
    article: Article
    script: Script
    cache_hits: dict[str, int]
    speaking_rate: int
    """The rate the estimate is scaled to: the expected engine's (`Engine.speaking_rate`)."""
    requests: dict[str, int]
    """Per engine that plans its own requests (one that pays per request, such as
    Google), the requests it would make for the whole episode, cached ones too."""
    to_send: dict[str, Sending] = field(default_factory=dict)
    """Per paid engine (`Engine.paid`), what a build would send it for this article:
    the requests the clip cache lacks and their billed characters."""

    @property
    def chunks(self) -> int:
        return len(self.script.utterances)

    @property
    def estimated_seconds(self) -> float:
        return estimate_seconds(self.script, rate=self.speaking_rate)

    def to_json(self, project: Path) -> dict[str, Any]:
        article = self.article
        sections = []
        for index, section in enumerate(article.sections):
            sections.append(
                {
                    "title": section.title,
                    "text": "\n\n".join(section.paragraphs),
                    "chunks": [u.speech for u in self.script.utterances if u.section == index],
                }
            )
        return {
            "file": _relative(article.source, project),
            "slug": article.slug,
            "title": article.title,
            "author": article.author,
            "date": article.date.isoformat() if article.date else None,
            "intro": [u.speech for u in self.script.utterances if u.section == -1],
            "sections": sections,
            "chapters": list(self.script.chapters),
            "dropped": list(article.dropped),
            "characters": self.script.characters,
            "chunks": self.chunks,
            **{f"{name}_requests": count for name, count in self.requests.items()},
            "cache_hits": self.cache_hits,
            "characters_to_send": {name: sent.characters for name, sent in self.to_send.items()},
            "estimated_minutes": round(self.estimated_seconds / 60, 1),
        }


@dataclass(frozen=True)
class Plan:
    articles: list[ArticlePlan]
    failed: list[Failure]
    ignored: list[Failure] = field(default_factory=list)
    """Files in `articles/` no build reads, and why (`readers.ignored_files`)."""
    engine: str | None = None
    """The engine a build is expected to voice with (`expected_engine`)."""

    @property
    def to_send(self) -> list[Sending]:
        """Per paid engine, what a build of every article would send it."""
        totals: dict[str, Sending] = {}
        for article in self.articles:
            for name, sent in article.to_send.items():
                totals[name] = totals[name] + sent if name in totals else sent
        return list(totals.values())

    def to_json(self, project: Path) -> dict[str, Any]:
        return {
            "articles": [a.to_json(project) for a in self.articles],
            "engine": self.engine,
            "to_send": [
                {
                    "engine": sent.engine,
                    "requests": sent.requests,
                    "characters": sent.characters,
                    "price_per_million": sent.price_per_million,
                    "cost": sent.cost,
                }
                for sent in self.to_send
            ],
            "failed": [
                {"file": _relative(f.source, project), "reason": f.reason} for f in self.failed
            ],
            "ignored": [
                {"file": _relative(f.source, project), "reason": f.reason} for f in self.ignored
            ],
        }


def _relative(path: Path, project: Path) -> str:
    try:
        return str(path.resolve().relative_to(project.resolve()))
    except ValueError:
        return str(path)


def _engines(settings: Settings) -> dict[str, Engine]:
    """Every engine that can be built with the project's options, by name."""
    engines: dict[str, Engine] = {}
    for name in engine_names():
        try:
            engines[name] = create_engine(name, settings.speech.options_for(name))
        except NashraError:
            continue
    return engines


def plan(settings: Settings) -> Plan:
    cache = ClipCache(paths.clip_dir(settings.work_dir))
    engines = _engines(settings)
    voice_ids: dict[str, str] = {}
    for name, engine in engines.items():
        try:
            voice_ids[name] = engine.voice_id()
        except NashraError:
            continue
    # Engines that pay per request plan theirs; the others say the script as it is.
    planners = {name: e for name, e in engines.items() if e.needs_network}
    known = {name: voiced_in(cache, e) for name, e in engines.items() if name in voice_ids}
    articles: list[ArticlePlan] = []
    failed: list[Failure] = []
    reader = ScriptReader(settings)
    sources = find_articles(settings.articles_dir)
    slugs = article_slugs(sources, _published(settings))
    rate = speaking_rate(settings.speech)
    for path in sources:
        try:
            article, script, _ = reader.read(path)
            article = replace(article, slug=slugs[path])
        except NashraError as exc:
            failed.append(Failure(path, problem_of(exc, path)))
            continue
        mine, mine_known = engines, known
        if article.voice is not None:  # read with its own voice where its engine has it
            mine = {name: _voiced(e, article) for name, e in engines.items()}
            mine_known = {
                name: voiced if mine[name] is engines[name] else voiced_in(cache, mine[name])
                for name, voiced in known.items()
            }
        hits = {name: _cached(mine[name], script, mine_known[name]) for name in voice_ids}
        planned = {name: mine[name].plan(script, mine_known.get(name)) for name in planners}
        requests = {name: len({u.speech for u in p.utterances}) for name, p in planned.items()}
        sent = {
            name: to_send(mine[name], {u.speech for u in planned[name].utterances}, cache)
            for name, e in planners.items()
            if e.paid and name in voice_ids
        }
        articles.append(ArticlePlan(article, script, hits, rate, requests, sent))
    ignored = [Failure(p, why) for p, why in ignored_files(settings.articles_dir)]
    expected = expected_engine(settings.speech)
    return Plan(articles, failed, ignored, expected.name if expected else None)


def _voiced(engine: Engine, article: Article) -> Engine:
    """`engine` reading `article` with its own voice; `engine` itself when it cannot
    (a build then fails the article, saying why)."""
    try:
        voiced = engine_for(engine, article)
        voiced.voice_id()
    except (ValueError, NashraError):
        return engine
    return voiced


def _cached(engine: Engine, script: Script, voiced: Callable[[str], bool] | None) -> int:
    """How many of the requests a build would give `engine` for `script` are in the
    clip cache: the engine's own requests (`Engine.plan`: Google's packed requests,
    espeak-ng's prepared and joined clauses), which its clips are cached by."""
    if voiced is None:  # an empty cache: nothing to prepare or look up
        return 0
    return sum(
        1 for text in {u.speech for u in engine.plan(script, voiced).utterances} if voiced(text)
    )


def _published(settings: Settings) -> dict[str, str]:
    """Each published episode's source and slug, which it keeps."""
    try:
        state = BuildState.load(paths.state_file(settings.work_dir))
    except NashraError:
        return {}
    return {record.source: record.slug for record in state.episodes.values()}


@dataclass(frozen=True)
class SpeechSection:
    title: str
    """The section's title; `(intro)` for the title and byline, `(lead)` for an untitled start."""
    chunks: list[dict[str, str]]
    """Per chunk: the written text, and what each engine is given for it."""
    requests: dict[str, list[str]] = field(default_factory=dict)
    """Per engine that plans its own requests (Google packs chunks into full
    requests of 100 characters), its label and the requests that begin in this section."""


def find_article(settings: Settings, reference: str) -> Path:
    """The article a user names: a path, a file name in `articles/`, or an episode's slug."""
    for candidate in (Path(reference), settings.articles_dir / reference):
        if candidate.is_file():
            return candidate
    sources = find_articles(settings.articles_dir)
    slugs = article_slugs(sources, _published(settings))
    for source, slug in slugs.items():
        if slug == reference:
            return source
    raise UsageError(
        f"{reference}: no such article (give a path, a file name in articles/ or a slug)"
    )


def speech_view(settings: Settings, path: Path | str) -> list[SpeechSection]:
    """Exactly what each engine will be given for the article at `path`, per section.

    After the lexicon and normalization (the script's speech, which Google
    gets as it is), and for espeak-ng also after its own preparation
    (diacritization), chunk by chunk (`Engine.prepare_script`); then the
    requests of each engine that joins or cuts the chunks into requests of its
    own (Google packs them into full requests, espeak-ng joins a sentence's
    comma clauses). For an editor to review before building.
    """
    path = find_article(settings, str(path))
    article, script, _ = ScriptReader(settings).read(path)
    engines = _engines(settings)
    prepared = {name: engine.prepare_script(script) for name, engine in engines.items()}
    sections: dict[int, SpeechSection] = {}
    for position, utterance in enumerate(script.utterances):
        if utterance.section not in sections:
            index = utterance.section
            title = "(intro)" if index < 0 else article.sections[index].title or "(lead)"
            sections[index] = SpeechSection(title, [])
        chunk = {"written": utterance.written}
        for name, given in prepared.items():
            chunk[name] = given.utterances[position].speech
            said = engines[name].phonemes(chunk[name])
            if said is not None:
                chunk[f"{name}_phonemes"] = said
        sections[utterance.section].chunks.append(chunk)
    for name, engine in engines.items():
        requests = engine.plan(script).utterances
        if [r.speech for r in requests] == [u.speech for u in prepared[name].utterances]:
            continue
        for request in requests:
            sections[request.section].requests.setdefault(name, []).append(request.speech)
    return list(sections.values())
