"""Slots against what fills them: every slot a template uses gets a value in every story, and
every culture-pack field the sampler draws from holds something.

What fills a slot is the slot table's word (model/slots.py): a slot with a `Source` is drawn
from the culture pack (ages from a range); any other slot must be a pronoun form, which follows
a pronoun set of the grammar: the story's set for the hero, one of the table's
`other_pronouns` for anyone else.
"""

from __future__ import annotations

from ..load.culture import GENDERS
from ..load.grammar import GrammarParts
from ..load.reader import JsonPath, Reader
from ..model.culture import Culture
from ..model.grammar import SlotType
from ..model.slots import HERO, Source, slot_table
from ..model.templates import Slot, slot_keys

# The culture-pack fields a person's name is made of, by the part of it a slot shows.
_PERSON_FIELDS = {"full": ("given_names", "surnames"), "given": ("given_names",), "surname": ("surnames",),
                  "family": ("surnames",), "honorific": ("surnames",)}


def culture_fields(source: Source) -> tuple[str, ...]:
    """The culture-pack fields a slot's values are drawn from (none for an age)."""
    if source.kind == "person":
        return _PERSON_FIELDS[source.part]
    if source.kind == "choice":
        return source.fields
    return (source.field,) if source.field else ()


def used_slots(parts: GrammarParts) -> dict[str, JsonPath]:
    """Every slot a template uses, with the path of the first template that uses it."""
    used: dict[str, JsonPath] = {}
    for path, pieces in parts.templates:
        for key in slot_keys(pieces):
            used.setdefault(key, path)
    return used


def hero_genders(weights: dict[str, int]) -> tuple[str, ...]:
    """The genders a hero can have under the pronoun sets with a positive weight: he is male,
    she is female, any other set either (as the sampler draws them)."""
    found: set[str] = set()
    for key, weight in weights.items():
        if weight > 0:
            found |= {"male"} if key == "he" else {"female"} if key == "she" else set(GENDERS)
    return tuple(sorted(found))


def roles(slots: dict[str, SlotType]) -> list[str]:
    """Characters other than the hero whose pronouns are slots (the talent scout's 'He offered ...')."""
    return sorted({t.entity for t in slots.values() if t.label == "PRONOUN" and t.entity != HERO})


def check_slot_values(r: Reader, parts: GrammarParts) -> None:
    """Every slot a template uses must be one the sampler fills, in every story."""
    if parts.slots is None or parts.pronouns is None:
        return
    sets, weights = parts.pronouns
    table = slot_table()
    others = [key for key in table.other_pronouns if key not in sets]
    characters = roles(parts.slots)
    if others:
        drawn = " and ".join(f"'{key}'" for key in table.other_pronouns)
        who = (f"slots give '{characters[0]}' pronouns, which are drawn" if characters
               else "every story draws its mentor's pronouns")
        r.problem(("pronouns",), f"{who} from the {drawn} sets, but there is no '{others[0]}' set")
        return
    live = [key for key, weight in weights.items() if weight > 0]
    for key, path in used_slots(parts).items():
        spec = table.slots.get(key)
        if key not in parts.slots or (spec is not None and spec.source is not None):
            continue
        owner, _, form = key.partition(".")
        if owner == HERO and form:
            lacking = [s for s in live if form not in sets[s]]
            if lacking:
                r.problem(path, f"slot '{key}' needs the form '{form}' in every pronoun set with a positive weight, "
                                f"but '{lacking[0]}' has none")
        elif owner in characters and form:
            lacking = [s for s in table.other_pronouns if form not in sets[s]]
            if lacking:
                r.problem(path, f"slot '{key}' needs the form '{form}' in pronoun set '{lacking[0]}'")
        else:
            r.problem(path, f"slot '{key}' is declared in $.slots, but storygen has no value for it "
                            f"(it fills the culture's names and places, hero.age, and pronoun forms)")


def check_culture(r: Reader, parts: GrammarParts, culture: Culture) -> None:
    """The culture-pack fields the sampler draws from must not be empty, and titles may nest only
    the slots that are filled before titles are."""
    table = slot_table()
    genders = hero_genders(parts.pronouns[1] if parts.pronouns is not None else {})
    reported: set[str] = set()
    for key, path in used_slots(parts).items():
        spec = table.slots.get(key)
        for name in culture_fields(spec.source) if spec is not None and spec.source is not None else ():
            if name not in reported and _empty(culture, name, genders):
                reported.add(name)
                r.problem(path, f"slot '{key}' is filled from culture '{culture.name}', whose {name} is empty")
    where = f"culture '{culture.name}'"
    drawn = dict.fromkeys(name for spec in table.slots.values() if spec.source is not None
                          for name in culture_fields(spec.source))
    for name in drawn:  # the sampler fills every slot of the table for every story, used or not
        if name not in reported and _empty(culture, name, genders or GENDERS):
            r.elsewhere(where, f"{name} is empty, and the sampler draws from it for every story")
    for spec in table.slots.values():
        if spec.source is None or spec.source.kind != "title":
            continue
        for title in getattr(culture, spec.source.field):
            for part in title:
                if isinstance(part, Slot) and part.key not in table.nestable:
                    r.elsewhere(where, f"a title in {spec.source.field} uses slot '{part.key}', "
                                       "which has no value when titles are filled")


def _empty(culture: Culture, name: str, genders: tuple[str, ...]) -> bool:
    if name == "given_names":
        return any(not culture.given_names.get(gender) for gender in genders)
    return not getattr(culture, name)
