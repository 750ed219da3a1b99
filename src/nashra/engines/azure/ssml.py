"""Azure's SSML documents: a request (escaped text and breaks, planned by the shared
`nashra.engines.ssml`) wrapped in the voice, the style and the rate.

Azure bills by the character and limits requests a minute (twenty on a free resource), so
a request is a paragraph, up to `max_chars` characters of speech (see `nashra.engines.ssml`).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from nashra.engines.ssml import voice_locale

VERSION = 1
"""Part of the voice id: raise it when requests change how Azure reads them."""
MSTTS = "https://www.w3.org/2001/mstts"


def inside_voice(request: str, *, style: str, rate: float) -> str:
    """What the `<voice>` element of `request`'s document holds: the request, in the
    style and at the rate asked for. Azure bills these characters: the text and every
    element that adjusts how it is said, but not `<speak>` and `<voice>` themselves."""
    inner = request
    if rate != 1.0:
        inner = f'<prosody rate="{rate:g}">{inner}</prosody>'
    if style:
        inner = f"<mstts:express-as style={quoteattr(style)}>{inner}</mstts:express-as>"
    return inner


def document(request: str, *, voice: str, style: str, rate: float) -> str:
    """The SSML document Azure is sent for `request`, said by `voice`."""
    inner = inside_voice(request, style=style, rate=rate)
    return (
        '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" '
        f'xmlns:mstts="{MSTTS}" xml:lang={quoteattr(voice_locale(voice))}>'
        f"<voice name={quoteattr(voice)}>{inner}</voice></speak>"
    )
