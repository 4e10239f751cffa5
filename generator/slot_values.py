"""Slot values for a batch of stories, one column per slot, drawn with numpy.

Every option list is turned into a numpy object array once; a batch then picks from it with one
fancy index per slot. Columns come out in the order a story's values are listed (the order
`Plan.values` and the JSON `cast` show them in).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

import numpy as np
import numpy.typing as npt

from . import rng
from .controls import Controls
from .culture import Culture
from .grammar import Grammar
from .templates import Part, apply_filters

AGE_RANGE = (19, 36)  # ages drawn from [19, 36): the seeds' musicians are young adults
HONORIFICS = {"he": "Mr.", "she": "Mrs.", "they": "Mx."}
MENTOR_PRONOUNS = ("he", "she")  # other characters are drawn as he or she

Column = npt.NDArray[np.object_]  # one Python str per story
Draws = dict[str, rng.U64]


def options(items: Sequence[Any]) -> Column:
    """A 1-D object array of the items (np.array would build a 2-D array from tuples)."""
    array = np.empty(len(items), dtype=object)
    array[:] = list(items)
    return array


def pick(choices: Column, draws: rng.U64) -> Column:
    """Each story's option, by its draw."""
    return choices[rng.below_array(draws, len(choices))]


class SlotValues:
    """Draws every slot's value for a batch of stories."""

    def __init__(self, grammar: Grammar, culture: Culture, controls: Controls) -> None:
        c = culture
        self.controls = controls
        # Other characters with pronouns of their own (the talent scout's "He offered ...").
        self.roles = sorted({t.entity for t in grammar.slots.values() if t.label == "PRONOUN" and t.entity != "hero"})
        self.given = {gender: options(c.given_names[gender]) for gender in ("male", "female")}
        self.surnames = {gender: options([pair[gender] for pair in c.surnames]) for gender in ("male", "female")}
        self.ages = options([str(age) for age in range(*AGE_RANGE)])
        self.towns = options(c.towns)
        self.cities = options([c.largest_city, c.capital])
        self.genres = options(c.genres)
        self.instruments = options(c.instruments)
        # The seeds call the city abroad "the Russian capital", so only capitals can take its place.
        self.foreign = options(tuple(f for f in c.foreign if f.capital) or c.foreign)
        self.albums = options(c.albums)
        self.competitions = options(c.competitions)
        self.constants = {
            "capital": c.capital, "largest_city": c.largest_city, "country": c.country, "region": c.region,
            "region_adjective": c.region_adjective, "nationality": c.nationality, "demonym": c.demonym,
        }
        # Pronoun forms, in the order of the first set that names them; a set lacking a form gives None.
        self.pronoun_keys = list(grammar.pronoun_sets)
        self.forms = list(dict.fromkeys(form for forms in grammar.pronoun_sets.values() for form in forms))
        self.form_words = {form: options([forms.get(form) for forms in grammar.pronoun_sets.values()])
                           for form in self.forms}
        self.honorifics = options([HONORIFICS[p] + " " for p in MENTOR_PRONOUNS])
        self.mentor_sets = np.array([self.pronoun_keys.index(p) for p in MENTOR_PRONOUNS])

    def columns(self, d: Draws, pronouns: list[str]) -> dict[str, list[Optional[str]]]:
        """Every slot's column for the batch whose draws (one array per decision) are `d`."""
        size = len(pronouns)
        sets = np.array([self.pronoun_keys.index(p) for p in pronouns]) if len(set(pronouns)) > 1 \
            else np.full(size, self.pronoun_keys.index(pronouns[0]))
        hero_female = self._female(pronouns, d["hero.gender"])
        first = np.where(hero_female, pick(self.given["female"], d["hero.first"]), pick(self.given["male"], d["hero.first"]))
        surname = self._surname(hero_female, d["hero.surname"])
        mentor_she = rng.below_array(d["mentor.pronouns"], 2) == 1
        instrument = pick(self.instruments, d["instrument"])
        abroad = pick(self.foreign, d["abroad"])
        constant = lambda value: np.full(size, value, dtype=object)  # noqa: E731
        values: dict[str, Column] = {
            "hero.name": first + " " + surname,
            "hero.first": first,
            "hero.age": pick(self.ages, d["hero.age"]),
            **self._pronoun_forms("hero", sets),
            "mentor.name": self.honorifics[mentor_she.astype(np.intp)] + self._surname(mentor_she, d["mentor.surname"]),
            "home": pick(self.towns, d["home"]),
            "city": pick(self.cities, d["city"]),
            **{key: constant(value) for key, value in self.constants.items()},
            "abroad.city": _attribute(abroad, "city"),
            "abroad.country": _attribute(abroad, "country"),
            "abroad.nationality": _attribute(abroad, "nationality"),
            "abroad.landmark1": options([f.landmarks[0] for f in abroad]),
            "abroad.landmark2": options([f.landmarks[1] for f in abroad]),
            "instrument.name": _attribute(instrument, "name"),
            "instrument.player": _attribute(instrument, "player"),
            "genre": pick(self.genres, d["genre"]),
        }
        for role in self.roles:
            role_she = mentor_she if role == "mentor" else rng.below_array(d[f"{role}.pronouns"], 2) == 1
            values.update(self._pronoun_forms(role, self.mentor_sets[role_she.astype(np.intp)]))
        values.update({key: constant(value) for key, value in self.controls.values.items()})
        values["album"] = _titles(self.albums, d["album"], values)
        values["competition"] = _titles(self.competitions, d["competition"], values)
        return {key: column.tolist() for key, column in values.items()}

    def _female(self, pronouns: list[str], draws: rng.U64) -> npt.NDArray[np.bool_]:
        """he is male, she is female, any other set is either, by its draw."""
        spelled = np.array(pronouns, dtype=object)
        either = rng.below_array(draws, 2) == 1
        return np.where(spelled == "she", True, np.where(spelled == "he", False, either))  # type: ignore[no-any-return]

    def _surname(self, female: npt.NDArray[np.bool_], draws: rng.U64) -> Column:
        index = rng.below_array(draws, len(self.surnames["male"]))
        return np.where(female, self.surnames["female"][index], self.surnames["male"][index])  # type: ignore[no-any-return]

    def _pronoun_forms(self, role: str, sets: npt.NDArray[np.intp]) -> dict[str, Column]:
        return {f"{role}.{form}": self.form_words[form][sets] for form in self.forms}


def _attribute(items: Column, name: str) -> Column:
    return options([getattr(item, name) for item in items])


def _titles(titles: Column, draws: rng.U64, values: dict[str, Column]) -> Column:
    """Album or competition titles, filling the slots some of them nest ('Tales of {{ home }}')."""
    chosen = rng.below_array(draws, len(titles))
    out = np.empty(len(chosen), dtype=object)
    for title in np.unique(chosen).tolist():
        rows = np.flatnonzero(chosen == title)
        parts: tuple[Part, ...] = titles[title]
        text = np.full(len(rows), "", dtype=object)
        for part in parts:
            if isinstance(part, str):
                text = text + part
            else:
                nested = values[part.key][rows]
                text = text + (options([apply_filters(v, part.filters) for v in nested]) if part.filters else nested)
        out[rows] = text
    return out
