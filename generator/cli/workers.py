"""--workers: generate chunks of stories in worker processes and write them in order.

Each story depends only on (seed, index), so a chunk made anywhere gives the same bytes; the
parent only has to put the chunks in index order. Workers write their chunks to temporary files
and the parent appends each to the output with sendfile, a copy inside the kernel: passing
hundreds of MB back through pipes costs more than making them.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from ..engine import StoryGenerator
from ..errors import StorygenError
from ..sample.sampler import BATCH_SIZE

CHUNK = 4 * BATCH_SIZE  # stories per task
AHEAD = 2  # tasks in flight per worker: keeps workers busy while bounding the chunks on disk

_generator: StoryGenerator | None = None

Job = tuple[str, int, int, int, bool, str, tuple[int, int]]  # format, seed, start, count, opens the output, chunk file, the run


def _init(load_args: dict[str, Any]) -> None:
    global _generator
    _generator = StoryGenerator.load(**load_args)


def _task(job: Job) -> str:
    assert _generator is not None
    kind, seed, start, count, first, path, run = job
    try:
        with open(path, "wb") as out:
            out.writelines(_generator.parts(kind, seed, start, count, first, run))
    except OSError as exc:
        raise StorygenError(f"{path}: cannot write ({exc.strerror})") from None
    return path


def parallel_write(load_args: dict[str, Any], kind: str, seed: int, start: int, count: int, workers: int,
                   out: BinaryIO, progress: Callable[[int], None] | None = None,
                   scratch: Path | None = None) -> None:
    """Write the body of the output (no header or footer) to `out` in index order; each worker
    loads its own generator with `StoryGenerator.load(**load_args)` and writes chunk files in
    `scratch` (default: the system's temporary directory)."""
    with tempfile.TemporaryDirectory(prefix=".storygen-", dir=scratch) as tmp:
        jobs = iter([(kind, seed, lo, min(CHUNK, start + count - lo), lo == start, str(Path(tmp) / f"{n}.part"), (start, count))
                     for n, lo in enumerate(range(start, start + count, CHUNK))])
        with multiprocessing.get_context("spawn").Pool(workers, initializer=_init, initargs=(load_args,)) as pool:
            pending = deque((job, pool.apply_async(_task, (job,))) for job in islice(jobs, AHEAD * workers))
            while pending:
                job, result = pending.popleft()
                path = result.get()
                append_file(out, path)
                os.unlink(path)
                if progress is not None:
                    progress(job[3])
                following = next(jobs, None)
                if following is not None:
                    pending.append((following, pool.apply_async(_task, (following,))))


def append_file(out: BinaryIO, path: str) -> None:
    """Copy a file's bytes to the end of `out`, inside the kernel where it can."""
    out.flush()
    with open(path, "rb") as chunk:
        size = os.fstat(chunk.fileno()).st_size
        sent = 0
        try:
            target = out.fileno()
            while sent < size:
                done = os.sendfile(target, chunk.fileno(), sent, size - sent)
                if done == 0:
                    break
                sent += done
        except (OSError, ValueError) as exc:  # no file descriptor, or sendfile cannot write there
            if isinstance(exc, OSError) and exc.errno not in (None, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                raise
        if sent < size:
            chunk.seek(sent)
            shutil.copyfileobj(chunk, out, 1 << 20)
