"""An article's own voice: its front matter `voice:` in place of the engine's, for that article.

The engine a build voices with reads each article with the voice its front matter names
(`Engine.voice_option` replaced, `with_voice`; the options checked as podcast.toml's are),
or with its own when the article names none. An engine with one voice (Google Translate's)
reads every article with it; `nashra check` says so. A fallback engine reads with its own
voice: an article's voice names a voice of the engine the project voices with.

Before any request or synthesis, `refuse_unknown_voices` asks the engine whether it has
every voice the build will use, once for them all (Azure and Google Cloud through their
lists of voices): an article whose voice the engine lacks fails alone, naming its file and
the key; a project voice the engine lacks stops the build (a configuration error). When a
service's list cannot be fetched, the build says so and goes on: a daily bulletin is not
held back by the list's outage, and a voice the service does not have still fails its
articles, alone, at their first request.

An article voice that does not speak Arabic is a warning of the build, as `nashra check`
says (`nashra.check.voices`).

May import: `nashra.check`, `nashra.engines`, `nashra.config`, `nashra.core` and
`nashra.stages.types`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from nashra.check.voices import not_arabic
from nashra.config.settings import Speech
from nashra.core.errors import EngineError, UsageError
from nashra.core.model import Article, Failure
from nashra.engines.base import Engine, label, with_voice
from nashra.engines.choice import expected_engine, offline_engines
from nashra.stages.types import Job

log = logging.getLogger(__name__)


def engine_for(engine: Engine, article: Article) -> Engine:
    """The engine that reads `article`: `engine` with the article's voice, or `engine`
    itself when the article names none or the engine has one voice. `ValueError` (its
    message starting with the key) when the engine takes no such voice."""
    if article.voice is None or engine.voice_option is None:
        return engine
    return with_voice(engine, article.voice)


def refused_voice(article: Article, reason: str) -> str:
    """What an article whose voice cannot be used fails with."""
    return f"front matter `voice` ({article.voice}): {reason}"


def voice_groups(
    engine: Engine, jobs: Sequence[Job]
) -> tuple[list[tuple[Engine, list[Job]]], dict[str, str]]:
    """`jobs` by the engine that reads them (`engine_for`), `engine`'s own first; and the
    jobs whose voice `engine` refuses, by slug, with why."""
    groups: dict[str, tuple[Engine, list[Job]]] = {"": (engine, [])}
    refused: dict[str, str] = {}
    for job in jobs:
        try:
            voiced = engine_for(engine, job.article)
        except ValueError as exc:
            refused[job.slug] = refused_voice(job.article, str(exc))
            continue
        key = "" if voiced is engine else repr(voiced.options)
        groups.setdefault(key, (voiced, []))[1].append(job)
    return [group for group in groups.values() if group[1]], refused


def refuse_unknown_voices(
    speech: Speech,
    pending: list[Job],
    failed: list[Failure],
    warnings: list[Failure],
    *,
    on_cluster: bool = False,
) -> list[Job]:
    """The `pending` jobs whose voices the build's engine has, checked before any work
    (see the module docstring); the others are added to `failed`, and an article voice
    that does not speak Arabic to `warnings`. `UsageError` when the engine lacks the
    project's own voice."""
    engine = _build_engine(speech, on_cluster)
    if engine is None or engine.voice_option is None or not pending:
        return pending
    own = str(getattr(engine.options, engine.voice_option))
    groups, refused = voice_groups(engine, pending)
    voices = {own} | {str(getattr(e.options, engine.voice_option)) for e, _ in groups}
    try:
        unknown = engine.unknown_voices(sorted(voices))
    except EngineError as exc:
        log.warning(
            "cannot tell whether %s has the voices this build uses (%s); building on: "
            "a voice it lacks fails its articles at their first request",
            label(engine),
            exc,
        )
        unknown = {}
    if own in unknown:
        key = f"[speech.{engine.name}] {engine.voice_option}"
        raise UsageError(f"podcast.toml: {key}: {unknown[own]}")
    kept: list[Job] = []
    for voiced, group in groups:
        own_voice = voiced is engine
        foreign = "" if own_voice else not_arabic(voiced, "this article's")
        for job in group:
            if not own_voice and job.article.voice in unknown:
                why = refused_voice(job.article, unknown[str(job.article.voice)])
                failed.append(Failure(job.article.source, why))
                continue
            if foreign:
                warnings.append(Failure(job.article.source, f"front matter `voice`: {foreign}"))
            kept.append(job)
    failed += [
        Failure(job.article.source, refused[job.slug]) for job in pending if job.slug in refused
    ]
    return kept


def _build_engine(speech: Speech, on_cluster: bool) -> Engine | None:
    """The engine the build will voice with, found without a request."""
    try:
        if on_cluster:
            return offline_engines(speech)[0][0]
        return expected_engine(speech)
    except UsageError:
        return None
