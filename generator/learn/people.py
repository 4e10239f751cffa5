"""People of a seed other than by name: relatives named in it, "her mother, Amélia,", "his grandfather Abelardo", "their uncle,
Pandit Ramesh Mishra,". The kin word after a possessive says who the name belongs to and fixes
their pronoun set, so the name becomes a slot of that relative and every later mention of it
("Gunhild gives them ...") does too. A relative named with the hero's surname takes it in their own
form ("Michael {{ father.family }}": the family's name, drawn with the hero's).
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
    family: str = ""  # the hero's surname, where the seed names the relative with it


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
        name, family = named[2], ""
        if hero_surname and name.endswith(" " + hero_surname):
            name = name[: -len(hero_surname) - 1]
            # One given name takes the family's name in its own form; "Pandit Ramesh Mishra" stays a name of its own.
            family = hero_surname if " " not in name else ""
            name = name if family else named[2]
        words = name.split()
        full = " ".join(words)
        if not words or full in hero_names or words[0] in hero_names:
            continue
        role = match.group(1)
        if role not in found and all(r.given != words[0] for r in found.values()):
            found[role] = Relative(role, words[0], full, family)
    return list(found.values())


def relative_slots(text: str, relatives: list[Relative]) -> list[tuple[int, int, str, str]]:
    """(start, end, slot, value) of every mention of each relative: in full, then by given name;
    the family's surname after the given name is the relative's `family` slot, in their own form."""
    found = []
    for relative in relatives:
        if relative.family:
            for match in re.finditer(rf"(?<![^\W\d_]){re.escape(relative.full)} ({re.escape(relative.family)})(?![^\W\d_])", text):
                found.append((match.start(1), match.end(1), f"{relative.role}.family", relative.family))
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


GENDERED = {"he": "he", "him": "he", "his": "he", "himself": "he", "she": "she", "her": "she", "hers": "she", "herself": "she"}


def kin_pronouns(text: str, sentences: list[tuple[int, int]], kin: dict[str, str], hero_set: str) -> dict[int, str]:
    """Pronouns that are a relative's, not the protagonist's: offset -> the relative's role. A
    pronoun of the other gender than the protagonist's (any gendered one, for 'they') belongs to
    the nearest relative of its gender named before it ("Her grandfather ... and he would ...",
    "He plays her old fiddle now"); their word fixes their pronouns, so it stays theirs."""
    found: dict[int, str] = {}
    kin_word = re.compile(r"\b(" + "|".join(sorted(map(re.escape, kin), key=len, reverse=True)) + r")\b")
    for start, end in sentences:
        subject = _kin_subject(text[start:end], kin)
        for match in re.finditer(r"(?<![^\W\d_])(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)(?![^\W\d_])",
                                 text[start:end]):
            gender = GENDERED[match.group(0).lower()]
            at = start + match.start()
            if subject is not None and gender == kin[subject] and _in_relative_clause(text[start:at]) \
                    and match.group(0).lower() in ("his", "her"):
                found[at] = subject  # "His father, X, was a player who taught all of his sons": the father's
                continue
            if gender == hero_set:
                continue
            relatives = [m.group(1) for m in kin_word.finditer(text, 0, at) if kin[m.group(1)] == gender]
            if relatives:
                found[at] = relatives[-1]
    return found


def _kin_subject(sentence: str, kin: dict[str, str]) -> str | None:
    """The relative a sentence is about, when it opens on one ("His father, Lansiné, was ...")."""
    match = re.match(r"(?:[A-Z][\w'’-]*'s|[Hh]is|[Hh]er|[Tt]heir) (" + "|".join(sorted(map(re.escape, kin), key=len, reverse=True)) + r")\b",
                     sentence)
    return match.group(1) if match else None


def _in_relative_clause(before: str) -> bool:
    """Whether the text up to a word sits in a relative clause ("... who taught all of"), with
    no comma or full stop since its "who"."""
    match = re.search(r"\bwho\b([^,.;]*)$", before)
    return match is not None
