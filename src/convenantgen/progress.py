"""A progress display for long builds: a live line on a terminal, silent otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Shows ``[stage] step/total message`` on one rewritten line when ``stream`` is a terminal.

    In CI, pipes and tests (not a terminal) it prints nothing, so logs stay clean; ``done``
    then prints a one-line summary only when asked to be verbose.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self._width = 0

    def step(self, stage: str, done: int, total: int, message: str = "") -> None:
        if not self.enabled:
            return
        line = f"[{stage}] {done}/{total} {message}".rstrip()
        pad = max(0, self._width - len(line))
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()
        self._width = len(line)

    def finish(self, summary: str) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        self.stream.write("\r" + " " * self._width + "\r")
        self.stream.write(f"{summary} ({elapsed:.1f} s)\n")
        self.stream.flush()
