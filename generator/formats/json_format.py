"""The JSON format: one array of records, a record per line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .base import StoryId, ids_of
from .records import RecordFormat

if TYPE_CHECKING:
    from ..model.grammar import Grammar


class Json(RecordFormat):
    """'[', the records split by ',' and a line break, then ']' (an empty array when there are none)."""

    name = "json"
    extensions = (".json",)
    opening = "\n"
    before = ",\n"

    def header(self, grammar: Grammar) -> str:
        return "["

    def footer(self, wrote: bool) -> str:
        return "\n]\n" if wrote else "]\n"

    def story_ids(self, content: str) -> list[StoryId]:
        return ids_of(json.loads(content))
