"""Slot values for a batch of stories, one column per slot, drawn with numpy.

Every option list is turned into a numpy object array once (full names and "Mr./Mrs." mentor
names included), and a batch's column for a slot is that list plus each story's index into it,
from one vectorised draw: renderers then work per option rather than per story. Only titles
that nest other slots are made per story. Columns come out in the order a story's values are
listed (the order `Plan.values` and the JSON `cast` show them in).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..load.culture import TITLE_SLOTS
from ..model.controls import Controls
from ..model.culture import Culture
from ..model.grammar import Grammar
from ..model.plan import Coded, Column, Ints
from ..model.templates import Part, apply_filters
from . import rng

AGE_RANGE = (19, 36)  # ages drawn from [19, 36): the seeds' musicians are young adults
HONORIFICS = {"he": "Mr.", "she": "Mrs.", "they": "Mx."}
MENTOR_PRONOUNS = ("he", "she")  # other characters are drawn as he or she
MAX_FULL_NAMES = 200_000  # list every given name + surname up front unless there are more than this

Draws = dict[str, rng.U64]


def options(items: Sequence[Any]) -> Column:
    """A 1-D object array of the items (np.array would build a 2-D array from tuples)."""
    array = np.empty(len(items), dtype=object)
    array[:] = list(items)
    return array


class SlotValues:
    """Draws every slot's value for a batch of stories."""

    def __init__(self, grammar: Grammar, culture: Culture, controls: Controls) -> None:
        c = culture
        self.controls = controls
        # Other characters with pronouns of their own (the talent scout's "He offered ...").
        self.roles = sorted({t.entity for t in grammar.slots.values() if t.label == "PRONOUN" and t.entity != "hero"})
        # Given names of both genders in one list (male first), and surnames in each gender's form.
        self.male_names = len(c.given_names["male"])
        self.given = options([*c.given_names["male"], *c.given_names["female"]])
        self.surnames = len(c.surnames)
        surname_forms = [pair[gender] for gender in ("male", "female") for pair in c.surnames]
        self.surname_forms = options(surname_forms)
        # Full names: every given name with every surname in its gender's form, when that is few enough.
        self.full_names = options([f"{first} {surname_forms[(i >= self.male_names) * self.surnames + j]}"
                                   for i, first in enumerate(self.given) for j in range(self.surnames)]) \
            if len(self.given) * self.surnames <= MAX_FULL_NAMES else None
        self.ages = options([str(age) for age in range(*AGE_RANGE)])
        self.towns = options(c.towns)
        self.cities = options([c.largest_city, c.capital])
        self.genres = options(c.genres)
        self.instrument_names = options([i.name for i in c.instruments])
        self.instrument_players = options([i.player for i in c.instruments])
        # The seeds call the city abroad "the Russian capital", so only capitals can take its place.
        foreign = tuple(f for f in c.foreign if f.capital) or c.foreign
        self.abroad = {
            "abroad.city": options([f.city for f in foreign]),
            "abroad.country": options([f.country for f in foreign]),
            "abroad.nationality": options([f.nationality for f in foreign]),
            "abroad.landmark1": options([f.landmarks[0] for f in foreign]),
            "abroad.landmark2": options([f.landmarks[1] for f in foreign]),
        }
        self.albums = options(c.albums)
        self.competitions = options(c.competitions)
        self.constants = {
            key: options([value]) for key, value in {
                "capital": c.capital, "largest_city": c.largest_city, "country": c.country, "region": c.region,
                "region_adjective": c.region_adjective, "nationality": c.nationality, "demonym": c.demonym,
            }.items()
        }
        self.fixed = {key: options([value]) for key, value in controls.values.items()}
        # Pronoun forms, in the order of the first set that names them; a set lacking a form gives None.
        # Sets are numbered in the order of the grammar's pronoun weights, as the sampler draws them.
        self.pronoun_keys = list(grammar.pronoun_weights)
        sets = [grammar.pronoun_sets[key] for key in self.pronoun_keys]
        self.forms = list(dict.fromkeys(form for forms in sets for form in forms))
        self.form_words = {form: options([forms.get(form) for forms in sets]) for form in self.forms}
        # Mentors: "Mr. " or "Mrs. " and a surname in the matching form (male forms first).
        self.mentor_names = options([f"{HONORIFICS[p]} {surname_forms[g * self.surnames + j]}"
                                     for g, p in enumerate(MENTOR_PRONOUNS) for j in range(self.surnames)])
        self.mentor_sets = np.array([self.pronoun_keys.index(p) for p in MENTOR_PRONOUNS])
        self.he, self.she = self.mentor_sets

    def columns(self, d: Draws, sets: Ints) -> dict[str, Coded]:
        """Every slot's column for the batch whose draws (one array per decision) are `d` and
        whose heroes' pronoun sets (indices into the grammar's) are `sets`."""
        size = len(sets)
        hero_female = self._female(sets, d["hero.gender"])
        female_names = len(self.given) - self.male_names
        first = np.where(hero_female, self.male_names + rng.below_array(d["hero.first"], female_names),
                         rng.below_array(d["hero.first"], self.male_names))
        surname = rng.below_array(d["hero.surname"], self.surnames)
        full_name = first * self.surnames + surname
        mentor_she = rng.below_array(d["mentor.pronouns"], 2)
        mentor = mentor_she * self.surnames + rng.below_array(d["mentor.surname"], self.surnames)
        abroad = rng.below_array(d["abroad"], len(self.abroad["abroad.city"]))
        instrument = rng.below_array(d["instrument"], len(self.instrument_names))
        no_index = np.zeros(size, dtype=np.int64)
        values: dict[str, Coded] = {
            "hero.name": Coded(self.full_names, full_name) if self.full_names is not None
            else Coded(self.given[first] + " " + self._surnames(hero_female, surname)),
            "hero.first": Coded(self.given, first),
            "hero.age": Coded(self.ages, rng.below_array(d["hero.age"], len(self.ages))),
            **self._pronoun_forms("hero", sets),
            "mentor.name": Coded(self.mentor_names, mentor),
            "home": Coded(self.towns, rng.below_array(d["home"], len(self.towns))),
            "city": Coded(self.cities, rng.below_array(d["city"], 2)),
            **{key: Coded(value, no_index) for key, value in self.constants.items()},
            **{key: Coded(value, abroad) for key, value in self.abroad.items()},
            "instrument.name": Coded(self.instrument_names, instrument),
            "instrument.player": Coded(self.instrument_players, instrument),
            "genre": Coded(self.genres, rng.below_array(d["genre"], len(self.genres))),
        }
        for role in self.roles:
            role_set = self.mentor_sets[mentor_she] if role == "mentor" else \
                self.mentor_sets[rng.below_array(d[f"{role}.pronouns"], 2)]
            values.update(self._pronoun_forms(role, role_set))
        values.update({key: Coded(value, no_index) for key, value in self.fixed.items()})
        plain = {key: column.values() for key, column in values.items() if key in TITLE_SLOTS}
        values["album"] = Coded(_titles(self.albums, d["album"], plain))
        values["competition"] = Coded(_titles(self.competitions, d["competition"], plain))
        return values

    def _female(self, sets: Ints, draws: rng.U64) -> npt.NDArray[np.bool_]:
        """he is male, she is female, any other set is either, by its draw."""
        either = rng.below_array(draws, 2) == 1
        return np.where(sets == self.she, True, np.where(sets == self.he, False, either))

    def _surnames(self, female: npt.NDArray[np.bool_], index: Ints) -> Column:
        return self.surname_forms[female * self.surnames + index]  # type: ignore[no-any-return]

    def _pronoun_forms(self, role: str, sets: Ints) -> dict[str, Coded]:
        return {f"{role}.{form}": Coded(self.form_words[form], sets) for form in self.forms}


def _titles(titles: Column, draws: rng.U64, values: dict[str, Column]) -> Column:
    """Album or competition titles, filling the slots some of them nest ('Tales of {{ home }}')."""
    chosen = rng.below_array(draws, len(titles))
    out = np.empty(len(chosen), dtype=object)
    for title in sorted(set(chosen.tolist())):
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
