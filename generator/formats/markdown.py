"""The Markdown format: '## Story 7-0', then the story."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .base import Format, StoryId

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.story import Story

_HEADING = re.compile(r"^## Story (\d+)-(\d+)$", flags=re.MULTILINE)


class Markdown(Format):
    """A second-level heading with each story's id, then its paragraphs."""

    name = "markdown"
    extensions = (".md",)

    def chunk(self, story: Story, grammar: Grammar, culture: str, first: bool) -> str:
        return ("" if first else "\n") + f"## Story {story.id}\n\n{story.text}\n"

    def story_ids(self, content: str) -> list[StoryId]:
        return [(int(seed), int(index)) for seed, index in _HEADING.findall(content)]
