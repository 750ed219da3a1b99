"""The invisible characters scraped Arabic text carries, in one place.

Every module that removes them asks here, so the reader, the speech
normalizer and the feed agree on what is invisible.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Arabic letter mark, left-to-right and right-to-left marks, embeddings,
overrides and isolates: a character class's content, for building patterns."""
ZERO_WIDTH = "\u200b\ufeff"
"""Zero-width space, and byte-order marks left inside the text."""
JOINERS = "\u200c\u200d"
"""Zero-width non-joiner and joiner: kept in written text (emoji sequences use the
joiner), never spoken."""

CONTROLS = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffe\uffff"
"""Control characters and noncharacters: no text shows them, XML forbids most, ID3
turns a NUL into `/`. Not the line breaks among them (\\v, \\f, \\x1c to \\x1f,
\\x85), which the readers split lines at and collapse like spaces."""

_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")
_CONTROLS_RE = re.compile(f"[{CONTROLS}]")
_WRITTEN_RE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}]")
_SPOKEN_RE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}{JOINERS}]")


def strip_bidi(text: str) -> str:
    """`text` without bidi controls (for the feed, whose readers lay out text themselves)."""
    return _BIDI_RE.sub("", text)


def strip_from_written(text: str) -> str:
    """`text` without the marks no reader of the article sees: bidi controls and
    zero-width spaces."""
    return _WRITTEN_RE.sub("", text)


def strip_from_speech(text: str) -> str:
    """`text` without anything invisible, joiners included: nothing to say there."""
    return _SPOKEN_RE.sub("", text)


def strip_controls(text: str) -> str:
    """`text` without control characters (`CONTROLS`): what a file or front matter
    holds of them is damage or an escape, never meant to be read or shown."""
    return _CONTROLS_RE.sub("", text)
