"""A progress bar on stderr for walks that take a while (the first read of a long history).

Shown only on a terminal, never inside a hook, and only once a walk has run for about a second
(``ZYFLOW_GIT_PROGRESS_AFTER`` seconds): most walks end before anyone waits, and a bar that
flashes by is noise. Click-free, so that every face can use it.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, TextIO, TypeVar

    T = TypeVar("T")

AFTER = 1.0  # seconds a walk runs before its bar appears
EVERY = 0.1  # seconds between redraws
WIDTH = 30


class Bar:
    """``bar(done, total)`` after each step; ``bar.close()`` when the walk ends or fails."""

    def __init__(self, label: str, unit: str, stream: TextIO, after: float) -> None:
        self.label, self.unit, self.stream, self.after = label, unit, stream, after
        self.start: float | None = None
        self.drawn = float("-inf")
        self.open = False  # a line is on the screen without its newline

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.start is None:
            self.start = now
        if not self.open and (now - self.start < self.after or done >= total):
            return
        if done < total and now - self.drawn < EVERY:
            return
        self.drawn = now
        filled = WIDTH * done // max(total, 1)
        self.stream.write(f"\rzyflow-git: {self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} {self.unit}")
        self.open = done < total
        if not self.open:
            self.stream.write("\n")
        self.stream.flush()

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False


def on_terminal(label: str, unit: str = "commits") -> Bar | None:
    """A bar for a walk, or None where nobody watches (piped stderr, a hook)."""
    if os.environ.get("ZYFLOW_GIT_HOOK") or not sys.stderr.isatty():
        return None
    try:
        after = float(os.environ.get("ZYFLOW_GIT_PROGRESS_AFTER", AFTER))
    except ValueError:
        after = AFTER
    return Bar(label, unit, sys.stderr, after)


def reporting(label: str, walk: Callable[[Bar | None], T]) -> T:
    """Run ``walk(bar)`` with a bar on a terminal, closing the bar however the walk ends."""
    bar = on_terminal(label)
    try:
        return walk(bar)
    finally:
        if bar is not None:
            bar.close()
