"""How a build tells whoever runs it how far it has got: one plain callback.

Each stage calls `progress(stage, done, total)`: once with `done == 0` when it
starts, as its work advances, and with `done == total` when it is finished.
The units are the stage's own (articles, clips, seconds of audio, episodes). The library never
draws anything; the command line turns the calls into progress bars or lines.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

READING = "reading"
VOICING = "voicing"
ENCODING = "joining and encoding"
ON_CLUSTER = "voicing and encoding on the cluster"
PUBLISHING = "publishing"
CHECKING = "checking"

STAGES = (READING, VOICING, ENCODING, PUBLISHING, CHECKING)
"""A build's stages, in order; on a cluster, `ON_CLUSTER` takes voicing's and encoding's place."""
UNITS = {
    READING: "articles",
    VOICING: "clips",
    ENCODING: "s of audio",
    ON_CLUSTER: "episodes",
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


class Shares:
    """One stage's progress made of items of different sizes, done in parallel.

    Each item reports the share of it done (0 to 1) through `part(key)`; the
    stage's count is the sum of the items' weights times their shares, so a long
    episode moves the count in proportion to its length.
    """

    def __init__(self, step: StageProgress, weights: Mapping[str, float]) -> None:
        self.step = step
        self.weights = dict(weights)
        self.total = max(1, round(sum(self.weights.values())))
        self.shares = dict.fromkeys(self.weights, 0.0)
        self.lock = threading.Lock()
        self.reported = -1

    def part(self, key: str) -> Callable[[float], None]:
        def report(share: float) -> None:
            with self.lock:
                self.shares[key] = max(self.shares[key], min(1.0, share))
                done = round(sum(self.weights[k] * s for k, s in self.shares.items()))
                done = min(done, self.total)
                if done == self.reported:
                    return
                self.reported = done
            self.step(done, self.total)

        return report


class Continued:
    """One stage's progress over batches: each batch counts from 0 to its own total,
    the stage from 0 to the sum of the totals of the batches begun so far."""

    def __init__(self, step: StageProgress) -> None:
        self.step = step
        self.done = 0
        self.total = 0
        self.last = (0, 0)

    def batch(self) -> StageProgress:
        self.done += self.last[0]
        self.total += self.last[1]
        self.last = (0, 0)

        def report(done: int, total: int) -> None:
            self.last = (done, total)
            self.step(self.done + done, self.total + total)

        return report
