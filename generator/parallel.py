"""--workers: generate chunks of stories in worker processes and write them in order.

Each story depends only on (seed, index), so a chunk made anywhere gives the same bytes; the
parent only has to write chunks in index order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from typing import Any, Optional

from .engine import StoryGenerator
from .write import FORMATS, STORY_BREAK

CHUNK = 2000  # stories per task: large enough that pickling text is cheap next to making it

_generator: Optional[StoryGenerator] = None


def _init(load_args: dict[str, Any]) -> None:
    global _generator
    _generator = StoryGenerator.load(**load_args)


def render_chunk(generator: StoryGenerator, kind: str, seed: int, start: int, count: int, first: bool) -> str:
    """Stories start .. start+count-1 in one format, as the bytes a single process would write."""
    if kind == "text":
        texts = generator.texts(seed, start, count)
        return "".join(("" if first and i == 0 else STORY_BREAK) + t + "\n" for i, t in enumerate(texts))
    fmt = FORMATS[kind]
    stories = generator.stories(seed, start, count)
    return "".join(fmt.chunk(s, generator.grammar, generator.culture.name, first and i == 0) for i, s in enumerate(stories))


def _task(job: tuple[str, int, int, int, bool]) -> str:
    assert _generator is not None
    return render_chunk(_generator, *job)


def parallel_chunks(load_args: dict[str, Any], kind: str, seed: int, start: int, count: int,
                    workers: int) -> Iterator[str]:
    """The body of the output (no header or footer), chunk by chunk, in index order; each worker
    loads its own generator with `StoryGenerator.load(**load_args)`."""
    jobs = [(kind, seed, lo, min(CHUNK, start + count - lo), lo == start) for lo in range(start, start + count, CHUNK)]
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_init, initargs=(load_args,)) as pool:
        yield from pool.imap(_task, jobs)
