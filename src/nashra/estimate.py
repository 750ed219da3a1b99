"""How long an episode will last, from its script alone, before anything is voiced.

espeak-ng's speech lasts in proportion to the characters it is given plus a
share per chunk (each chunk is said as its own utterance, with its own final
lengthening and trailing silence), and inversely to its rate in words a minute;
the pauses and the lead-in are added as they are. The two constants were fitted
on the 13 corpus articles (tests/data/corpus) built with espeak-ng at rate 150:
every estimate came within 2.1 % short and 6.6 % long of the built audio
(within 2.1 % short and 6.6 % long also when each article is left out of the
fit in turn), where characters alone at 9.6 a second came 6 % to 23 % short.
"""

from __future__ import annotations

from nashra.model import Script

SECONDS_PER_CHARACTER = 0.0486
"""espeak-ng at rate 150, per character of the script's speech."""
SECONDS_PER_CHUNK = 5.37
"""espeak-ng at rate 150, per speech chunk."""
CALIBRATION_RATE = 150
LEAD_IN_SECONDS = 0.3
"""The silence before the first clip (`audio.assemble`)."""


def estimate_seconds(script: Script, *, rate: int = CALIBRATION_RATE) -> float:
    """Seconds of audio `script` will make when espeak-ng says it at `rate` words a minute."""
    if not script.utterances:
        return 0.0
    speech = (
        script.characters * SECONDS_PER_CHARACTER + len(script.utterances) * SECONDS_PER_CHUNK
    ) * (CALIBRATION_RATE / rate)
    pauses = sum(u.pause_after_ms for u in script.utterances) / 1000
    return speech + pauses + LEAD_IN_SECONDS
