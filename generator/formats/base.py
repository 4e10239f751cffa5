"""What an output format is: a name, file extensions, and how it frames stories.

Every format is a header, one chunk per story and a footer, so chunks made anywhere (a batch at a
time, or in worker processes) join in order to the bytes of a single run. The engine and
`storygen verify` only ever call these methods; nothing compares format names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ..errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model.culture import Culture
    from ..model.grammar import Grammar
    from ..model.plan import Batch
    from ..model.story import Story
    from ..render.batch import BatchRenderer
    from ..render.records import RecordRenderer

StoryId = tuple[int, int]  # (seed, index)


class Format:
    """An output format. A subclass names itself, lists its extensions and writes `chunk`; the
    header and footer are empty unless it says otherwise."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]  # '.txt': `-o out.txt` picks this format
    chunked: ClassVar[bool] = True  # chunks made apart (in worker processes) join into the output

    def ready(self) -> None:
        """Raise a StorygenError if this format cannot be written here (an optional dependency missing)."""

    def header(self, grammar: Grammar) -> str:
        """What opens the output, before any story."""
        return ""

    def chunk(self, story: Story, grammar: Grammar, culture: str, first: bool) -> str:
        """One story as this format writes it; `first`: the story opens the output."""
        raise NotImplementedError

    def footer(self, wrote: bool) -> str:
        """What closes the output; `wrote`: it holds at least one story."""
        return ""

    def story_ids(self, content: str) -> list[StoryId] | None:
        """The (seed, index) of every story in a file of this format, or None if the format does
        not record them (then `count` says how many stories there are)."""
        return None

    def count(self, content: str) -> int:
        """How many stories a file of this format holds (for formats without `story_ids`)."""
        raise UsageError(f"cannot tell how many stories a {self.name} file holds")


class Renderers(Protocol):
    """What a batched writer draws on: the generator's batched renderers (built once per
    generator), its grammar and culture pack."""

    @property
    def grammar(self) -> Grammar: ...

    @property
    def culture(self) -> Culture: ...

    @property
    def batch_renderer(self) -> BatchRenderer: ...

    @property
    def record_renderer(self) -> RecordRenderer: ...


class BatchedFormat(Format):
    """A format made a batch at a time, as UTF-8 bytes, from the batched renderers. Its `batch`
    gives exactly the bytes of `chunk` for each story of the batch (the tests hold it to that)."""

    def batch(self, renderers: Renderers, batch: Batch, first: bool) -> list[bytes]:
        """The batch's stories in this format, story by story; `first`: its first story opens the output."""
        raise NotImplementedError


class WholeFormat(Format):
    """A format written whole, as bytes, once every story is made: it has no chunks to join, so it
    is made in one process (a spaCy DocBin is one compressed msgpack of all its documents)."""

    chunked = False

    def chunk(self, story: Story, grammar: Grammar, culture: str, first: bool) -> str:
        raise UsageError(f"the {self.name} format is binary and written whole: use write(), not chunk()")

    def document(self, stories: Iterable[Story], grammar: Grammar, culture: str) -> bytes:
        """The whole output for these stories."""
        raise NotImplementedError


def ids_of(records: list[Any]) -> list[StoryId]:
    """(seed, index) of records that carry them as fields (JSON records, CSV rows)."""
    return [(int(r["seed"]), int(r["index"])) for r in records]
