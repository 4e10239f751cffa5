"""Words of a culture's world in the seeds, made slots so that another culture's story says its own:
landscapes ("the vast steppes of ...", "the steppes and mountains of ...") and the language a
nationality names ("the Kazakh language"). The words come from typed facts of English
(data/world.json's landscape nouns, data/knowledge.json's nationalities), never from the seeds;
what stays literal keeps its sentence to the cultures that have it (model/constraints.py)."""

from __future__ import annotations

import re

from ..model.constraints import world
from .knowledge import Knowledge

LANDSCAPE_SLOTS = ("landscape", "landscape2")
Found = tuple[int, int, str, str]  # start, end, slot, value


def _landscape_frame() -> re.Pattern[str]:
    """'the [adjective] NOUN [and NOUN] of': a landscape told as a place."""
    nouns = "|".join(sorted(map(re.escape, world().landscapes), key=len, reverse=True))
    return re.compile(rf"\bthe (?:[a-z]+ )?({nouns}) (?:and ({nouns}) )?of\b")


def landscape_mentions(text: str) -> list[Found]:
    """The landscapes a seed tells, the first it names as `landscape`, a second as `landscape2`."""
    found: list[tuple[int, int, str]] = []
    for match in _landscape_frame().finditer(text):
        found += [(match.start(g), match.end(g), match.group(g)) for g in (1, 2) if match.group(g)]
    order = list(dict.fromkeys(word for _, _, word in found))[: len(LANDSCAPE_SLOTS)]
    return [(start, end, LANDSCAPE_SLOTS[order.index(word)], word) for start, end, word in found if word in order]


def language_mentions(text: str, know: Knowledge) -> list[Found]:
    """'the Kazakh language': a nationality word that names the language itself."""
    adjectives = {a for facts in know.countries.values() for a in facts["nationality"]}
    pattern = re.compile(rf"\bthe ({'|'.join(sorted(map(re.escape, adjectives), key=len, reverse=True))}) language\b")
    return [(m.start(1), m.end(1), "language", m.group(1)) for m in pattern.finditer(text)]


def world_mentions(text: str, know: Knowledge) -> list[Found]:
    """Every landscape and language mention of one seed."""
    return landscape_mentions(text) + language_mentions(text, know)
