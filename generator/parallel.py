"""--workers: generate chunks of stories in worker processes and write them in order.

Each story depends only on (seed, index), so a chunk made anywhere gives the same bytes; the
parent only has to write chunks in index order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from typing import Any, Optional

from .engine import StoryGenerator
from .sample import BATCH_SIZE

CHUNK = 2 * BATCH_SIZE  # stories per task: large enough that passing text back is cheap next to making it

_generator: Optional[StoryGenerator] = None


def _init(load_args: dict[str, Any]) -> None:
    global _generator
    _generator = StoryGenerator.load(**load_args)


def _task(job: tuple[str, int, int, int, bool]) -> str:
    assert _generator is not None
    return _generator.chunk(*job)


def parallel_chunks(load_args: dict[str, Any], kind: str, seed: int, start: int, count: int,
                    workers: int) -> Iterator[tuple[int, str]]:
    """The body of the output (no header or footer) as (stories, text) chunks in index order;
    each worker loads its own generator with `StoryGenerator.load(**load_args)`."""
    jobs = [(kind, seed, lo, min(CHUNK, start + count - lo), lo == start) for lo in range(start, start + count, CHUNK)]
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_init, initargs=(load_args,)) as pool:
        for job, text in zip(jobs, pool.imap(_task, jobs)):
            yield job[3], text
