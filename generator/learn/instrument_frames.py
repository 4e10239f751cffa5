"""Instruments a seed names that no table lists, found by the frames English names them in.

A seed may be about an instrument the slot table does not know (a kora, a shamisen, a tres).
English names an instrument in a few frames: the noun before "player" ("a kora player", "young
kora players") and the object of "play" ("played the shamisen"). A word in the first frame is an
instrument if it is a common noun or a word English lacks; in the second, only if English lacks
it ("play the melody", "play the solo" name no instrument).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import narrative
from .inflection import lemmas

_PLAYER = re.compile(r"(?<![^\W\d_])([a-z][a-z-]+) players?\b")
_PLAYED = re.compile(r"\bplay(?:s|ed|ing)? the ([a-z][a-z-]+)\b")


def _noun_or_unknown(word: str) -> bool:
    found = lemmas(word)
    return word not in narrative._STOPWORDS and (not found or set(found) <= {"NOUN", "PROPN"})


def framed_instruments(text: str) -> dict[str, str]:
    """Instruments the text names in an instrument's frames: name -> its player noun."""
    named = {m.group(1) for m in _PLAYER.finditer(text) if _noun_or_unknown(m.group(1))}
    named |= {m.group(1) for m in _PLAYED.finditer(text) if not lemmas(m.group(1))}
    return {name: f"{name} player" for name in sorted(named)}


def hero_instrument(text: str, table: dict[str, str], count: Callable[[str], int]) -> tuple[str, str] | None:
    """The protagonist's instrument and its player noun: of the table's and those the text names
    in an instrument's frames, the one it names most (by `count`), or None if it names none."""
    known = {**framed_instruments(text), **table}
    counts = {name: count(name) + count(player) for name, player in known.items()}
    name = max(counts, key=lambda n: (counts[n], n)) if counts else ""
    return (name, known[name]) if counts and counts[name] else None
