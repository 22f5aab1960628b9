"""Text bound for a terminal, with the control characters that report text can carry made harmless.

A report title can hold `ESC ] 0 ; … BEL` (sets the terminal's title) or `ESC [ 31 m` (colours): printed as
they are, they act on the operator's terminal. Every terminal output of dxw (the run summary, Dagster's and
dbt's log lines, `dxw sql`, `dxw extract`) goes through `escape_controls`: each control character becomes the
visible escape `\\u001b`, which is also a valid JSON escape of the same character, so JSON output stays exact.
Line feeds and tabs are kept: they lay out the text and act on nothing.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import TextIO

# C0 but tab and line feed, DEL, C1 (0x9b is an 8-bit CSI), and the bidirectional overrides that reorder
# what a terminal shows
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class ControlSafeStream:
    """A text stream that escapes control characters on their way to the terminal. It says it is not a
    terminal, so that loggers (Dagster's coloredlogs) do not write colour codes that it would then escape."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape_controls(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def guarded_terminal() -> Iterator[None]:
    """stdout and stderr escaped for the duration (one command of `dxw`), then restored."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = ControlSafeStream(sys.stdout), ControlSafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
