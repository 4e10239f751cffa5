"""The JSON format: one array of records, a record per line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .base import StoryId, ids_of
from .records import RecordFormat

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.provenance import Provenance


class Json(RecordFormat):
    """'[', the records split by ',' and a line break, then ']' (an empty array when there are none)."""

    name = "json"
    extensions = (".json",)
    opening = "\n"
    before = ",\n"

    def header(self, grammar: Grammar, made: Provenance) -> str:
        return "["

    def footer(self, wrote: bool) -> str:
        return "\n]\n" if wrote else "]\n"

    def records(self, content: str) -> list[Any]:
        try:
            records = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a JSON array of records ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
        if not isinstance(records, list):
            raise ValueError("not a JSON array of records")
        return records

    def story_ids(self, content: str) -> list[StoryId]:
        return ids_of(self.records(content))
