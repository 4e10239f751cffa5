"""--workers: processes make chunks of stories in memory, and every byte is written once.

Each story depends only on (seed, index), so a chunk made anywhere gives the same bytes; what has
to be decided is where each chunk goes. `--workers N` is this process and N - 1 spawned workers.
A chunk's maker reports its size; as soon as every chunk before it has a size, the chunk has its
offset, and its maker writes it there with pwritev into the output file (a worker opens it by
name). Where the output is not a file one can write at offsets (a pipe, an in-memory buffer), the
workers send their bytes to this process instead, which writes them in order.

The processes talk over plain pipes: no multiprocessing queue, lock or semaphore, so an interrupted
run leaks none. Workers ignore SIGINT (a terminal's Ctrl-C reaches the whole process group) and
leave stopping to this process, which ends them whenever it stops, for whatever reason.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, BinaryIO

from ..engine import StoryGenerator
from ..errors import StorygenError
from ..sample.sampler import BATCH_SIZE
from .signals import STOPPING, Interrupted

CHUNK = BATCH_SIZE  # stories per task (a batch: half of one costs a third more per story); about 22 MB of JSONL
QUEUED = 2  # chunks a worker is given ahead, so it never waits for this process's news
OWN = 4  # chunks this process may make ahead of a worker that is still on an earlier one
IOV_MAX = 1024  # buffers one pwritev call may take (POSIX's minimum of IOV_MAX is 16; Linux's is 1024)
STOP_WAIT = 2.0  # seconds a stopped worker gets to end before it is killed


def in_flight(processes: int) -> int:
    """How many chunks may be made and not yet written, with this many worker processes: each
    worker's queue plus one made and waiting for its offset, and this process's own. With fewer
    (4 for --workers 2) this process sat idle until the worker's first chunk, a second into the run;
    more would only hold more memory."""
    return (QUEUED + 1) * processes + OWN


Job = tuple[int, int, int]  # chunk number, first index, count


def _work(conn: Connection, load_args: dict[str, Any], path: str | None) -> None:
    """A worker: make the chunks it is given, write (or send) each when told where."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # also inherited as ignored from the start: see Workers
    try:
        generator = StoryGenerator.load(**load_args)
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)) if path is not None else None
        held: dict[int, list[bytes]] = {}
        conn.send(("ready", None, None))  # chunks go to a worker only once it can start on them
        while True:
            message = conn.recv()
            if message[0] == "make":
                _, number, kind, seed, start, count, first, run = message
                held[number] = list(generator.parts(kind, seed, start, count, first, run))
                conn.send(("made", number, sum(len(part) for part in held[number])))
            elif message[0] == "write":
                _, number, offset = message
                parts = held.pop(number)
                if fd is None:
                    conn.send(("bytes", number, b"".join(parts)))
                else:
                    write_at(fd, parts, offset)
                    conn.send(("written", number, None))
            else:
                return
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the parent has gone: it cleans up, nothing to say
    except StorygenError as exc:
        _report(conn, exc.exit_code, str(exc))
    except OSError as exc:
        _report(conn, 1, f"{path}: cannot write ({exc.strerror})")


def _report(conn: Connection, code: int, message: str) -> None:
    with contextlib.suppress(OSError):
        conn.send(("error", code, message))


def write_at(fd: int, parts: list[bytes], offset: int) -> None:
    """Write `parts` one after another at `offset`, without joining them where pwritev exists;
    a short write (allowed of any write) is finished with pwrite."""
    for lo in range(0, len(parts), IOV_MAX):
        group = parts[lo : lo + IOV_MAX]
        size = sum(len(part) for part in group)
        done = os.pwritev(fd, group, offset) if hasattr(os, "pwritev") else 0
        if done < size:
            rest = memoryview(b"".join(group))[done:]
            while rest:
                wrote = os.pwrite(fd, rest, offset + done)
                done += wrote
                rest = rest[wrote:]
        offset += size


class Workers:
    """Worker processes, each on its own pipe; a context manager that always ends them."""

    def __init__(self, load_args: dict[str, Any], count: int, path: Path | None) -> None:
        context = multiprocessing.get_context("spawn")
        self.processes: dict[Connection, Any] = {}
        # Started with SIGINT ignored, which exec keeps: a Ctrl-C while a worker starts up (imports
        # and loading take a while) must not give it a KeyboardInterrupt traceback.
        with _ignoring_sigint():
            try:
                for _ in range(count):
                    mine, theirs = context.Pipe()
                    process = context.Process(target=_work, args=(theirs, load_args, None if path is None else str(path)),
                                              daemon=True)
                    self.processes[mine] = process
                    process.start()
                    theirs.close()
            except BaseException as exc:
                self.__exit__(type(exc), exc, None)  # end the workers already started
                raise

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        started = {conn: process for conn, process in self.processes.items() if process.pid is not None}
        for conn, process in started.items():
            if exc[0] is None:
                with contextlib.suppress(OSError):
                    conn.send(("stop",))
            else:
                process.terminate()
        for process in started.values():
            process.join(STOP_WAIT)
            if process.is_alive():
                process.kill()
                process.join()
        for conn in self.processes:
            conn.close()

    def receive(self, timeout: float | None) -> Iterator[tuple[Connection, tuple[Any, ...]]]:
        """The messages waiting from any worker (waiting up to `timeout` seconds for one, None: for
        ever); a worker that died is reported as the error it is."""
        for conn in wait(list(self.processes), timeout):
            assert isinstance(conn, Connection)
            try:
                message = conn.recv()
            except (EOFError, OSError):
                raise self._died(self.processes[conn]) from None
            if message[0] == "error":
                error = StorygenError(message[2])
                error.exit_code = message[1]
                raise error
            yield conn, message

    @staticmethod
    def _died(process: Any) -> BaseException:
        process.join(STOP_WAIT)
        code = process.exitcode
        if code is not None and code < 0 and -code in STOPPING:
            return Interrupted(-code)  # the signal that stopped it was meant for the whole run
        return StorygenError(f"a worker process ended unexpectedly (exit code {code})")


