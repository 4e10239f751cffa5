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


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Stopping signals wait until the block ends (then arrive as usual): for a step that must not
    be cut in two, such as creating a temporary file and noting that it needs removing."""
    if not hasattr(signal, "pthread_sigmask"):  # not on every platform; there the window stays
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def stop_on_signals() -> None:
    """From now on, a stopping signal raises Interrupted in the main thread."""
    for signum in STOPPING:
        if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup's SIGHUP stays ignored
            signal.signal(signum, _raise)
