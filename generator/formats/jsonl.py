"""The JSONL format: one JSON record per line."""

from __future__ import annotations

import json

from .base import StoryId, ids_of
from .records import RecordFormat


class JsonLines(RecordFormat):
    """A record per line (the layout is `model.record`'s)."""

    name = "jsonl"
    extensions = (".jsonl",)
    after = "\n"

    def story_ids(self, content: str) -> list[StoryId]:
        return ids_of([json.loads(line) for line in content.splitlines() if line.strip()])
