"""Slot values for a batch of stories, one column per slot, drawn with numpy.

Every option list is turned into a numpy object array once (full names and "Mr./Mrs." mentor
names included), and a batch's column for a slot is that list plus each story's index into it,
from one vectorised draw: renderers then work per option rather than per story. Only titles
that nest other slots are made per story. Columns come out in the order a story's values are
listed (the order `Plan.values` and the JSON `cast` show them in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..model.controls import Controls
from ..model.culture import Culture
from ..model.grammar import Grammar
from ..model.plan import Coded, Column, Ints
from ..model.slots import HERO, Source, slot_table
from ..model.templates import Slot, apply_filters, fill_parts
from . import rng

MAX_FULL_NAMES = 200_000  # list every given name + surname up front unless there are more than this

Draws = dict[str, rng.U64]


def options(items: Sequence[Any]) -> Column:
    """A 1-D object array of the items (np.array would build a 2-D array from tuples)."""
    array = np.empty(len(items), dtype=object)
    array[:] = list(items)
    return array


class SlotValues:
    """Draws every slot's value for a batch of stories, each as the slot table says."""

    def __init__(self, grammar: Grammar, culture: Culture, controls: Controls) -> None:
        table = slot_table()
        self.table = table
        # The table's slots this grammar's stories are filled with: an optional slot only if it uses it.
        self.slots = {key: spec for key, spec in table.slots.items() if not spec.optional or key in grammar.slots}
        c = culture
        self.culture = culture
        # Other characters with pronouns of their own (the talent scout's "He offered ...").
        self.roles = sorted({t.entity for t in grammar.slots.values() if t.label == "PRONOUN" and t.entity != HERO})
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
        # A name with an honorific: "Mr. " or "Mrs. " and a surname in the matching form (male forms first).
        self.other_pronouns = table.other_pronouns
        self.honorific_names = options([f"{table.honorifics[p]} {surname_forms[g * self.surnames + j]}"
                                        for g, p in enumerate(self.other_pronouns) for j in range(self.surnames)])
        low, high = table.ages
        self.ages = options([str(age) for age in range(low, high)])
        # Option lists of the slots drawn from the culture pack, made once and shared by every batch.
        self.lists = {key: self._options(spec.source) for key, spec in self.slots.items()
                      if spec.source is not None and spec.source.kind in ("list", "choice", "constant", "record")}
        self.titles = {key: options(getattr(c, spec.source.field)) for key, spec in self.slots.items()
                       if spec.source is not None and spec.source.kind == "title"}
        self.fixed = {key: options([value]) for key, value in controls.values.items()}
        # Pronoun forms, in the order of the first set that names them; a set lacking a form gives None.
        # Sets are numbered in the order of the grammar's pronoun weights, as the sampler draws them.
        self.pronoun_keys = list(grammar.pronoun_weights)
        sets = [grammar.pronoun_sets[key] for key in self.pronoun_keys]
        self.forms = list(dict.fromkeys(form for forms in sets for form in forms))
        self.form_words = {form: options([forms.get(form) for forms in sets]) for form in self.forms}
        self.other_sets = np.array([self.pronoun_keys.index(p) for p in self.other_pronouns])
        self.he, self.she = (self.pronoun_keys.index(p) for p in ("he", "she"))
        # The people a story calls by their given names, the hero first, in the slot table's order:
        # no two share one (a grandfather named as his son is two people a reader takes for one).
        given_parts = ("full", "given")
        self.named = list(dict.fromkeys(key.partition(".")[0] for key, spec in self.slots.items()
                                        if spec.source is not None and spec.source.kind == "person" and spec.source.part in given_parts))
        spellings: dict[str, int] = {}
        self.given_id = np.array([spellings.setdefault(name, k) for k, name in enumerate(self.given)], dtype=np.int64)  # one number per spelling

    def _options(self, source: Source) -> Column:
        c = self.culture
        if source.kind == "list":
            return options(getattr(c, source.field))
        if source.kind == "choice":
            return options([getattr(c, name) for name in source.fields])
        if source.kind == "constant":
            return options([getattr(c, source.field)])
        return options([getattr(record, source.key) for record in self.records(source)])

    def records(self, source: Source) -> tuple[Any, ...]:
        """The culture's records a record slot draws from: those with `where` true, if any are."""
        records: tuple[Any, ...] = getattr(self.culture, source.field)
        kept = tuple(r for r in records if getattr(r, source.where)) if source.where else records
        return kept or records

    @property
    def draws(self) -> list[str]:
        """The names of every decision the columns read."""
        names = {s.source.draw for s in self.slots.values() if s.source is not None and s.source.draw}
        for role in {HERO, *self.roles, *(k.partition(".")[0] for k, s in self.slots.items() if s.role)}:
            names |= {f"{role}.first", f"{role}.surname", f"{role}.gender", f"{role}.pronouns"}
        return sorted(names)

    def columns(self, d: Draws, sets: Ints) -> dict[str, Coded]:
        """Every slot's column for the batch whose draws (one array per decision) are `d` and
        whose heroes' pronoun sets (indices into the grammar's) are `sets`."""
        size = len(sets)
        no_index = np.zeros(size, dtype=np.int64)
        role_sets = {HERO: sets, **{role: self._role_sets(role, d) for role in self._roles_drawn()}}
        firsts = self._given_names(d, role_sets)
        indices: dict[tuple[str, int], Ints] = {}  # one index per draw: values drawn together share it

        def index(draw: str, n: int) -> Ints:
            if (draw, n) not in indices:
                indices[draw, n] = rng.below_array(d[draw], n)
            return indices[draw, n]

        values: dict[str, Coded] = {}
        # A role's pronoun forms follow its last slot of the table ('hero.age', then 'hero.they', ...).
        last_of_role = {spec.role: key for key, spec in self.slots.items() if spec.role}
        pending = [HERO, *self.roles]
        for key, spec in self.slots.items():
            source = spec.source
            assert source is not None
            if source.kind == "title":
                continue
            if source.kind == "person":
                values[key] = self._person(key.partition(".")[0], source.part, d, role_sets, firsts)
            elif source.kind == "age":
                values[key] = Coded(self.ages, index(source.draw, len(self.ages)))
            elif key in self.lists and source.unlike:
                values[key] = Coded(self.lists[key], self._unlike(source, d, index))
            elif key in self.lists:
                column = self.lists[key]
                values[key] = Coded(column, no_index if source.kind == "constant" else index(source.draw, len(column)))
            if spec.role in pending and last_of_role[spec.role] == key:
                pending.remove(spec.role)
                values.update(self._pronoun_forms(spec.role, role_sets[spec.role]))
        for role in pending:
            values.update(self._pronoun_forms(role, role_sets[role]))
        values.update({key: Coded(value, no_index) for key, value in self.fixed.items()})
        plain = {key: values[key].values() for key in self.table.nestable if key in values}
        for key, titles in self.titles.items():
            source = self.slots[key].source
            assert source is not None
            values[key] = Coded(_titles(titles, d[source.draw], plain))
        return values

    def _unlike(self, source: Source, d: Draws, index: Callable[[str, int], Ints]) -> Ints:
        """An index into a list that differs from the one `source.unlike` drew (the same list):
        one of the other n - 1 entries, counted on from it."""
        n = len(self.lists[source.unlike])
        other_spec = self.table.slots[source.unlike].source
        assert other_spec is not None
        other = index(other_spec.draw, n)
        return other if n < 2 else (other + 1 + rng.below_array(d[source.draw], n - 1)) % n

    def _roles_drawn(self) -> list[str]:
        persons = [k.partition(".")[0] for k, s in self.slots.items() if s.source is not None and s.source.kind == "person"]
        return sorted({*self.roles, *persons} - {HERO})

    def _role_sets(self, role: str, d: Draws) -> Ints:
        """Another character's pronoun sets: the one a relative's word fixes, else drawn."""
        fixed = self.table.kin.get(role)
        if fixed is not None:
            return np.full(len(d[f"{role}.pronouns"]), self.pronoun_keys.index(fixed), dtype=np.int64)
        return self.other_sets[rng.below_array(d[f"{role}.pronouns"], len(self.other_pronouns))]

    def _person(self, role: str, part: str, d: Draws, role_sets: dict[str, Ints],
                firsts: dict[str, tuple[npt.NDArray[np.bool_], Ints]]) -> Coded:
        """A name of `role`: 'full', 'given' or 'surname' (in the role's gender), 'family' (the
        hero's surname in the role's gender), or 'honorific' ("Mrs. Abenova")."""
        if part == "honorific":
            she = (role_sets[role] == self.she).astype(np.int64)
            return Coded(self.honorific_names, she * self.surnames + self._own_surname(role, d))
        female, first = firsts[role] if role in firsts else self._given(role, d, role_sets)
        if part == "given":
            return Coded(self.given, first)
        surname = rng.below_array(d[f"{HERO}.surname"], self.surnames) if part == "family" else self._own_surname(role, d)
        if part in ("surname", "family"):  # a relative's family name is the hero's, in the relative's form
            return Coded(self.surname_forms, female * self.surnames + surname)
        if self.full_names is not None:
            return Coded(self.full_names, first * self.surnames + surname)
        return Coded(self.given[first] + " " + self._surnames(female, surname))

    def _given_names(self, d: Draws, role_sets: dict[str, Ints]) -> dict[str, tuple[npt.NDArray[np.bool_], Ints]]:
        """Each named person's gender and given name (`_given`), no two alike in a story: a name
        someone before them in `self.named` has gives way to the next name of the same gender,
        as often as it takes."""
        firsts: dict[str, tuple[npt.NDArray[np.bool_], Ints]] = {}
        for role in [HERO, *(r for r in self.named if r != HERO)]:
            female, first = self._given(role, d, role_sets)
            block = np.where(female, self.male_names, 0)
            size = np.maximum(np.where(female, len(self.given) - self.male_names, self.male_names), 1)
            if firsts:  # as many steps on as there are people before: one of them is free
                taken = np.column_stack([self.given_id[other] for _, other in firsts.values()])
                for _ in range(taken.shape[1]):
                    clash = (self.given_id[first][:, None] == taken).any(axis=1)
                    first = np.where(clash, block + (first - block + 1) % size, first)
            firsts[role] = female, first
        return firsts

    def _own_surname(self, role: str, d: Draws) -> Ints:
        """The index of `role`'s own surname: anyone outside the family has another surname than
        the hero's (the next one, where the draw gives the hero's), so "Myrzakhmetov had offered
        him a place" names one person; a relative named with their own surname may share it."""
        surname = rng.below_array(d[f"{role}.surname"], self.surnames)
        if role == HERO or role in self.table.kin:
            return surname
        hero = rng.below_array(d[f"{HERO}.surname"], self.surnames)
        return np.where(surname == hero, (surname + 1) % self.surnames, surname)

    def _given(self, role: str, d: Draws, role_sets: dict[str, Ints]) -> tuple[npt.NDArray[np.bool_], Ints]:
        """Whether each story's `role` is a woman, and the index of their given name."""
        female = self._female(role_sets[role], d[f"{role}.gender"])
        female_names = len(self.given) - self.male_names
        first = np.where(female, self.male_names + rng.below_array(d[f"{role}.first"], female_names),
                         rng.below_array(d[f"{role}.first"], self.male_names))
        return female, first

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

        def nested(slot: Slot, rows: Ints = rows) -> Column:
            column = values[slot.key][rows]
            return options([apply_filters(v, slot.filters) for v in column]) if slot.filters else column

        out[rows] = fill_parts(titles[title], nested)
    return out
