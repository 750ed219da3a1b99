"""The check's rule on voices: each voice the project reads with speaks Arabic.

A voice of another language reads Arabic text as it can: an English Piper voice spells
the letters' names, minute after minute, without a word. The engine says what language
its voice speaks (`Engine.voice_locale`: a Piper voice's config, espeak-ng's voice, the
locale an Azure or Google voice's name starts with); a voice whose language it cannot
tell is not warned about. The voices are the project's engine's and its fallback's, and
each article's own (front matter `voice`), found without reading whole articles: only a
Markdown file whose front matter has a `voice:` line is read. That still opens every
article (30,000 files take seconds), so `nashra check` looks at the articles' voices and
the check that ends a build does not: the build warns about the voice of each article it
voices (`nashra.stages.article_voice`).
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from nashra.check.findings import WARNING, Finding
from nashra.config.languages import is_arabic
from nashra.config.settings import Settings
from nashra.core.errors import NashraError
from nashra.engines import create_engine
from nashra.engines.base import Engine, label, with_voice
from nashra.engines.choice import NO_FALLBACK, expected_engine
from nashra.readers import find_articles, read_article

RULE = "voice-language"
_HEAD = 4096
"""Bytes of an article in which its front matter's `voice:` line is looked for."""
_VOICE_LINE = re.compile(rb"^voice\s*:", re.MULTILINE)


def voice_warnings(settings: Settings, *, articles: bool = True) -> list[Finding]:
    """A warning for each voice the project would read Arabic with that speaks another
    language, and, with `articles`, for each article's `voice:` that does or that its
    engine cannot use."""
    found: list[Finding] = []
    engine = expected_engine(settings.speech)
    engines = [engine] if engine is not None else []
    fallback = settings.speech.fallback
    if fallback not in (NO_FALLBACK, engine.name if engine else ""):
        with contextlib.suppress(NashraError):
            engines.append(create_engine(fallback, settings.speech.options_for(fallback)))
    for each in engines:
        if problem := not_arabic(each):
            key = f"[speech.{each.name}] {each.voice_option or 'voice'}"
            found.append(Finding(RULE, WARNING, "channel", f"{key}: {problem}"))
    if engine is not None and articles:
        found += _article_voices(settings, engine)
    return found


def _article_voices(settings: Settings, engine: Engine) -> list[Finding]:
    found: list[Finding] = []
    for path in find_articles(settings.articles_dir):
        if not _names_a_voice(path):
            continue
        try:
            article = read_article(path)
        except NashraError:
            continue  # the build reports an article it cannot read, with why
        if article.voice is None:
            continue
        item = f"articles/{path.name}"
        if engine.voice_option is None:
            message = (
                f"front matter `voice` ({article.voice}) is not used: {label(engine)} has one voice"
            )
            found.append(Finding(RULE, WARNING, item, message))
            continue
        try:
            voiced = with_voice(engine, article.voice)
        except ValueError as exc:
            found.append(Finding(RULE, WARNING, item, f"front matter `voice`: {exc}"))
            continue
        if problem := not_arabic(voiced, "this article's"):
            found.append(Finding(RULE, WARNING, item, f"front matter `voice`: {problem}"))
    return found


def _names_a_voice(path: Path) -> bool:
    """Whether the article is Markdown whose first bytes hold a `voice:` line."""
    if path.suffix.lower() != ".md":
        return False
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"---") and bool(_VOICE_LINE.search(head))


def not_arabic(engine: Engine, whose: str = "the articles'") -> str:
    """Why `engine`'s voice would not read Arabic ("" when it would, or cannot be told)."""
    try:
        locale = engine.voice_locale()
    except NashraError:
        return ""
    if locale is None or is_arabic(locale):
        return ""
    voice = getattr(engine.options, engine.voice_option) if engine.voice_option else "its voice"
    return (
        f"{voice} speaks {locale}, not Arabic: {label(engine)} would read {whose} Arabic "
        "letter by letter, or not at all; choose an Arabic voice"
    )
