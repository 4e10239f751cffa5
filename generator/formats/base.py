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
    from ..model.provenance import Provenance
    from ..model.story import Story
    from ..render.batch import BatchRenderer, Sections
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

    def header(self, grammar: Grammar, made: Provenance) -> str:
        """What opens the output, before any story; `made`: what made the run."""
        return ""

    def chunk(self, story: Story, grammar: Grammar, made: Provenance, first: bool) -> str:
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

    def records(self, content: str) -> list[Any] | None:
        """A file's stories as objects of named fields (JSON records, CSV rows), if the format
        has fields; `storygen verify` names the first field that differs."""
        return None

    def recorded(self, content: str) -> dict[str, Any] | None:
        """What made a file of this format, as a record's `meta` holds it, if the format records
        it (None: it does not, and `storygen verify` needs to be told)."""
        return None


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

    def sections(self, renderers: Renderers, batch: Batch, made: Provenance, first: bool) -> Sections:
        """The batch's stories in this format, as the pieces each reads; `first`: its first story
        opens the output."""
        raise NotImplementedError

    def batch(self, renderers: Renderers, batch: Batch, made: Provenance, first: bool) -> list[bytes]:
        """The batch's stories in this format, story by story."""
        return self.sections(renderers, batch, made, first).stories()

    def batch_bytes(self, renderers: Renderers, batch: Batch, made: Provenance, first: bool) -> bytes:
        """The batch's stories in this format, one after another (what a writer writes)."""
        return self.sections(renderers, batch, made, first).joined()


class WholeFormat(Format):
    """A format written whole, as bytes, once every story is made: it has no chunks to join, so it
    is made in one process (a spaCy DocBin is one compressed msgpack of all its documents)."""

    chunked = False

    def chunk(self, story: Story, grammar: Grammar, made: Provenance, first: bool) -> str:
        raise UsageError(f"the {self.name} format is binary and written whole: use write(), not chunk()")

    def document(self, stories: Iterable[Story], grammar: Grammar, made: Provenance) -> bytes:
        """The whole output for these stories; `made`: what made the run."""
        raise NotImplementedError

    def documents(self, data: bytes) -> list[dict[str, Any]]:
        """A file of this format, story by story, as objects of named fields (each with `seed`,
        `index` and, if the format records it, `meta`): what `storygen verify` compares."""
        raise UsageError(f"cannot read a {self.name} file")


def ids_of(records: list[Any]) -> list[StoryId]:
    """(seed, index) of records that carry them as fields (JSON records, CSV rows)."""
    return [(int(r["seed"]), int(r["index"])) for r in records]


COMMENT = "# storygen "  # opens the line of a CSV or CoNLL file that records what made it


def comment_line(made: Provenance) -> str:
    """'# storygen {...meta...}' and a line break: what made the run, on one line."""
    import json

    from .records import meta

    return COMMENT + json.dumps(meta(made), ensure_ascii=False) + "\n"


def read_comment_line(content: str) -> dict[str, Any] | None:
    """The meta of a file that opens with `comment_line` (None if it does not)."""
    import json

    if not content.startswith(COMMENT):
        return None
    end = content.find("\n")
    found = json.loads(content[len(COMMENT):end if end >= 0 else len(content)])
    return found if isinstance(found, dict) else None
