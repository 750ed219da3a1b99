"""How long an episode will last, from its script alone, before anything is voiced.

espeak-ng's speech lasts in proportion to the characters it is given, much more
for digits (`4843` is said «أربعة آلاف وثمانمائة وثلاثة وأربعون»), plus a little
per chunk, and inversely to its rate in words a minute (measured at 120, 150,
200 and 300); the pauses and the lead-in are added as they are. The constants
were fitted on every chunk of the 13 corpus articles (tests/data/corpus) and
`nashra init`'s sample, 545 clips voiced by espeak-ng at rate 150. Against the
built episodes every estimate came within 4.1 % short and 3.4 % long, but the
sample's (its chunks are a few words each), 5.7 % short; characters alone at 9.6
a second came 6 % to 23 % short, most for the articles full of figures.
"""

from __future__ import annotations

from nashra.config.settings import Speech
from nashra.core.model import Script
from nashra.engines.base import NEWS_READER_RATE
from nashra.engines.choice import expected_engine
from nashra.storage.scratch import PCM_BYTES_PER_SECOND

SECONDS_PER_CHARACTER = 0.1125
"""espeak-ng at rate 150, per character of the script's speech that is not a digit."""
SECONDS_PER_DIGIT = 0.522
SECONDS_PER_CHUNK = 0.222
CALIBRATION_RATE = 150
LEAD_IN_SECONDS = 0.3
"""The silence before the first clip (`audio.assemble`)."""


def speaking_rate(speech: Speech) -> int:
    """The rate a project's estimates are scaled to, in whole words a minute: that of
    the engine a build is expected to voice with (`Engine.speaking_rate`).

    Progress totals, the long-episode warning and `nashra plan` all use it; at the
    calibration's 150 they overstated a project at espeak-ng's default 260 by 1.7 times."""
    engine = expected_engine(speech)
    return round(engine.speaking_rate() if engine is not None else NEWS_READER_RATE)


def estimate_seconds(script: Script, *, rate: float = CALIBRATION_RATE) -> float:
    """Seconds of audio `script` will make when espeak-ng says it at `rate` words a minute."""
    if not script.utterances:
        return 0.0
    speech = 0.0
    for utterance in script.utterances:
        digits = sum(char.isdigit() for char in utterance.speech)
        speech += (
            (len(utterance.speech) - digits) * SECONDS_PER_CHARACTER
            + digits * SECONDS_PER_DIGIT
            + SECONDS_PER_CHUNK
        )
    pauses = sum(u.pause_after_ms for u in script.utterances) / 1000
    return speech * CALIBRATION_RATE / rate + pauses + LEAD_IN_SECONDS


LONG_EPISODE_SECONDS = 90 * 60
"""An episode expected to last longer than this gets a warning before it is voiced."""


def long_episode_warning(script: Script, *, rate: float = CALIBRATION_RATE) -> str | None:
    """What to tell the user before voicing `script`, if its episode will be very long."""
    seconds = estimate_seconds(script, rate=rate)
    if seconds <= LONG_EPISODE_SECONDS:
        return None
    hours, minutes = divmod(round(seconds / 60), 60)
    length = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
    return (
        f"a very long episode: about {length} of audio from {script.characters:,} characters; "
        "it takes a while to voice and encode, "
        "and its temporary audio in .nashra/tmp needs about "
        f"{round(seconds * PCM_BYTES_PER_SECOND / 2**20):,} MB. "
        "Split the article if that was not meant."
    )
