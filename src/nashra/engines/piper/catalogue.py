"""The Piper voices nashra knows by name: where each comes from, and its licence as
far as its source states it."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

LICENCE_UNCLEAR = "licence unclear"


@dataclass(frozen=True)
class RemoteFile:
    """One file of a voice at its source."""

    url: str
    sha256: str | None = None
    """The file's SHA-256 when it is known; a download that does not match is refused."""
    required: bool = True
    """False for files a voice works without (its MODEL_CARD)."""

    @property
    def name(self) -> str:
        return urllib.parse.unquote(urllib.parse.urlsplit(self.url).path.rsplit("/", 1)[-1])


@dataclass(frozen=True)
class CatalogueEntry:
    """A Piper voice nashra knows by name."""

    name: str
    language: str
    quality: str
    licence: str
    """As far as its source states it, or `LICENCE_UNCLEAR`."""
    source: str
    """The page that describes the voice."""
    files: tuple[RemoteFile, ...]


_PIPER_VOICES = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0"


def _piper_voice(path: str, name: str, quality: str, language: str, licence: str) -> CatalogueEntry:
    base = f"{_PIPER_VOICES}/{path}/{quality}"
    return CatalogueEntry(
        name=f"{name}-{quality}",
        language=language,
        quality=quality,
        licence=licence,
        source=f"https://huggingface.co/rhasspy/piper-voices/tree/v1.0.0/{path}/{quality}",
        files=(
            RemoteFile(f"{base}/{name}-{quality}.onnx"),
            RemoteFile(f"{base}/{name}-{quality}.onnx.json"),
            RemoteFile(f"{base}/MODEL_CARD", required=False),
        ),
    )


CATALOGUE: tuple[CatalogueEntry, ...] = (
    # From the Piper project's voice collection, which states no licence for these voices
    # that could be confirmed; `list` shows the card's own licence line once installed.
    _piper_voice("ar/ar_JO/kareem", "ar_JO-kareem", "low", "ar_JO", LICENCE_UNCLEAR),
    _piper_voice("ar/ar_JO/kareem", "ar_JO-kareem", "medium", "ar_JO", LICENCE_UNCLEAR),
)
"""Known Arabic Piper voices. SHA-256 digests are left out where no trusted source gives them."""
