"""Bytes to text for articles: UTF-8 first, then what Arabic files are really saved as.

Arabic articles from older Windows programs come as Windows-1256, and some
editors save UTF-16 with a byte-order mark. charset-normalizer (already installed
with requests) guesses the encoding; a guess is accepted only when the result is
mostly Arabic letters, because a wrong guess yields plausible-looking Latin or
Urdu presentation forms rather than an error.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from nashra.core.errors import ArticleError
from nashra.text.letters import SCRIPT_LETTERS

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ARABIC_LETTER = re.compile(f"[{SCRIPT_LETTERS}]")
_LETTER = re.compile(r"[^\W\d_]")
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
ARABIC_SHARE = 0.6
"""Share of letters that must be Arabic for a guessed encoding to be believed."""
UTF8_DAMAGE = 0.001
UTF8_MIN_DAMAGE = 3
"""A file is read as UTF-8 when no more of its bytes than this share (or this many, for a
short file: one cut character) fail to decode."""


def arabic_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_ARABIC_LETTER.findall(text)) / letters if letters else 0.0


def decode_article(data: bytes, path: Path) -> str:
    """The text of an article file, or an `ArticleError` saying why there is none."""
    plain = not data.startswith(tuple(bom for bom, _ in _BOMS)) and b"\x00" not in data[:8192]
    if plain and _HTML.match(data[:1024]):
        raise ArticleError(
            path,
            "is a saved web page (HTML), not an article's text; copy the article's text "
            "into a .txt or .md file",
        )
    return decode_text(data, path)


def decode_text(data: bytes, path: Path, what: str = "an article") -> str:
    """The text of a file of `what` (UTF-8, or an encoding Arabic text is saved in), or
    an `ArticleError` naming `path` and saying why there is none."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ArticleError(
                    path, f"starts with a {encoding} byte-order mark but is not valid {encoding}"
                ) from exc
    if b"\x00" in data[:8192]:
        raise ArticleError(path, f"looks like a binary file (it holds NUL bytes), not {what}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = _mostly_utf8(data, path, utf8_error.start)
    if text is not None:
        return text
    for encoding in _candidates(data):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if arabic_share(text) >= ARABIC_SHARE:
            log.warning("%s is not UTF-8; read it as %s", path, encoding)
            return text
    raise ArticleError(
        path,
        f"is not UTF-8 text (byte 0x{data[utf8_error.start]:02x} at position {utf8_error.start}) "
        "and no Arabic encoding fits it; re-save it as UTF-8",
    )


def _mostly_utf8(data: bytes, path: Path, where: int) -> str | None:
    """The text of a UTF-8 file with a few broken bytes (a file cut inside its last
    character, a damaged byte), those bytes dropped with a warning; None when too much
    of it does not decode for it to be UTF-8. `where` is the first broken byte.

    Another encoding read as UTF-8 breaks at nearly every non-ASCII byte, so a file
    whose letters decode, all but `UTF8_DAMAGE` of its bytes, is UTF-8.
    """
    text = data.decode("utf-8", errors="ignore")
    broken = len(data) - len(text.encode("utf-8"))
    if broken > max(UTF8_MIN_DAMAGE, len(data) * UTF8_DAMAGE) or text.isascii():
        return None
    if broken == len(data) - where:
        log.warning(
            "%s is cut short inside its last character; read it as UTF-8 without that character",
            path,
        )
    else:
        log.warning(
            "%s is UTF-8 with %d damaged byte%s (the first at position %d); read it without them",
            path,
            broken,
            "" if broken == 1 else "s",
            where,
        )
    return text


def _candidates(data: bytes) -> list[str]:
    # Imported here: nearly every article is UTF-8, and the import costs 30 ms.
    import charset_normalizer

    guesses = []
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        guesses.append(best.encoding)
    # Short texts defeat statistical guessing; Windows-1256 is by far the likeliest.
    return [*guesses, "cp1256"]
