"""The CSV format: one row per story, then one column per fact slot."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from ..model.slots import slot_table
from .base import COMMENT, Format, StoryId, comment_line, ids_of, read_comment_line

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.provenance import Provenance
    from ..model.story import Story

COLUMNS = ("id", "seed", "index", "pronouns", "arc", "text")  # before the fact slots' columns


def fact_slots(grammar: Grammar) -> list[str]:
    """Slots that get a CSV column: facts, not the words a pronoun set supplies (pronoun forms and
    agreeing words, whose labels the slot table gives: PRONOUN, AGREEMENT)."""
    not_facts = {spec.label for spec in slot_table().pronoun_forms.values()}
    return sorted(key for key, slot in grammar.slots.items() if slot.label not in not_facts)


def _row(values: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


class Csv(Format):
    """A comment line saying what made the file, a header row, then a row per story: id, seed,
    index, pronouns, arc, text, then the facts."""

    name = "csv"
    extensions = (".csv",)

    def header(self, grammar: Grammar, made: Provenance) -> str:
        return comment_line(made) + _row([*COLUMNS, *fact_slots(grammar)])

    def recorded(self, content: str) -> dict[str, Any] | None:
        return read_comment_line(content)

    def chunk(self, story: Story, grammar: Grammar, made: Provenance, first: bool) -> str:
        row: list[object] = [story.id, story.seed, story.index, story.pronouns, " -> ".join(story.arc), story.text]
        named = set(story.told)  # a column is empty for a slot the story does not tell
        return _row(row + [story.values[key] if key in named else "" for key in fact_slots(grammar)])

    def records(self, content: str) -> list[Any]:
        body = content.partition("\n")[2] if content.startswith(COMMENT) else content
        return list(csv.DictReader(io.StringIO(body)))

    def story_ids(self, content: str) -> list[StoryId]:
        return ids_of(self.records(content))
