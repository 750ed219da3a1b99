"""Language tags (BCP 47): the one module that talks to langcodes.

The feed's `<language>` tells apps and directories which language a show is
in; a tag they cannot parse files the show under no language at all.
"""

from __future__ import annotations

import langcodes
from langcodes.data_dicts import MACROLANGUAGES

_NAMES_OF_ARABIC = {"arabic", "عربي", "العربية", "عربية", "arab", "arabe", "arabisch"}


def language_problem(tag: str) -> str | None:
    """What is wrong with `tag` as a feed's language, or None when it is a valid tag."""
    try:
        valid = langcodes.tag_is_valid(tag)
    except ValueError:  # langcodes.LanguageTagError is one
        valid = False
    if valid and "_" not in tag:
        return None
    hint = "; did you mean `ar`?" if tag.strip().casefold() in _NAMES_OF_ARABIC else ""
    if not hint:
        try:
            standard = langcodes.standardize_tag(tag)
        except ValueError:  # langcodes.LanguageTagError is one
            standard = ""
        if standard and standard != tag and langcodes.tag_is_valid(standard):
            hint = f"; did you mean `{standard.lower()}`?"
    return f"`language` must be a language tag such as `ar` or `ar-eg`, got {tag!r}{hint}"


def is_arabic(tag: str) -> bool:
    """Whether `tag` names Arabic: `ar`, a regional form (`ar-eg`), or a variety (`arz`)."""
    language = langcodes.Language.get(tag).language or ""
    return language == "ar" or MACROLANGUAGES.get(language) == "ar"
