"""The check's rules on podcast.toml: what it allows but is probably not meant."""

from __future__ import annotations

from urllib.parse import urlsplit

from nashra.check.findings import WARNING, Finding
from nashra.config.languages import is_arabic
from nashra.config.project import (
    PLACEHOLDER_BASE_URL,
    PLACEHOLDER_EMAIL,
    SAMPLE_ARTICLE,
    SAMPLE_ARTICLE_NAME,
)
from nashra.config.settings import Settings


def settings_warnings(settings: Settings) -> list[Finding]:
    """A language other than Arabic, and what `nashra init` filled in for the user to replace."""
    found: list[Finding] = []
    if not is_arabic(settings.language):
        found.append(
            Finding(
                "language",
                WARNING,
                "channel",
                f"`language` is {settings.language!r}, not Arabic, but the episodes are "
                "voiced in Arabic; directories will list the show under that language",
            )
        )
    if urlsplit(settings.base_url).hostname == urlsplit(PLACEHOLDER_BASE_URL).hostname:
        found.append(
            Finding(
                "placeholder",
                WARNING,
                "channel",
                f"`base_url` is {settings.base_url}, a placeholder; set it in "
                "podcast.toml to where output/ will be published",
            )
        )
    if settings.owner.email.lower() == PLACEHOLDER_EMAIL:
        found.append(
            Finding(
                "placeholder",
                WARNING,
                "channel",
                f"`owner.email` is {settings.owner.email}, a placeholder; directories "
                "send the ownership code there, so set it in podcast.toml to your address",
            )
        )
    sample = settings.articles_dir / SAMPLE_ARTICLE_NAME
    try:
        is_sample = sample.read_text(encoding="utf-8").replace("\r\n", "\n") == SAMPLE_ARTICLE
    except (OSError, UnicodeDecodeError):
        is_sample = False
    if is_sample:
        found.append(
            Finding(
                "placeholder",
                WARNING,
                f"articles/{SAMPLE_ARTICLE_NAME}",
                "is `nashra init`'s sample article; delete it or replace it with your own",
            )
        )
    return found