@contextlib.contextmanager
def _ignoring_sigint() -> Iterator[None]:
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread, where no signal handler runs anyway
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def parallel_write(load_args: dict[str, Any], kind: str, seed: int, start: int, count: int, workers: int,
                   out: BinaryIO, progress: Callable[[int], None] | None = None, path: Path | None = None,
                   generator: StoryGenerator | None = None) -> None:
    """Write the body of the output (no header or footer) to `out` in index order, with `workers`
    processes: this one (with `generator`, else one loaded from `load_args`) and workers - 1 that
    each load their own with `StoryGenerator.load(**load_args)`. With `path`, the regular file `out`
    writes to, the chunks are written into it at their offsets, and `out` is left at the end of them;
    otherwise `out` is given the bytes."""
    jobs = [(n, lo, min(CHUNK, start + count - lo)) for n, lo in enumerate(range(start, start + count, CHUNK))]
    if not jobs:
        return
    if not hasattr(os, "pwrite"):
        path = None
    out.flush()
    base = out.tell() if path is not None else None
    own = generator if generator is not None else StoryGenerator.load(**load_args)
    with Workers(load_args, min(workers - 1, len(jobs) - 1), path) as pool:
        run = _Run(pool, own, jobs, (kind, seed, start, count), out, base, progress)
        run.run()
    if base is not None:
        out.seek(base + run.offset)


PARENT = None  # the owner of a chunk this process makes itself


class _Run:
    """This process's side: hand out chunks to workers once they are ready (making one itself
    whenever no worker has news, and so all of them until a worker has started up), give
    each chunk its offset once every chunk before it has a size, count chunks written, and write
    the bytes that come here, in order."""

    def __init__(self, pool: Workers, generator: StoryGenerator, jobs: list[Job], what: tuple[str, int, int, int],
                 out: BinaryIO, base: int | None, progress: Callable[[int], None] | None) -> None:
        self.pool, self.generator, self.what, self.out, self.base, self.progress = pool, generator, what, out, base, progress
        self.jobs = list(reversed(jobs))
        self.total = len(jobs)
        self.limit = in_flight(len(pool.processes))
        self.counts: dict[int, int] = {}  # chunk -> stories, from hand-out to written
        self.owner: dict[int, Connection | None] = {}
        self.sizes: dict[int, int] = {}  # made, not yet placed
        self.mine: dict[int, list[bytes]] = {}  # made here, not yet written
        self.placed = self.finished = self.offset = 0
        self.idle: list[Connection] = []
        self.received: dict[int, bytes] = {}

    def run(self) -> None:
        while self.finished < self.total:
            can_make = bool(self.jobs) and len(self.counts) < self.limit
            news = list(self.pool.receive(0 if can_make or not self.pool.processes else None))
            for conn, message in news:
                self._handle(conn, message)
            if not news and can_make:
                self._make_here()

    def _handle(self, conn: Connection | None, message: tuple[Any, ...]) -> None:
        tag, number, value = message
        if tag == "ready" and conn is not None:
            for _ in range(QUEUED):
                self._give(conn)
        elif tag == "made":
            self.sizes[number] = value
            self._place()
            if conn is not None:
                self._give(conn)
        elif tag == "written":
            self._finish(number)
        elif tag == "bytes":
            self.received[number] = value
            while self.finished in self.received:  # chunks finish in order when this process writes them
                self.out.write(self.received.pop(self.finished))
                self._finish(self.finished)

    def _make_here(self) -> None:
        number, lo, size = self.jobs.pop()
        kind, seed, start, total = self.what
        self.counts[number] = size
        self.owner[number] = PARENT
        self.mine[number] = list(self.generator.parts(kind, seed, lo, size, lo == start, (start, total)))
        self._handle(PARENT, ("made", number, sum(len(part) for part in self.mine[number])))

    def _give(self, conn: Connection) -> None:
        """The next chunk to this worker, unless enough are made and waiting to be written."""
        if not self.jobs or len(self.counts) >= self.limit:
            self.idle.append(conn)
            return
        number, lo, size = self.jobs.pop()
        kind, seed, start, total = self.what
        self.counts[number] = size
        self.owner[number] = conn
        conn.send(("make", number, kind, seed, lo, size, lo == start, (start, total)))

    def _place(self) -> None:
        """Every chunk whose predecessors all have sizes now has an offset: write it, or tell its worker."""
        while self.placed in self.sizes:
            number = self.placed
            where = None if self.base is None else self.base + self.offset
            self.offset += self.sizes.pop(number)
            self.placed += 1
            owner = self.owner.pop(number)
            if owner is not None:
                owner.send(("write", number, where))
            elif where is not None:
                write_at(self.out.fileno(), self.mine.pop(number), where)
                self._finish(number)
            else:
                self._handle(PARENT, ("bytes", number, b"".join(self.mine.pop(number))))

    def _finish(self, number: int) -> None:
        self.finished += 1
        stories = self.counts.pop(number)
        if self.progress is not None:
            self.progress(stories)
        idle, self.idle = self.idle, []
        for conn in idle:
            self._give(conn)
