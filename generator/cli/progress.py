"""A one-line progress bar on stderr, for long runs written to a file or a pipe."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 24  # characters of bar


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts stories written and redraws the bar at most every `interval` seconds."""

    def __init__(self, total: int, stream: TextIO, interval: float = 0.2,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.drawn = float("-inf")
        self.done = 0

    def __call__(self, stories: int) -> None:
        self.done += stories
        now = self.clock()
        if now - self.drawn >= self.interval or self.done >= self.total:
            self.drawn = now
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()

    def line(self, now: float) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = int(share * WIDTH)
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = f"ETA {_clock((self.total - self.done) / rate)}" if rate and self.done < self.total else f"in {_clock(elapsed)}"
        return (f"[{'#' * filled}{'-' * (WIDTH - filled)}] {share:4.0%}  {self.done:,}/{self.total:,} stories"
                f"  {rate:,.0f}/s  {left}")

    def close(self, finished: bool) -> None:
        """End the line: keep the final figures if the run finished, else erase the bar."""
        if self.drawn == float("-inf"):
            return
        self.stream.write("\n" if finished else "\r\x1b[K")
        self.stream.flush()
