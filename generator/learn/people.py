"""People of a seed other than by name: relatives named in it, "her mother, Amélia,", "his grandfather Abelardo", "their uncle,
Pandit Ramesh Mishra,". The kin word after a possessive says who the name belongs to and fixes
their pronoun set, so the name becomes a slot of that relative and every later mention of it
("Gunhild gives them ...") does too. A relative who shares the hero's surname keeps it as the
hero's ("Michael {{ hero.surname }}").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .place_frames import name_at


@dataclass(frozen=True)
class Relative:
    """A relative's name as the seed writes it: the role, and the given and full name to slot."""

    role: str
    given: str
    full: str  # the whole name without the hero's surname; equal to `given` if that is all


def find_relatives(text: str, kin: dict[str, str], hero_names: set[str], hero_surname: str,
                   stopwords: frozenset[str]) -> list[Relative]:
    """Each relative named after a possessive and a kin word, once, in text order."""
    roles = "|".join(sorted(map(re.escape, kin), key=len, reverse=True))
    pattern = re.compile(rf"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur) ({roles}),? (?=[^\W\d_])")
    found: dict[str, Relative] = {}
    for match in pattern.finditer(text):
        named = name_at(text, match.end(), stopwords)
        if named is None:
            continue
        name = named[2]
        if hero_surname and name.endswith(" " + hero_surname):
            name = name[: -len(hero_surname) - 1]
        words = name.split()
        full = " ".join(words)
        if not words or full in hero_names or words[0] in hero_names:
            continue
        role = match.group(1)
        if role not in found and all(r.given != words[0] for r in found.values()):
            found[role] = Relative(role, words[0], full)
    return list(found.values())


def relative_slots(text: str, relatives: list[Relative]) -> list[tuple[int, int, str, str]]:
    """(start, end, slot, value) of every mention of each relative: in full, then by given name."""
    found = []
    for relative in relatives:
        names = [(relative.full, "name")] if relative.full != relative.given else []
        for name, part in (*names, (relative.given, "first")):
            for match in re.finditer(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", text):
                found.append((match.start(), match.end(), f"{relative.role}.{part}", name))
    return found


def hero_nouns(text: str, full: str, pronoun_set: str) -> list[tuple[int, int, str, str]]:
    """'a young woman named X', 'the boy would sit at his feet': a noun for the protagonist
    follows their pronoun set ('hero.noun' for an adult, 'hero.child' for a child). 'named X'
    says whom it is; 'the boy' or 'the young woman' alone is the protagonist when it is their
    gender (another character is named by a role: 'his grandfather')."""
    found = []
    for match in re.finditer(r"\b(woman|man|girl|boy)(?= named " + re.escape(full) + r"\b)", text):
        slot = "hero.noun" if match.group(1) in ("woman", "man") else "hero.child"
        found.append((match.start(), match.end(), slot, match.group(1)))
    own = {"he": ("boy", "man"), "she": ("girl", "woman")}.get(pronoun_set, ())
    for match in re.finditer(r"\b(?:[Tt]he|[Aa]) (young )?(boy|girl|man|woman)\b(?! named)", text):
        noun = match.group(2)
        if noun in own and (noun in ("boy", "girl") or match.group(1)):  # 'the man' alone may be anyone
            found.append((match.start(2), match.end(2), "hero.child" if noun in ("boy", "girl") else "hero.noun", noun))
    return found
