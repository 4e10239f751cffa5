"""The text format: each story's paragraphs, stories split by a '* * *' line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import BatchedFormat, Renderers

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.plan import Batch
    from ..model.provenance import Provenance
    from ..model.story import Story
    from ..render.batch import Sections

STORY_BREAK = "\n* * *\n\n"  # what goes between two stories (each story ends in a line break of its own)
_BREAK = STORY_BREAK.encode()


class Text(BatchedFormat):
    """Plain text: paragraphs split by blank lines, stories by STORY_BREAK."""

    name = "text"
    extensions = (".txt",)

    def chunk(self, story: Story, grammar: Grammar, made: Provenance, first: bool) -> str:
        return ("" if first else STORY_BREAK) + story.text + "\n"

    def sections(self, renderers: Renderers, batch: Batch, made: Provenance, first: bool) -> Sections:
        # Imported on first use: the registry (and so every command's --help) loads without the
        # renderer, and numpy comes in where the engine imports it (start-up measured ~10 ms faster).
        from ..render.batch import Sections, objects

        size = len(batch)
        if not size:
            return Sections([], 0)
        renderer = renderers.batch_renderer
        pieces = renderer.pieces(batch)
        breaks = objects([_BREAK] * size)
        if first:
            breaks[0] = b""
        sections = [(breaks, None), (renderer.source(batch, pieces, "utf-8")[pieces.sources], pieces.bounds),
                    (objects([b"\n"] * size), None)]
        return Sections(sections, size)

    def count(self, content: str) -> int:
        return content.count(STORY_BREAK) + 1 if content else 0
