"""The build's progress on stderr: a progress bar per stage on a terminal, plain
lines elsewhere (a log file, CI), nothing with -q."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any, Literal, TextIO

import click

from nashra.core.progress import UNITS

LINE_INTERVAL = 10.0
"""Seconds between two plain progress lines; `NASHRA_PROGRESS_EVERY` overrides it."""
TICK = 0.5
"""Seconds between two redraws of a stage that is not advancing (one long encode)."""


def line_interval() -> float:
    """`NASHRA_PROGRESS_EVERY` seconds if set to a number, else `LINE_INTERVAL`."""
    try:
        return max(0.0, float(os.environ["NASHRA_PROGRESS_EVERY"]))
    except (KeyError, ValueError):
        return LINE_INTERVAL


def duration(seconds: float) -> str:
    """`42 s`, `3 min 05 s`, `1 h 02 min`."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, whole = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {whole:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class ProgressView:
    """A `nashra.core.progress.Progress` that draws on `stream`.

    `mode` "bar": a click progress bar per stage, with counts and an ETA,
    redrawn every `TICK` so that a stage stuck on one long item still shows its
    time passing. "lines": a stage that runs longer than `interval` seconds gets
    a line every `interval` seconds (count, share, time so far and left), and
    one when it ends; a quick build prints none. "quiet": nothing. The view
    also remembers how far each stage got, for the message after an interrupt.
    """

    def __init__(
        self,
        mode: Literal["bar", "lines", "quiet"],
        stream: TextIO,
        *,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        tick: float | None = TICK,
    ) -> None:
        self.mode = mode
        self.stream = stream
        self.interval = line_interval() if interval is None else interval
        self.clock = clock
        self.stage: str | None = None
        self.done = 0
        self.total = 0
        self.started = 0.0
        self.last_line = 0.0
        self.printed = False
        self.finished: dict[str, int] = {}
        """Stages that ran to the end, with their counts."""
        self.bar: Any = None
        self.lock = threading.Lock()
        self.ticker: threading.Thread | None = None
        self.closed = threading.Event()
        self.tick = tick

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self.lock:
            now = self.clock()
            if stage != self.stage:
                if self.stage is not None:
                    # The stages run in order: one has ended when the next begins.
                    self.finished.setdefault(self.stage, self.done)
                self._end_stage(now)
                self.stage, self.started, self.last_line = stage, now, now
                self.done, self.printed = 0, False
            self.total = total
            if self.mode == "bar" and total:
                if self.bar is None:
                    self.bar = click.progressbar(
                        length=total,
                        label=f"{stage[:1].upper()}{stage[1:]:<20}",
                        show_pos=True,
                        show_eta=True,
                        file=self.stream,
                    )
                    self.bar.__enter__()
                self.bar.update(done - self.done)
            self.done = done
            if done >= total > 0:
                self.finished[stage] = total
            elif self.mode == "lines" and now - self.last_line >= self.interval:
                self._status(now)
        self._start_ticker()

    def _status(self, now: float) -> None:
        assert self.stage is not None
        self.last_line, self.printed = now, True
        elapsed = now - self.started
        share = f" ({self.done * 100 // self.total} %)" if self.total else ""
        left = (
            f", about {duration(elapsed / self.done * (self.total - self.done))} left"
            if self.done
            else ""
        )
        self._line(
            f"{self.stage}: {self.done}/{self.total} {UNITS.get(self.stage, '')}{share}, "
            f"{duration(elapsed)} so far{left}"
        )

    def _start_ticker(self) -> None:
        if self.mode == "quiet" or self.ticker is not None or self.tick is None:
            return
        self.ticker = threading.Thread(target=self._tick, daemon=True, name="nashra-progress")
        self.ticker.start()

    def _tick(self) -> None:
        while not self.closed.wait(self.tick):
            with self.lock:
                if self.stage is None or self.stage in self.finished:
                    continue
                if self.bar is not None:
                    self.bar.render_progress()
                elif self.mode == "lines" and self.clock() - self.last_line >= self.interval:
                    self._status(self.clock())

    def _end_stage(self, now: float) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        if self.mode == "lines" and self.stage and self.printed:
            count = self.finished.get(self.stage, self.done)
            unit = UNITS.get(self.stage, "")
            self._line(f"{self.stage}: {count} {unit} done in {duration(now - self.started)}")

    def close(self) -> None:
        """End the last stage's bar or line, and the redrawing."""
        if self.closed.is_set():
            return
        self.closed.set()
        with self.lock:
            self._end_stage(self.clock())

    def say(self, text: str) -> None:
        """A line of its own between the progress: the bar is drawn again below it."""
        with self.lock:
            if self.bar is not None:
                self.stream.write("\r\x1b[K")
            click.echo(text, file=self.stream)
            if self.bar is not None:
                self.bar.render_progress()

    def _line(self, text: str) -> None:
        click.echo(text, file=self.stream)

    def summary(self) -> str:
        """What finished and where the build stood, for the message after an interrupt."""
        done = [f"{stage} ({n} {UNITS.get(stage, '')})" for stage, n in self.finished.items()]
        parts = [f"finished {', '.join(done)}" if done else "nothing had finished"]
        if self.stage and self.stage not in self.finished:
            unit = UNITS.get(self.stage, "")
            parts.append(f"stopped while {self.stage} ({self.done} of {self.total} {unit})")
        elif self.stage is None:
            parts.append("stopped while starting, before reading the articles")
        return "; ".join(parts)
