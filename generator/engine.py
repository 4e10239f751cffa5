"""Join the stages: a grammar and a culture pack in, stories out (like Jinja's Environment)."""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from functools import cached_property
from numbers import Integral
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from .errors import ArgumentError, UsageError
from .formats import registry
from .formats.base import BatchedFormat, Format, WholeFormat
from .load import grammar as grammar_io
from .load.culture import apply_profile, load_culture
from .model.controls import Controls
from .model.culture import Culture
from .model.grammar import Grammar
from .model.plan import Plan
from .model.provenance import Provenance
from .model.story import Story
from .paths import default_grammar
from .render.batch import BatchRenderer
from .render.program import Program
from .render.reference import render_story
from .sample.controls import check_controls, split_grammar
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
    if not isinstance(seed, Integral) or not 0 <= seed < SEED_LIMIT:
        raise ArgumentError(f"{{}} must be between 0 and {SEED_LIMIT - 1}, got {seed!r}", "seed", "--seed")
    return seed


def check_indices(start: int, count: int, first: str = "start") -> None:
    """Story indices must be whole numbers from 0 and stay below 2**63, like seeds; `first`
    names the first index's argument ('start', or 'index' for one story)."""
    for value, name in ((start, first), (count, "count")):
        if not isinstance(value, Integral) or value < 0:
            raise ArgumentError(f"{{}} must be a whole number, at least 0, got {value!r}", name, f"--{name}")
    if start + count > SEED_LIMIT:
        raise ArgumentError(f"{{}} must not exceed {SEED_LIMIT}, got {start + count}", f"{first} + count", f"--{first} + --count")


