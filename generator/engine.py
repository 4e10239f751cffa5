"""Join the stages: a grammar and a culture pack in, stories out (like Jinja's Environment)."""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from .errors import UsageError
from .formats import registry
from .formats.base import BatchedFormat, Format, WholeFormat
from .load import grammar as grammar_io
from .load.culture import apply_profile, load_culture
from .model.controls import Controls
from .model.culture import Culture
from .model.grammar import Grammar
from .model.plan import Plan
from .model.story import Story
from .paths import default_grammar
from .render.batch import BatchRenderer
from .render.program import Program
from .render.reference import render_story
from .sample.controls import split_grammar
from .sample.rng import SEED_LIMIT
from .sample.sampler import BATCH_SIZE, Sampler

if TYPE_CHECKING:
    from .render.records import RecordRenderer

DEFAULT_CULTURE = "kazakh"
WRITE_CHUNK = BATCH_SIZE  # stories rendered and written at a time


def byte_sink(out: IO[Any]) -> BinaryIO | None:
    """Where UTF-8 bytes can go: `out` itself if it is binary, the buffer under a UTF-8 text
    file (flushed first, so nothing overtakes what was written as text), else None."""
    if isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
        return out  # type: ignore[return-value]
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is None or encoding is None or codecs.lookup(encoding).name != "utf-8":
        return None
    out.flush()
    return buffer  # type: ignore[no-any-return]


def check_seed(seed: int) -> int:
    """Reject seeds outside [0, 2**63)."""
    if not 0 <= seed < SEED_LIMIT:
        raise UsageError(f"--seed must be between 0 and {SEED_LIMIT - 1}, got {seed}")
    return seed


def check_indices(start: int, count: int) -> None:
    """Story indices must stay below 2**63, like seeds."""
    if start + count > SEED_LIMIT:
        raise UsageError(f"--start + --count must not exceed {SEED_LIMIT}, got {start + count}")


