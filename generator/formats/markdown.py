"""The Markdown format: front matter saying what made the file, then '## Story 7-0' and each story."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from .base import Format, StoryId

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.provenance import Provenance
    from ..model.story import Story

_HEADING = re.compile(r"^## Story (\d+)-(\d+)$", flags=re.MULTILINE)
FRONT = "---\nstorygen: "  # YAML front matter whose one value is the meta as JSON (a YAML flow mapping)
FRONT_END = "\n---\n\n"


class Markdown(Format):
    """Front matter with what made the file, then a second-level heading with each story's id,
    then its paragraphs."""

    name = "markdown"
    extensions = (".md",)

    def header(self, grammar: Grammar, made: Provenance) -> str:
        from .records import meta

        return FRONT + json.dumps(meta(made), ensure_ascii=False) + FRONT_END

    def chunk(self, story: Story, grammar: Grammar, made: Provenance, first: bool) -> str:
        return ("" if first else "\n") + f"## Story {story.id}\n\n{story.text}\n"

    def recorded(self, content: str) -> dict[str, Any] | None:
        if not content.startswith(FRONT):
            return None
        end = content.find("\n", len(FRONT))
        found = json.loads(content[len(FRONT):end if end >= 0 else len(content)])
        return found if isinstance(found, dict) else None

    def story_ids(self, content: str) -> list[StoryId]:
        return [(int(seed), int(index)) for seed, index in _HEADING.findall(content)]
