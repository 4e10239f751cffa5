"""The slot table: what each slot means and where its values come from, read from data/slots.json.

One home for slot knowledge: the sampler builds each slot's column from its `Source`, `--set`
accepts the slots that name a setting, the cast shows the slots that name a cast fact, titles
nest the slots marked `nests`, and the linter and the record schema read the same entries.
Pronoun forms ('hero.they', 'scout.were') are not listed one by one: any `<role>.<form>` with a
form of `pronoun_forms` is that role's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

HERO = "hero"
PLACES = ("home", "city", "capital", "largest_city", "abroad.city")  # slots a scene can be set in


@dataclass(frozen=True)
class Source:
    """Where a slot's values come from. `kind` is one of: list (a culture-pack list), choice (one
    of several culture fields), constant (one culture field), record (a field of a culture list
    of records, drawn together by `draw`), person (a name of the slot's role), age, title (a
    culture list of titles that may nest other slots)."""

    kind: str
    field: str = ""
    fields: tuple[str, ...] = ()
    key: str = ""
    where: str = ""
    part: str = ""
    draw: str = ""
    unlike: str = ""  # a list slot drawn to differ from this slot's value


@dataclass(frozen=True)
class SlotSpec:
    """One slot: its entity label, the entity its mentions belong to, its source, and how the
    rest of storygen treats it."""

    key: str
    label: str
    entity: str
    source: Source | None  # None: a pronoun form, which follows its role's pronoun set
    cast: str = ""  # the name of this fact in a record's cast ('' if not in it)
    setting: str = ""  # the --set name that fixes it ('' if none)
    nests: bool = False  # may appear inside a title ('Tales of {{ home }}')
    optional: bool = False  # drawn only for a grammar that uses it (a relative's name)

    @property
    def role(self) -> str:
        """The character a slot belongs to ('hero' for 'hero.age'), or '' for other slots."""
        return self.key.partition(".")[0] if self.source is None or self.source.kind in ("person", "age") else ""

    @property
    def is_entity(self) -> bool:
        """Whether its mentions are entities (verbs that agree with a pronoun are not)."""
        return bool(self.entity)


@dataclass(frozen=True)
class SlotTable:
    """Every slot storygen knows, plus the pronoun forms of any role."""

    slots: dict[str, SlotSpec]
    pronoun_forms: dict[str, SlotSpec]  # form -> a spec whose key is the bare form
    ages: tuple[int, int]
    other_pronouns: tuple[str, ...]
    honorifics: dict[str, str]
    known_instruments: dict[str, str]  # instrument -> player noun, beyond any culture pack's
    kin: dict[str, str]  # relative -> the pronoun set the word fixes ('mother' -> 'she')
    instrument_facts: dict[str, dict[str, Any]]  # instrument -> how it is played, where it is traditional

    def get(self, key: str) -> SlotSpec | None:
        """The spec of `key`, pronoun forms of any role included; None for an unknown slot."""
        if key in self.slots:
            return self.slots[key]
        role, _, form = key.partition(".")
        form_spec = self.pronoun_forms.get(form)
        if not role or form_spec is None:
            return None
        entity = role if form_spec.label == "PRONOUN" else ""
        return SlotSpec(key, form_spec.label, entity, None, form_spec.cast)

    def settable(self) -> dict[str, list[SlotSpec]]:
        """--set name -> the slots it fixes, in table order."""
        out: dict[str, list[SlotSpec]] = {}
        for spec in self.slots.values():
            if spec.setting:
                out.setdefault(spec.setting, []).append(spec)
        return out

    @property
    def nestable(self) -> tuple[str, ...]:
        """Slots a title may nest: filled before titles are, and never titles themselves."""
        return tuple(key for key, spec in self.slots.items() if spec.nests)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every entity label a record can hold, in table order."""
        found = [s.label for s in (*self.slots.values(), *self.pronoun_forms.values()) if s.entity or s.label == "PRONOUN"]
        return tuple(dict.fromkeys(found))

    def cast_fact(self, key: str) -> str:
        """The cast's name for a slot's value ('' if the cast does not show it)."""
        spec = self.get(key)
        return spec.cast if spec is not None and spec.role else ""


def _source(raw: dict[str, Any]) -> Source:
    return Source(raw["kind"], raw.get("field", ""), tuple(raw.get("fields", ())), raw.get("key", ""),
                  raw.get("where", ""), raw.get("part", ""), raw.get("draw", ""), raw.get("unlike", ""))


def _read_table() -> str:
    return resources.files("generator").joinpath("data/slots.json").read_text("utf-8")


@lru_cache(maxsize=1)
def slot_table() -> SlotTable:
    """The packaged slot table (read once)."""
    raw = json.loads(_read_table())
    slots = {key: SlotSpec(key, s["label"], s["entity"], _source(s["source"]), s.get("cast", ""), s.get("set", ""),
                           bool(s.get("nests", False)), bool(s.get("optional", False)))
             for key, s in raw["slots"].items()}
    forms = {form: SlotSpec(form, f["label"], "", None, f.get("cast", "")) for form, f in raw["pronoun_forms"].items()}
    low, high = raw["ages"]
    return SlotTable(slots, forms, (low, high), tuple(raw["other_pronouns"]), dict(raw["honorifics"]),
                     {name: facts["player"] for name, facts in raw["known_instruments"].items()},
                     dict(raw["kin"]), dict(raw["known_instruments"]))