class StoryGenerator:
    """Generates stories from one grammar and one culture pack; story (seed, index) never varies."""

    def __init__(self, grammar: Grammar, culture: Culture, controls: Controls | None = None) -> None:
        self.grammar = grammar
        self.culture = culture
        self.controls = controls or Controls()

    @classmethod
    def load(cls, grammar_path: Path | None = None, culture: str | Culture = DEFAULT_CULTURE, *,
             profile: str = "default", split: str | None = None,
             controls: Controls | None = None) -> StoryGenerator:
        """Load a grammar file (default: the packaged musician grammar) and a culture pack (a
        packaged name, a .json path, or a pack already loaded); optionally overlay a profile,
        keep one train/test split of the templates, and fix controls."""
        grammar = grammar_io.load(grammar_path or default_grammar())
        if split is not None:
            grammar = split_grammar(grammar, split)
        pack = load_culture(culture) if isinstance(culture, str) else culture
        return cls(grammar, apply_profile(pack, profile), controls)

    @cached_property
    def sampler(self) -> Sampler:
        return Sampler(self.grammar, self.culture, self.controls)

    @cached_property
    def program(self) -> Program:
        """The grammar compiled for the reference renderer."""
        return Program(self.sampler.told)

    @cached_property
    def batch_renderer(self) -> BatchRenderer:
        return BatchRenderer(self.sampler.told, self.sampler.option_tables())

    @cached_property
    def record_renderer(self) -> RecordRenderer:
        from .render.records import RecordRenderer  # only JSON output needs it

        return RecordRenderer(self.batch_renderer)

    def plans(self, seed: int, start: int = 0, count: int = 1) -> Iterator[Plan]:
        """Story plans for indices start .. start+count-1."""
        check_seed(seed)
        return self.sampler.plans(seed, start, count)

    def stories(self, seed: int, start: int = 0, count: int = 1) -> Iterator[Story]:
        """Stories with full annotations."""
        for plan in self.plans(seed, start, count):
            yield render_story(plan, self.program)

    def texts(self, seed: int, start: int = 0, count: int = 1) -> Iterator[str]:
        """Story texts only (the fast path)."""
        check_seed(seed)
        for batch in self.sampler.batches(seed, start, count):
            yield from self.batch_renderer.texts(batch)

    def chunk(self, kind: str | Format, seed: int, start: int, count: int, first: bool = True) -> str:
        """Stories start .. start+count-1 in output format `kind` (a Format or its name), without
        the format's header or footer: exactly the text one run writes for them. `first`: story
        `start` opens the output."""
        fmt = registry.get(kind)
        if isinstance(fmt, BatchedFormat):
            return self.chunk_bytes(fmt, seed, start, count, first).decode("utf-8")
        check_seed(seed)
        return "".join(fmt.chunk(story, self.grammar, self.culture.name, first and story.index == start)
                       for story in self.stories(seed, start, count))

    def chunk_bytes(self, kind: str | Format, seed: int, start: int, count: int, first: bool = True) -> bytes:
        """`chunk`, encoded as UTF-8 (batched formats are made as bytes in the first place)."""
        return b"".join(self.parts(kind, seed, start, count, first))

    def parts(self, kind: str | Format, seed: int, start: int, count: int, first: bool = True) -> Iterator[bytes]:
        """`chunk_bytes` in pieces (a story or a few at a time), for writing without joining them."""
        fmt = registry.get(kind)
        if not isinstance(fmt, BatchedFormat):
            yield self.chunk(fmt, seed, start, count, first).encode("utf-8")
            return
        check_seed(seed)
        for batch in self.sampler.batches(seed, start, count):
            yield from fmt.batch(self, batch, first and batch.start == start)

    def write(self, out: IO[Any], kind: str | Format, seed: int, start: int = 0, count: int = 1,
              progress: Callable[[int], None] | None = None) -> None:
        """Write stories start .. start+count-1 to `out` (a text or binary file) in output format
        `kind` (a Format or its name), a batch at a time, so memory stays flat however many there
        are; `progress(n)` hears of every n stories written. A UTF-8 text file gets its bytes
        directly (so newlines are always \\n)."""
        fmt = registry.get(kind)
        fmt.ready()
        sink = byte_sink(out)
        if isinstance(fmt, WholeFormat):
            self._write_whole(fmt, sink, seed, start, count, progress)
            return
        put: Callable[[str], Any] = out.write if sink is None else (lambda text: sink.write(text.encode("utf-8")))
        put(fmt.header(self.grammar))
        for lo in range(start, start + count, WRITE_CHUNK):
            size = min(WRITE_CHUNK, start + count - lo)
            if sink is None:
                out.write(self.chunk(fmt, seed, lo, size, first=lo == start))
            else:
                sink.writelines(self.parts(fmt, seed, lo, size, first=lo == start))
            if progress is not None:
                progress(size)
        put(fmt.footer(count > 0))
        if sink is not None:
            sink.flush()

    def _write_whole(self, fmt: WholeFormat, sink: BinaryIO | None, seed: int, start: int, count: int,
                     progress: Callable[[int], None] | None) -> None:
        if sink is None:
            raise UsageError(f"the {fmt.name} format is binary: write it to a binary file")
        sink.write(fmt.document(self._told(seed, start, count, progress), self.grammar, self.culture.name))
        sink.flush()

    def _told(self, seed: int, start: int, count: int, progress: Callable[[int], None] | None) -> Iterator[Story]:
        """Stories, telling `progress` of every batch of them."""
        for lo in range(start, start + count, WRITE_CHUNK):
            size = min(WRITE_CHUNK, start + count - lo)
            yield from self.stories(seed, lo, size)
            if progress is not None:
                progress(size)

    def story(self, seed: int, index: int) -> Story:
        """One story by (seed, index)."""
        return next(self.stories(seed, index, 1))
