"""libespeak-ng started afresh for every clip, so that a clip depends on its text alone.

libespeak-ng carries state from one utterance to the next that no call resets: the
pitch flutter's position (a static inside wavegen.c's `AdvanceParameters`), the
wave's phase and gain control (statics of `Wavegen`), and the noise generator,
seeded from the clock by `espeak_Initialize` (whispered and Klatt voices are made
of its noise). The same text then comes out a few samples different after
different sentences: in another worker, on a cluster, in another build. A voice
without flutter is not enough (the phase and gain still differ), so the library
is unloaded and loaded again before each clip (about 1 ms of CPU), and given a fixed
seed.

Only `nashra.engines.espeak.engine` uses this; call it while holding its lock.
"""

from __future__ import annotations

import _ctypes
import ctypes
import logging
import re
import sys

log = logging.getLogger(__name__)

SEED = 1
"""The noise generator's seed for every clip."""


class _Voice(ctypes.Structure):
    """speak_lib.h's espeak_VOICE."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_voice_files: dict[str, bytes] = {}
"""Voice names as given (`ar+m3`) → the voice file they select (`sem/ar+m3`). A name that
is not a file makes the library list every voice into memory that it never frees once
unloaded (2 kB a clip); a file name is found directly."""


def declare(lib: ctypes.CDLL) -> None:
    """Give the functions used here their C types."""
    lib.espeak_GetCurrentVoice.restype = ctypes.POINTER(_Voice)
    lib.espeak_GetCurrentVoice.argtypes = []
    lib.espeak_Terminate.restype = ctypes.c_int
    lib.espeak_Terminate.argtypes = []


def seed(lib: ctypes.CDLL) -> None:
    """Seed the noise generator (call after `espeak_Initialize`, which seeds it from the clock)."""
    try:  # espeak-ng 1.52 and later
        lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        lib.espeak_ng_SetRandSeed(SEED)
    except AttributeError:
        log.debug("this libespeak-ng takes no seed: whispered voices will vary")


def voice_name(voice: str) -> bytes:
    """What to give `espeak_SetVoiceByName` for `voice`."""
    return _voice_files.get(voice, voice.encode("utf-8"))


def remember_voice(lib: ctypes.CDLL, voice: str) -> None:
    """Note the file of the voice just selected by the name `voice`."""
    selected = lib.espeak_GetCurrentVoice()
    if selected and selected.contents.identifier:
        _voice_files.setdefault(voice, selected.contents.identifier)


def language(lib: ctypes.CDLL) -> str | None:
    """The language of the voice just selected, as a BCP-47 tag (`ar`, `en-US`): the first
    of its `languages`, a priority byte before each name."""
    selected = lib.espeak_GetCurrentVoice()
    if not selected or not selected.contents.languages:
        return None
    name = selected.contents.languages[1:].decode("ascii", "replace")
    return _tag(name)


_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")


def language_of_name(voice: str) -> str | None:
    """The language a voice's name starts with (`ar+m3`: ar, `en-us`: en-US); None
    when the name is not a language's (`Arabic`)."""
    return _tag(voice.split("+", 1)[0])


def _tag(name: str) -> str | None:
    if not _LANGUAGE_RE.fullmatch(name.lower()):
        return None
    first, *rest = name.lower().split("-")
    return "-".join([first, *(part.upper() if len(part) == 2 else part for part in rest)])


def unload(lib: ctypes.CDLL) -> None:
    """Free the library's memory and unload it: loaded again, all its state starts anew.
    Call nothing in `lib` afterwards."""
    lib.espeak_Terminate()
    if sys.platform == "win32":
        _ctypes.FreeLibrary(lib._handle)
    else:
        _ctypes.dlclose(lib._handle)
