"""What Edge's service takes, for the engine (whose class loads without edge-tts) and the
service adapter alike: a voice's short name, and the size of one message."""

from __future__ import annotations

import re

VOICE_RE = re.compile(r"[a-z]{2,3}-[A-Z]{2,3}(-[A-Za-z]{2,12})?-[A-Za-z0-9]{1,40}Neural")
"""A voice's short name as edge-tts turns it into the service's long one; edge-tts writes it
into its SSML unescaped, so nothing else may pass."""
MAX_REQUEST_BYTES = 4096
"""edge-tts cuts the escaped text it is given into pieces of this many UTF-8 bytes, each
its own connection: a request within it is one piece, so the engine's packing is the one
owner of how text is cut (and a connector serves exactly one connection)."""
