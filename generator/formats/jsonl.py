"""The JSONL format: one JSON record per line."""

from __future__ import annotations

import json
from typing import Any

from .base import StoryId, ids_of
from .records import RecordFormat


class JsonLines(RecordFormat):
    """A record per line (the layout is `model.record`'s)."""

    name = "jsonl"
    extensions = (".jsonl",)
    after = "\n"

    def records(self, content: str) -> list[Any]:
        records = []
        for number, line in enumerate(content.split("\n"), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {number} is not a JSON record ({exc.msg})") from None
        return records

    def story_ids(self, content: str) -> list[StoryId]:
        return ids_of(self.records(content))
