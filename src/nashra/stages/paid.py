"""Before a build voices: what a paid engine will be sent, said, and held to `--max-characters`.

The figures are counted by `nashra.stages.cost` over the requests the engine plans
(`Engine.plan`, as stage 3 plans them) that the clip cache lacks (`missing_clips`).
"""

from __future__ import annotations

from collections.abc import Sequence

from nashra.config.settings import Settings
from nashra.engines.base import label
from nashra.engines.choice import expected_engine
from nashra.stages.article_cache import ScriptReader
from nashra.stages.article_voice import voice_groups
from nashra.stages.cost import Announce, Budget, refusal, sending
from nashra.stages.read import in_batches, taken_up
from nashra.stages.types import Job
from nashra.stages.voice import planned_requests, to_send
from nashra.storage import paths
from nashra.storage.cache import ClipCache


def before_voicing(
    settings: Settings, pending: Sequence[Job], limit: int | None, announce: Announce | None
) -> Budget | None:
    """Tell `announce` what the build's engine will be sent for `pending` when it is paid
    and anything is to be sent, and refuse the build (`TooManyCharacters`) when that is
    over `limit` (`--max-characters`; None: `[build] max_characters`); the budget the rest
    of the build is held to (None without a limit)."""
    budget = None
    if limit is not None:
        budget = Budget(limit)
    elif settings.build.max_characters is not None:
        budget = Budget(settings.build.max_characters, "[build] max_characters")
    engine = expected_engine(settings.speech)
    if engine is None or not engine.paid:
        return budget
    clips = ClipCache(paths.clip_dir(settings.work_dir))
    reader = ScriptReader(settings)
    figure = sending(engine.name, label(engine), [], len, engine.price_per_million())
    seen: dict[str, set[str]] = {}
    # A batch at a time, as the build voices: an archive's scripts are never all held.
    for batch in in_batches(pending):
        jobs = [item for item in taken_up(batch, reader) if isinstance(item, Job)]
        # An article read with a voice of its own is a request of that voice's.
        for voiced, group in voice_groups(engine, jobs)[0]:
            planned = planned_requests(voiced, group, clips)
            texts = {u.speech for script in planned.values() for u in script.utterances}
            done = seen.setdefault(voiced.voice_id(), set())
            figure += to_send(voiced, texts - done, clips)
            done |= texts
    if announce is not None and figure.requests:
        # Nothing to send is nothing to say: a rebuild from the cache prints no cost line.
        announce(figure)
    if budget is not None:
        if figure.characters > budget.limit:
            raise refusal(figure, budget)
        budget.engine, budget.reserved = engine.name, figure.characters
    return budget
