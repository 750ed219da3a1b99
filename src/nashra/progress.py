"""How a build tells whoever runs it how far it has got: one plain callback.

Each stage calls `progress(stage, done, total)`: once with `done == 0` when it
starts, as its work advances, and with `done == total` when it is finished.
The units are the stage's own (articles, clips, episodes). The library never
draws anything; the command line turns the calls into progress bars or lines.
"""

from __future__ import annotations

from collections.abc import Callable

READING = "reading"
VOICING = "voicing"
ENCODING = "joining and encoding"
PUBLISHING = "publishing"
CHECKING = "checking"

STAGES = (READING, VOICING, ENCODING, PUBLISHING, CHECKING)
UNITS = {
    READING: "articles",
    VOICING: "clips",
    ENCODING: "episodes",
    PUBLISHING: "episodes",
    CHECKING: "episodes",
}

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total)."""
StageProgress = Callable[[int, int], None]
"""One stage's part of a `Progress`: called with (done, total)."""


def nothing(stage: str, done: int, total: int) -> None:
    """A `Progress` that shows nothing."""


def of_stage(progress: Progress | None, stage: str) -> StageProgress:
    """The (done, total) callback for one `stage` of `progress`."""
    report = progress or nothing

    def step(done: int, total: int) -> None:
        report(stage, done, total)

    return step
