"""Signals that ask storygen to stop (Ctrl-C's SIGINT, SIGTERM from kill, timeout or a CI runner,
SIGHUP when the terminal goes): each becomes an exception, so a run unwinds as it does on an error,
removing its temporary file and stopping its workers, and exits 128 + the signal's number, quietly,
as a shell expects of a command a signal ended."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """A stopping signal arrived (a BaseException, like KeyboardInterrupt, so that no handler of
    ordinary errors swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class _Holding:
    """How deep the `held` blocks go, and a stopping signal that arrived inside one."""

    def __init__(self) -> None:
        self.depth = 0
        self.pending: int | None = None


_HOLDING = _Holding()


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Stopping signals wait until the block ends (then arrive as usual): for a step that must not
    be cut in two, such as creating a temporary file and noting that it needs removing.

    The wait is kept by the handler, not by the operating system's signal mask: a signal delivered
    just before the block began still has its Python handler run inside the block (at the next
    point the interpreter checks), which a mask cannot stop."""
    _HOLDING.depth += 1
    try:
        yield
    finally:
        _HOLDING.depth -= 1
        if not _HOLDING.depth and _HOLDING.pending is not None:
            signum, _HOLDING.pending = _HOLDING.pending, None
            raise Interrupted(signum)


def _raise(signum: int, frame: FrameType | None) -> None:
    if _HOLDING.depth:
        _HOLDING.pending = signum
        return
    raise Interrupted(signum)


def stop_on_signals() -> None:
    """From now on, a stopping signal raises Interrupted in the main thread."""
    for signum in STOPPING:
        if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup's SIGHUP stays ignored
            signal.signal(signum, _raise)
