"""Sentence shapes: what a sentence is once its names, places, titles and pronouns are masked.

A story's sentence is a seed sentence refilled when its shape is the shape of a seed sentence.
The seeds' shapes are read from the seeds' own sentences (each template with its entity slots
masked and the seed's own words elsewhere), the stories' from their text and entity spans
alone, so the figure does not trust the sampler's word for where a sentence came from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..model.constraints import world
from ..model.grammar import Grammar
from ..model.story import Entity, Story
from ..model.templates import Slot

# Words that change with the hero's pronoun set, written one way ("they were" / "she was").
_AGREEMENT = {"were": "was", "are": "is", "have": "has", "do": "does", "man": "person", "woman": "person"}
_AGREES = re.compile(r"\b(?:" + "|".join(_AGREEMENT) + r")\b")
_ARTICLE = re.compile(r"\b([Aa])n? (?=<)")
# A landscape is a value too ("the vast steppes of", "the vast plains of"), though no entity.
_LANDSCAPE = re.compile(r"\b(?:" + "|".join(world().landscapes) + r")\b")


def normalised(masked: str) -> str:
    """A masked sentence with the words that follow the pronoun set, and the article before a
    masked value, written one way, and any landscape masked."""
    masked = _LANDSCAPE.sub("<LANDSCAPE>", masked)
    return _ARTICLE.sub(r"\1 ", _AGREES.sub(lambda m: _AGREEMENT[m.group(0)], masked))


def sentence_shape(text: str, start: int, end: int, entities: Sequence[Entity]) -> str:
    """The shape of text[start:end]: every entity inside it written as its label."""
    pieces, pos = [], start
    for e in entities:
        if start <= e.start and e.end <= end:
            pieces += [text[pos:e.start], f"<{e.label}>"]
            pos = e.end
    return normalised("".join(pieces) + text[pos:end])


def seed_shapes(grammar: Grammar) -> set[str]:
    """The shapes of the seeds' own sentences."""
    shapes = set()
    pronouns = {record.file: record.pronouns for record in grammar.seeds}
    for unit in grammar.units:  # a split's grammar holds only its own units' sentences
        for sentence in unit.sentences:
            forms = grammar.pronoun_sets[pronouns.get(sentence.source.seed, "they")]
            shapes.add(normalised("".join(p if isinstance(p, str) else _masked(p, grammar, forms) for p in sentence.parts)))
    return shapes


def _masked(slot: Slot, grammar: Grammar, forms: dict[str, str]) -> str:
    slot_type = grammar.slots.get(slot.key)
    if slot_type is not None and slot_type.label == "LANDSCAPE":
        return "<LANDSCAPE>"
    if slot_type is not None and slot_type.is_entity:
        return ("a " if slot.article else "") + f"<{slot_type.label}>"
    return forms.get(slot.key.rsplit(".", 1)[-1], "")


class ShapeCount:
    """Counts the shapes of many stories' sentences."""

    def __init__(self, grammar: Grammar) -> None:
        self.seeds = seed_shapes(grammar)
        self.sentences = 0
        self.new = 0
        self.stories = 0
        self.in_stories: Counter[str] = Counter()

    def add(self, story: Story) -> None:
        shapes = [sentence_shape(story.text, s.start, s.end, story.entities) for s in story.sentences]
        self.stories += 1
        self.sentences += len(shapes)
        self.new += sum(shape not in self.seeds for shape in shapes)
        self.in_stories.update(set(shapes))

    @property
    def distinct(self) -> int:
        return len(self.in_stories)

    @property
    def new_share(self) -> float:
        """The share of sentences that are not a seed sentence refilled."""
        return round(self.new / max(self.sentences, 1), 4)

    @property
    def top_share(self) -> float:
        """The share of stories the most used shape is in."""
        top = self.in_stories.most_common(1)
        return round(top[0][1] / max(self.stories, 1), 4) if top else 0.0