class StoryGenerator:
    """Generates stories from one grammar and one culture pack; story (seed, index) never varies."""

    def __init__(self, grammar: Grammar, culture: Culture, controls: Controls | None = None, *,
                 profile: str = "default", split: str | None = None) -> None:
        """`profile` and `split` name what `culture` and `grammar` already had applied (see
        `load`); fixtures record them."""
        self.grammar = grammar
        self.culture = culture
        self.controls = controls or Controls()
        self.profile = profile
        self.split = split
        check_controls(self.controls, grammar)  # refused here, not at the first story
        if self.controls.min_sentences or self.controls.max_sentences is not None:
            _ = self.sampler  # bounds the grammar cannot keep are refused up front, before any output

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
        return cls(grammar, apply_profile(pack, profile), controls, profile=profile, split=split)

    def provenance(self, seed: int = 0, start: int = 0, count: int = 0) -> Provenance:
        """What made a run of stories start .. start+count-1 of `seed`: what a fixture records."""
        g, c = self.grammar, self.culture
        return Provenance(g.name, g.sha256, c.name, c.sha256, self.profile, self.split, self.controls, seed, start, count)

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
        check_indices(start, count)
        return self.sampler.plans(seed, start, count)

    def stories(self, seed: int, start: int = 0, count: int = 1) -> Iterator[Story]:
        """Stories with full annotations."""
        for plan in self.plans(seed, start, count):
            yield render_story(plan, self.program)

    def texts(self, seed: int, start: int = 0, count: int = 1) -> Iterator[str]:
        """Story texts only (the fast path)."""
        check_seed(seed)
        check_indices(start, count)
        for batch in self.sampler.batches(seed, start, count):
            yield from self.batch_renderer.texts(batch)

    def chunk(self, kind: str | Format, seed: int, start: int, count: int, first: bool = True,
              run: tuple[int, int] | None = None) -> str:
        """Stories start .. start+count-1 in output format `kind` (a Format or its name), without
        the format's header or footer: exactly the text one run writes for them. `first`: story
        `start` opens the output; `run`: the (start, count) of the whole run they are part of, if
        not just these stories (formats that record the run say so)."""
        fmt = registry.get(kind)
        if isinstance(fmt, BatchedFormat):
            return self.chunk_bytes(fmt, seed, start, count, first, run).decode("utf-8")
        check_seed(seed)
        made = self.provenance(seed, *(run or (start, count)))
        return "".join(fmt.chunk(story, self.grammar, made, first and story.index == start)
                       for story in self.stories(seed, start, count))

    def chunk_bytes(self, kind: str | Format, seed: int, start: int, count: int, first: bool = True,
                    run: tuple[int, int] | None = None) -> bytes:
        """`chunk`, encoded as UTF-8 (batched formats are made as bytes in the first place)."""
        return b"".join(self.parts(kind, seed, start, count, first, run))

    def parts(self, kind: str | Format, seed: int, start: int, count: int, first: bool = True,
              run: tuple[int, int] | None = None) -> Iterator[bytes]:
        """`chunk_bytes` in pieces (a batch of stories at a time), for writing without joining them."""
        fmt = registry.get(kind)
        if not isinstance(fmt, BatchedFormat):
            yield self.chunk(fmt, seed, start, count, first, run).encode("utf-8")
            return
        check_seed(seed)
        made = self.provenance(seed, *(run or (start, count)))
        for batch in self.sampler.batches(seed, start, count):
            yield fmt.batch_bytes(self, batch, made, first and batch.start == start)

    def header(self, kind: str | Format, seed: int, start: int, count: int) -> str:
        """What opens the output of a run of stories start .. start+count-1 in format `kind`."""
        return registry.get(kind).header(self.grammar, self.provenance(seed, start, count))

    def story_chunks(self, kind: str | Format, seed: int, start: int, count: int,
                     run: tuple[int, int] | None = None) -> Iterator[str]:
        """What `chunk` writes, story by story."""
        fmt = registry.get(kind)
        made = self.provenance(seed, *(run or (start, count)))
        if isinstance(fmt, BatchedFormat):
            for batch in self.sampler.batches(seed, start, count):
                yield from (b.decode("utf-8") for b in fmt.batch(self, batch, made, batch.start == start))
            return
        for story in self.stories(seed, start, count):
            yield fmt.chunk(story, self.grammar, made, story.index == start)

    def write(self, out: IO[Any], kind: str | Format, seed: int, start: int = 0, count: int = 1,
              progress: Callable[[int], None] | None = None) -> None:
        """Write stories start .. start+count-1 to `out` (a text or binary file) in output format
        `kind` (a Format or its name), a batch at a time, so memory stays flat however many there
        are; `progress(n)` hears of every n stories written. A UTF-8 text file gets its bytes
        directly (so newlines are always \\n)."""
        fmt = registry.get(kind)
        check_seed(seed)
        check_indices(start, count)
        fmt.ready()
        sink = byte_sink(out)
        if isinstance(fmt, WholeFormat):
            self._write_whole(fmt, sink, seed, start, count, progress)
            return
        put: Callable[[str], Any] = out.write if sink is None else (lambda text: sink.write(text.encode("utf-8")))
        put(self.header(fmt, seed, start, count))
        for lo in range(start, start + count, WRITE_CHUNK):
            size = min(WRITE_CHUNK, start + count - lo)
            if sink is None:
                out.write(self.chunk(fmt, seed, lo, size, lo == start, (start, count)))
            else:
                sink.writelines(self.parts(fmt, seed, lo, size, lo == start, (start, count)))
            if progress is not None:
                progress(size)
        put(fmt.footer(count > 0))
        if sink is not None:
            sink.flush()

    def _write_whole(self, fmt: WholeFormat, sink: BinaryIO | None, seed: int, start: int, count: int,
                     progress: Callable[[int], None] | None) -> None:
        if sink is None:
            raise UsageError(f"the {fmt.name} format is binary: write it to a binary file")
        sink.write(fmt.document(self._told(seed, start, count, progress), self.grammar, self.provenance(seed, start, count)))
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
        check_indices(index, 1, "index")
        return next(self.stories(seed, index, 1))
