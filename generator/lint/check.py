"""`storygen check`: report every problem in a grammar file, and how many stories it can make.

`grammar.loads` stops at the first problem; the checker reads a grammar as untrusted data and
collects all of them, each located as `FILE:LINE: JSONPATH`. It never raises for any input
text and never renders or executes a template: templates are only parsed in Jinja2's sandbox
(`templates.parse_template`).

It also computes a lower bound on the number of distinct stories the grammar can make with a
culture pack (see `Capacity`), so a fixture generator knows when `--count` starts to repeat.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GrammarError
from ..load.culture import load_culture
from ..load.grammar import FORMAT_VERSION
from ..load.templates import parse_template
from ..model.culture import Culture
from ..model.templates import Slot
from ..sample.unit_rules import fits_seed_share

ERROR = "error"
WARNING = "warning"

TOP_KEYS = ("format_version", "name", "phases", "pronouns", "arcs", "slots", "units", "seeds")
UNIT_KEYS = ("id", "phase", "intro", "events", "requires", "sentences")
SENTENCE_KEYS = ("id", "template", "source", "new_paragraph")
SOURCE_KEYS = ("seed", "start", "end")
ARC_KEYS = ("phases", "lengths", "weight", "seeds")
SEED_KEYS = ("file", "sha256", "pronouns", "values", "paragraphs", "trailing")
DEFAULT_CULTURE = "kazakh"

# Slots the sampler fills from the culture pack, and the pack field each one draws from.
CULTURE_LISTS = {
    "hero.name": ("given_names", "surnames"),
    "hero.first": ("given_names",),
    "hero.surname": ("surnames",),
    "mentor.name": ("surnames",),
    "home": ("towns",),
    "instrument.name": ("instruments",),
    "instrument.player": ("instruments",),
    "genre": ("genres",),
    "album": ("albums",),
    "competition": ("competitions",),
    "abroad.city": ("foreign",),
    "abroad.country": ("foreign",),
    "abroad.nationality": ("foreign",),
    "abroad.landmark1": ("foreign",),
    "abroad.landmark2": ("foreign",),
    "city": ("largest_city", "capital"),
    "capital": ("capital",),
    "largest_city": ("largest_city",),
    "country": ("country",),
    "region": ("region",),
    "region_adjective": ("region_adjective",),
    "nationality": ("nationality",),
    "demonym": ("demonym",),
}
# Slots the sampler fills without the culture pack (pronoun forms are added per grammar).
OTHER_SLOTS = ("hero.age",)
# Other characters' pronouns are always drawn from these two sets (see Sampler._values).
ROLE_PRONOUN_SETS = ("he", "she")

PathKey = str | int
JsonPath = tuple[PathKey, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a grammar: where, what, and whether it stops generation."""

    location: str
    message: str
    severity: str  # "error" | "warning"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


@dataclass
class Capacity:
    """A lower bound on the number of distinct stories, and a one-line account of it.

    The bound is the smallest, over every arc and lengths row the sampler can draw, of
    (intro units x hero names they show) x (unit selections forced by first-ranked units,
    see `_arc_bound`). Names come from the culture pack; rankings are taken to be free.
    """

    lower_bound: int
    explanation: str


# --- JSON paths and their line numbers ---------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|NaN|-?Infinity")


def format_path(path: JsonPath) -> str:
    """`('units', 7, 'template')` -> `$.units[7].template`; odd keys are quoted: `$.slots["hero.name"]`."""
    out = ["$"]
    for key in path:
        if isinstance(key, int):
            out.append(f"[{key}]")
        elif _IDENTIFIER.match(key):
            out.append(f".{key}")
        else:
            out.append(f"[{json.dumps(key, ensure_ascii=False)}]")
    return "".join(out)


def locate(text: str) -> dict[JsonPath, int]:
    """The 1-based line where each value of a JSON document starts, keyed by its path.

    Walks the text with an explicit stack (no recursion, so deep nesting is fine). Meant for
    text `json.loads` accepted; on anything else it returns what it found before going wrong.
    A key that appears twice in one object maps to its last occurrence, as `json.loads` keeps.
    """
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    lines: dict[JsonPath, int] = {}
    # Each frame: [is_object, path of the container, next index or current key]
    stack: list[list[Any]] = []
    pos = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    path: JsonPath = ()
    try:
        while True:
            # A value starts at pos, at `path`.
            lines[path] = bisect.bisect_right(starts, pos)
            ch = text[pos]
            if ch in "{[":
                is_object = ch == "{"
                pos = _WHITESPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
                if text[pos] in "}]":
                    pos += 1
                else:
                    stack.append([is_object, path, 0])
                    if is_object:
                        pos, key = _read_key(text, pos)
                        stack[-1][2] = key
                        path = (*path, key)
                    else:
                        path = (*path, 0)
                    continue
            elif ch == '"':
                match = _STRING.match(text, pos)
                if match is None:
                    return lines
                pos = match.end()
            else:
                match = _SCALAR.match(text, pos)
                if match is None:
                    return lines
                pos = match.end()
            # After a value: a comma continues the container, a bracket closes it.
            while True:
                if not stack:
                    return lines
                pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
                frame = stack[-1]
                if text[pos] == ",":
                    pos = _WHITESPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
                    if frame[0]:
                        pos, key = _read_key(text, pos)
                        frame[2] = key
                    else:
                        frame[2] += 1
                    path = (*frame[1], frame[2])
                    break
                pos += 1  # the closing bracket
                stack.pop()
    except (IndexError, ValueError):
        return lines


def _read_key(text: str, pos: int) -> tuple[int, str]:
    match = _STRING.match(text, pos)
    if match is None:
        raise ValueError("expected a key")
    key = json.loads(match.group())
    pos = _WHITESPACE.match(text, match.end()).end()  # type: ignore[union-attr]
    if text[pos] != ":":
        raise ValueError("expected ':'")
    return _WHITESPACE.match(text, pos + 1).end(), key  # type: ignore[union-attr]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_KINDS: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": _is_int,
    "boolean": lambda v: isinstance(v, bool),
}


# --- the checker -------------------------------------------------------------------------------


@dataclass
class _Unit:
    """What the structural checks need of a unit that passed its own checks."""

    index: int
    id: str
    phase: str
    intro: bool
    events: frozenset[str]
    requires: tuple[str, ...]
    seed: str
    sentences: int
    slots: frozenset[str]
    text: tuple[str, ...]


@dataclass
class _Arc:
    index: int
    phases: tuple[str, ...]
    lengths: list[tuple[int, ...]]
    weight: int


@dataclass
class _State:
    phases: list[str] = field(default_factory=list)
    phase_ok: bool = False
    slots: dict[str, tuple[str, str]] | None = None
    pronoun_forms: dict[str, set[str]] = field(default_factory=dict)
    pronoun_weights: dict[str, int] = field(default_factory=dict)
    pronouns_ok: bool = False
    arcs: list[_Arc] = field(default_factory=list)
    arcs_ok: bool = False
    units: list[_Unit] = field(default_factory=list)
    units_ok: bool = False
    # Every id found, valid unit or not, so one broken unit does not make others' requires fail.
    unit_ids: list[tuple[int, str]] = field(default_factory=list)
    sentence_ids: list[tuple[JsonPath, str]] = field(default_factory=list)
    # slot key -> path of the first template that uses it
    used_slots: dict[str, JsonPath] = field(default_factory=dict)


class _Checker:
    def __init__(self, text: str, where: str) -> None:
        self.text = text
        self.where = where
        self.problems: list[tuple[float, Problem]] = []
        self.lines: dict[JsonPath, int] = {}
        self.state = _State()

    # --- reporting -----------------------------------------------------------------------------
    def line(self, path: JsonPath) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def report(self, path: JsonPath, message: str, severity: str = ERROR) -> None:
        line = self.line(path)
        self.problems.append((line, Problem(f"{self.where}:{line}: {format_path(path)}", message, severity)))

    def sorted_problems(self) -> list[Problem]:
        return [p for _, p in sorted(self.problems, key=lambda item: item[0])]

    def field(self, obj: dict[str, Any], key: str, kind: str, path: JsonPath) -> Any:
        """obj[key] if present and of the JSON kind; otherwise report and return None."""
        if key not in obj:
            self.report(path, f"missing key '{key}'")
            return None
        value = obj[key]
        if not _KINDS[kind](value):
            self.report((*path, key), f"expected {_article(kind)}, got {_article(_json_type(value))}")
            return None
        return value

    def expect(self, value: Any, kind: str, path: JsonPath) -> bool:
        if _KINDS[kind](value):
            return True
        self.report(path, f"expected {_article(kind)}, got {_article(_json_type(value))}")
        return False

    def unknown_keys(self, obj: dict[str, Any], known: tuple[str, ...], path: JsonPath) -> None:
        for key in obj:
            if key not in known:
                self.report((*path, key), f"unknown key '{key}' (expected: {', '.join(known)})", WARNING)

    def strings(self, value: Any, path: JsonPath) -> list[str] | None:
        """A list of strings, or None after reporting each element that is not one."""
        ok = True
        for k, item in enumerate(value):
            if not isinstance(item, str):
                self.expect(item, "string", (*path, k))
                ok = False
        return list(value) if ok else None

    # --- the document --------------------------------------------------------------------------
    def run(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.text)
        except json.JSONDecodeError as exc:
            location = f"{self.where}:{exc.lineno}:{exc.colno}"
            self.problems.append((exc.lineno, Problem(location, f"invalid JSON: {exc.msg}", ERROR)))
            return None
        except RecursionError:
            self.problems.append((1, Problem(f"{self.where}:1", "invalid JSON: nested too deeply", ERROR)))
            return None
        self.lines = locate(self.text)
        if not isinstance(data, dict):
            self.report((), f"the top level must be a JSON object, got {_article(_json_type(data))}")
            return None
        for key in TOP_KEYS:
            if key not in data:
                self.report((), f"missing key '{key}'")
        self.unknown_keys(data, TOP_KEYS, ())
        if "format_version" in data:
            version = data["format_version"]
            if not _is_int(version):
                self.expect(version, "integer", ("format_version",))
            elif version != FORMAT_VERSION:
                self.report(("format_version",),
                            f"unsupported format_version {version} (this storygen reads {FORMAT_VERSION})")
        if "name" in data:
            self.expect(data["name"], "string", ("name",))
        if "phases" in data:
            self.check_phases(data["phases"])
        if "pronouns" in data:
            self.check_pronouns(data["pronouns"])
        if "slots" in data:
            self.check_slots(data["slots"])
        if "arcs" in data:
            self.check_arcs(data["arcs"])
        if "units" in data:
            self.check_units(data["units"])
        if "seeds" in data:
            self.check_seeds(data["seeds"])
        self.check_structure()
        return data

    def check_phases(self, phases: Any) -> None:
        path: JsonPath = ("phases",)
        if not self.expect(phases, "array", path):
            return
        if not phases:
            self.report(path, "no phases are defined")
            return
        names = self.strings(phases, path)
        if names is None:
            return
        seen: set[str] = set()
        for k, name in enumerate(names):
            if name in seen:
                self.report((*path, k), f"duplicate phase '{name}'")
            seen.add(name)
        self.state.phases = list(dict.fromkeys(names))
        self.state.phase_ok = True

    def check_pronouns(self, pronouns: Any) -> None:
        path: JsonPath = ("pronouns",)
        if not self.expect(pronouns, "object", path):
            return
        if not pronouns:
            self.report(path, "no pronoun sets are defined")
            return
        ok = True
        for key, spec in pronouns.items():
            spath = (*path, key)
            if not self.expect(spec, "object", spath):
                ok = False
                continue
            self.unknown_keys(spec, ("weight", "forms"), spath)
            weight = self.field(spec, "weight", "integer", spath)
            if weight is None:
                ok = False
            elif weight < 0:
                self.report((*spath, "weight"), f"weight must not be negative, got {weight}")
                ok = False
            else:
                self.state.pronoun_weights[key] = weight
            forms = self.field(spec, "forms", "object", spath)
            if forms is None:
                ok = False
                continue
            if not forms:
                self.report((*spath, "forms"), f"pronoun set '{key}' has no forms")
            for form, word in forms.items():
                if not isinstance(word, str):
                    self.expect(word, "string", (*spath, "forms", form))
                    ok = False
            self.state.pronoun_forms[key] = set(forms)
        if ok and not any(self.state.pronoun_weights.values()):
            self.report(path, "every pronoun set has weight 0, so no story can choose its pronouns")
            ok = False
        self.state.pronouns_ok = ok

    def check_slots(self, slots: Any) -> None:
        path: JsonPath = ("slots",)
        if not self.expect(slots, "object", path):
            return
        if not slots:
            self.report(path, "no slots are defined, so no template can name a hero, place or instrument")
        found: dict[str, tuple[str, str]] = {}
        for key, spec in slots.items():
            spath = (*path, key)
            if not self.expect(spec, "object", spath):
                continue
            self.unknown_keys(spec, ("label", "entity"), spath)
            label = self.field(spec, "label", "string", spath)
            entity = self.field(spec, "entity", "string", spath)
            found[key] = (label if label is not None else "", entity if entity is not None else "")
        self.state.slots = found

    def check_arcs(self, arcs: Any) -> None:
        path: JsonPath = ("arcs",)
        if not self.expect(arcs, "array", path):
            return
        if not arcs:
            self.report(path, "no arcs are defined, so no story has a shape")
            return
        ok = True
        for i, arc in enumerate(arcs):
            apath = (*path, i)
            if not self.expect(arc, "object", apath):
                ok = False
                continue
            self.unknown_keys(arc, ARC_KEYS, apath)
            arc_ok = True
            phases = self.field(arc, "phases", "array", apath)
            names: list[str] | None = None
            if phases is not None:
                names = self.strings(phases, (*apath, "phases"))
                if names is not None and not names:
                    self.report((*apath, "phases"), "an arc needs at least one phase")
                    names = None
                if names is not None and self.state.phase_ok:
                    for k, phase in enumerate(names):
                        if phase not in self.state.phases:
                            known = ", ".join(self.state.phases)
                            self.report((*apath, "phases", k), f"unknown phase '{phase}' (known: {known})")
                            arc_ok = False
                    for k, phase in enumerate(names):
                        if phase in names[:k]:
                            self.report((*apath, "phases", k), f"phase '{phase}' appears twice in this arc",
                                        WARNING)
            lengths = self.field(arc, "lengths", "array", apath)
            rows: list[tuple[int, ...]] = []
            if lengths is not None:
                if not lengths:
                    self.report((*apath, "lengths"), "an arc needs at least one list of sentence counts")
                    arc_ok = False
                for k, row in enumerate(lengths):
                    rpath = (*apath, "lengths", k)
                    if not isinstance(row, list):
                        self.expect(row, "array", rpath)
                        arc_ok = False
                        continue
                    want = len(names) if names is not None else None
                    bad_counts = [n for n in row if not _is_int(n) or n <= 0]
                    if want is not None and len(row) != want:
                        self.report(rpath, f"expected {want} sentence counts (one per phase), got {len(row)}")
                        arc_ok = False
                    elif bad_counts:
                        self.report(rpath, f"sentence counts must be positive integers, got {_short(bad_counts[0])}")
                        arc_ok = False
                    else:
                        rows.append(tuple(row))
            weight = self.field(arc, "weight", "integer", apath)
            if weight is not None and weight < 0:
                self.report((*apath, "weight"), f"weight must not be negative, got {weight}")
                weight = None
            seeds = self.field(arc, "seeds", "array", apath)
            if seeds is not None:
                self.strings(seeds, (*apath, "seeds"))
            if names is None or lengths is None or weight is None or not arc_ok:
                ok = False
                continue
            self.state.arcs.append(_Arc(i, tuple(names), rows, weight))
        if ok and not any(a.weight for a in self.state.arcs):
            self.report(path, "every arc has weight 0, so no story can choose an arc")
            ok = False
        self.state.arcs_ok = ok

    def check_units(self, units: Any) -> None:
        path: JsonPath = ("units",)
        if not self.expect(units, "array", path):
            return
        if not units:
            self.report(path, "no units are defined, so there is nothing to tell")
            return
        ok = True
        for i, unit in enumerate(units):
            checked = self.check_unit(unit, (*path, i), i)
            if checked is None:
                ok = False
            else:
                self.state.units.append(checked)
        self.state.units_ok = ok

    def check_unit(self, unit: Any, path: JsonPath, index: int) -> _Unit | None:
        if not self.expect(unit, "object", path):
            return None
        self.unknown_keys(unit, UNIT_KEYS, path)
        unit_id = self.field(unit, "id", "string", path)
        if unit_id is not None:
            self.state.unit_ids.append((index, unit_id))
        phase = self.field(unit, "phase", "string", path)
        if phase is not None and self.state.phase_ok and phase not in self.state.phases:
            self.report((*path, "phase"), f"unknown phase '{phase}' (known: {', '.join(self.state.phases)})")
            phase = None
        intro = self.field(unit, "intro", "boolean", path)
        events = self.field(unit, "events", "array", path)
        if events is not None:
            events = self.strings(events, (*path, "events"))
        requires = self.field(unit, "requires", "array", path)
        if requires is not None:
            requires = self.strings(requires, (*path, "requires"))
        sentences = self.field(unit, "sentences", "array", path)
        ok = None not in (unit_id, phase, intro, events, requires, sentences)
        slots: set[str] = set()
        texts: list[str] = []
        seed = None
        if sentences is not None:
            if not sentences:
                self.report((*path, "sentences"), "a unit needs at least one sentence")
                ok = False
            for j, sentence in enumerate(sentences):
                result = self.check_sentence(sentence, (*path, "sentences", j))
                if result is None:
                    ok = False
                    continue
                _, template, sentence_seed, keys = result
                texts.append(template)
                slots.update(keys)
                if seed is None:
                    seed = sentence_seed
        if not ok or seed is None:
            return None
        return _Unit(index, unit_id, phase, intro, frozenset(events), tuple(requires), seed,
                     len(sentences), frozenset(slots), tuple(texts))

    def check_sentence(self, sentence: Any, path: JsonPath) -> tuple[str, str, str, list[str]] | None:
        if not self.expect(sentence, "object", path):
            return None
        self.unknown_keys(sentence, SENTENCE_KEYS, path)
        sentence_id = self.field(sentence, "id", "string", path)
        if sentence_id is not None:
            self.state.sentence_ids.append((path, sentence_id))
        ok = sentence_id is not None
        ok = self.field(sentence, "new_paragraph", "boolean", path) is not None and ok
        source = self.field(sentence, "source", "object", path)
        seed = None
        if source is not None:
            spath = (*path, "source")
            self.unknown_keys(source, SOURCE_KEYS, spath)
            seed = self.field(source, "seed", "string", spath)
            start = self.field(source, "start", "integer", spath)
            end = self.field(source, "end", "integer", spath)
            ok = ok and None not in (seed, start, end)
        template = self.field(sentence, "template", "string", path)
        if template is None:
            return None
        keys = self.check_template(template, (*path, "template"))
        if keys is None or not ok or seed is None:
            return None
        return sentence_id, template, seed, keys

    def check_template(self, template: str, path: JsonPath) -> list[str] | None:
        marker = "\x00template"
        try:
            parts = parse_template(template, marker)
        except GrammarError as exc:
            message = str(exc)
            self.report(path, message[len(marker) + 2:] if message.startswith(marker + ": ") else message)
            return None
        except Exception as exc:
            self.report(path, f"cannot parse template: {type(exc).__name__}: {exc}")
            return None
        keys = [p.key for p in parts if isinstance(p, Slot)]
        ok = True
        for key in dict.fromkeys(keys):
            self.state.used_slots.setdefault(key, path)
            if self.state.slots and key not in self.state.slots:  # empty slots are reported once
                known = ", ".join(sorted(self.state.slots))
                self.report(path, f"unknown slot '{key}' (known: {known})")
                ok = False
        return keys if ok else None

    def check_seeds(self, seeds: Any) -> None:
        path: JsonPath = ("seeds",)
        if not self.expect(seeds, "array", path):
            return
        for i, seed in enumerate(seeds):
            spath = (*path, i)
            if not self.expect(seed, "object", spath):
                continue
            self.unknown_keys(seed, SEED_KEYS, spath)
            for key in ("file", "sha256", "pronouns", "trailing"):
                self.field(seed, key, "string", spath)
            values = self.field(seed, "values", "object", spath)
            for key, value in (values or {}).items():
                self.expect(value, "string", (*spath, "values", key))
            paragraphs = self.field(seed, "paragraphs", "array", spath)
            for k, paragraph in enumerate(paragraphs or []):
                if self.expect(paragraph, "array", (*spath, "paragraphs", k)):
                    self.strings(paragraph, (*spath, "paragraphs", k))

    # --- across sections -----------------------------------------------------------------------
    def check_structure(self) -> None:
        st = self.state
        units = st.units
        first_index: dict[str, int] = {}
        for index, unit_id in st.unit_ids:
            if unit_id in first_index:
                self.report(("units", index, "id"),
                            f"duplicate unit id '{unit_id}' (first at $.units[{first_index[unit_id]}])")
            else:
                first_index[unit_id] = index
        by_id: dict[str, _Unit] = {}
        for unit in units:
            by_id.setdefault(unit.id, unit)
        self.check_sentence_ids()
        for unit in units:
            for k, needed in enumerate(unit.requires):
                if needed not in first_index:
                    self.report(("units", unit.index, "requires", k),
                                f"requires unknown unit '{needed}', so this unit can never be chosen")
        if st.units_ok and not any(u.intro for u in units):
            self.report(("units",), "no unit is marked intro, so no story can begin")
        self.check_slot_values()
        if not (st.phase_ok and st.arcs_ok and st.units_ok):
            return
        live_arcs = [a for a in st.arcs if a.weight > 0]
        arc_phases = {p for a in live_arcs for p in a.phases}
        for k, phase in enumerate(st.phases):
            count = sum(1 for u in units if u.phase == phase)
            if count == 0 and phase in arc_phases:
                self.report(("phases", k), f"phase '{phase}' has no units, so stories tell nothing there")
            elif count == 0:
                self.report(("phases", k), f"phase '{phase}' has no units", WARNING)
            elif phase not in arc_phases:
                self.report(("phases", k), f"no arc passes through phase '{phase}', so its {count} unit(s) are never used",
                            WARNING)
        intros = [u for u in units if u.intro]
        if intros:
            for arc in live_arcs:
                first = arc.phases[0]
                if not any(u.phase == first for u in intros):
                    self.report(("arcs", arc.index, "phases", 0),
                                f"no intro unit has phase '{first}', so stories of this arc open with unit "
                                f"'{intros[0].id}' from phase '{intros[0].phase}'", WARNING)
        self.check_reachability(live_arcs, by_id)

    def check_sentence_ids(self) -> None:
        seen: dict[str, JsonPath] = {}
        for path, sentence_id in self.state.sentence_ids:
            if sentence_id in seen:
                self.report((*path, "id"),
                            f"duplicate sentence id '{sentence_id}' (first at {format_path(seen[sentence_id])})")
            else:
                seen[sentence_id] = path

    def check_reachability(self, arcs: list[_Arc], by_id: dict[str, _Unit]) -> None:
        units = self.state.units
        intros = [u for u in units if u.intro]
        reachable: set[str] = set()
        for arc in arcs:
            reachable |= _reachable_in(arc, units, by_id, intros)
        arc_phases = {p for a in arcs for p in a.phases}
        for unit in units:
            if unit.id in reachable or unit.phase not in arc_phases:
                continue  # phases no arc passes through are reported once, on the phase
            if by_id.get(unit.id) is not unit:
                continue  # a duplicate id is already an error
            why = self.why_unreachable(unit, arcs, by_id, reachable)
            if why:
                self.report(("units", unit.index), f"unit '{unit.id}' can never be chosen: {why}", WARNING)

    def why_unreachable(self, unit: _Unit, arcs: list[_Arc], by_id: dict[str, _Unit], reachable: set[str]) -> str:
        if unit.intro:
            return f"it is an intro unit of phase '{unit.phase}', and no arc starts with that phase"
        if unit.id in unit.requires:
            return "it requires itself"
        if any(r not in by_id for r in unit.requires):
            return ""  # reported as an error already
        cycle = _cycle_through(unit, by_id)
        if cycle:
            return f"it is in a cycle of requirements ({' -> '.join(cycle)})"
        for needed in unit.requires:
            other = by_id[needed]
            shared = sorted(unit.events & other.events)
            if shared and not other.intro:
                return f"it shares event '{shared[0]}' with unit '{needed}', which it requires"
            if shared:
                return f"it shares event '{shared[0]}' with intro unit '{needed}', which it requires"
        for needed in unit.requires:
            other = by_id[needed]
            if not any(_before(arc, other, unit) for arc in arcs if unit.phase in arc.phases):
                return (f"it requires unit '{needed}' of phase '{other.phase}', which no arc tells "
                        f"before phase '{unit.phase}'")
        for needed in unit.requires:
            if needed not in reachable:
                return f"it requires unit '{needed}', which can never be chosen itself"
        return "no arc can satisfy its requirements"

    def check_slot_values(self) -> None:
        """Every slot a template uses must be one the sampler fills, in every story."""
        st = self.state
        if st.slots is None or not st.pronouns_ok:
            return
        roles = sorted({entity for label, entity in st.slots.values() if label == "PRONOUN" and entity != "hero"})
        live_sets = [key for key, weight in st.pronoun_weights.items() if weight > 0]
        if roles:
            missing = [key for key in ROLE_PRONOUN_SETS if key not in st.pronoun_forms]
            if missing:
                self.report(("pronouns",), f"slots give '{roles[0]}' pronouns, which are drawn from the "
                                           f"'he' and 'she' sets, but there is no '{missing[0]}' set")
                return
        for key, path in st.used_slots.items():
            if key not in st.slots or key in CULTURE_LISTS or key in OTHER_SLOTS:
                continue
            owner, _, form = key.partition(".")
            if owner == "hero" and form:
                lacking = [s for s in live_sets if form not in st.pronoun_forms.get(s, set())]
                if lacking:
                    self.report(path, f"slot '{key}' needs the form '{form}' in every pronoun set with a "
                                      f"positive weight, but '{lacking[0]}' has none")
                continue
            if owner in roles and form:
                lacking = [s for s in ROLE_PRONOUN_SETS if form not in st.pronoun_forms.get(s, set())]
                if lacking:
                    self.report(path, f"slot '{key}' needs the form '{form}' in pronoun set '{lacking[0]}'")
                continue
            self.report(path, f"slot '{key}' is declared in $.slots, but storygen has no value for it "
                              f"(it fills the culture's names and places, hero.age, and pronoun forms)")

    # --- culture -------------------------------------------------------------------------------
    def check_culture(self, culture: Culture) -> None:
        st = self.state
        reported: set[str] = set()
        for key, path in st.used_slots.items():
            for name in CULTURE_LISTS.get(key, ()):
                if name in reported:
                    continue
                if _culture_field_empty(culture, name, _genders(st.pronoun_weights)):
                    reported.add(name)
                    self.report(path, f"slot '{key}' is filled from culture '{culture.name}', "
                                      f"whose {name} is empty")
        # The sampler draws from every list for every story, used or not.
        genders = _genders(st.pronoun_weights) or ("male", "female")
        for name in dict.fromkeys(n for names in CULTURE_LISTS.values() for n in names):
            if name not in reported and _culture_field_empty(culture, name, genders):
                self.problems.append((math.inf, Problem(f"culture '{culture.name}'",
                                                 f"{name} is empty, and the sampler draws from it for every story",
                                                 ERROR)))
        provided = {*CULTURE_LISTS, *OTHER_SLOTS} | {f"hero.{form}" for forms in st.pronoun_forms.values() for form in forms}
        if st.slots is not None:
            roles = {entity for label, entity in st.slots.values() if label == "PRONOUN" and entity != "hero"}
            provided |= {f"{role}.{form}" for role in roles for s in ROLE_PRONOUN_SETS
                         for form in st.pronoun_forms.get(s, set())}
        for title_kind, titles, extra in (("albums", culture.albums, set()), ("competitions", culture.competitions, {"album"})):
            for parts in titles:
                for part in parts:
                    if isinstance(part, Slot) and part.key not in provided | extra:
                        self.problems.append((math.inf, Problem(
                            f"culture '{culture.name}'",
                            f"a title in {title_kind} uses slot '{part.key}', which has no value when titles are filled",
                            ERROR)))


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 24 else f"{text[:20]}..."


def _article(kind: str) -> str:
    if kind == "null":
        return "null"
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _genders(weights: dict[str, int]) -> tuple[str, ...]:
    """The hero genders the live pronoun sets lead to (see sample._gender)."""
    found: set[str] = set()
    for key, weight in weights.items():
        if weight > 0:
            found |= {"male"} if key == "he" else {"female"} if key == "she" else {"male", "female"}
    return tuple(sorted(found))


def _culture_field_empty(culture: Culture, name: str, genders: Iterable[str]) -> bool:
    try:
        if name == "given_names":
            return any(not culture.given_names.get(g) for g in genders)
        return not getattr(culture, name)
    except Exception:
        return True


def _before(arc: _Arc, needed: _Unit, unit: _Unit) -> bool:
    """Can `needed` be chosen before `unit` in a story of this arc?"""
    if needed.intro:
        return True  # the intro is taken first (reachability of the intro itself is separate)
    if needed.phase not in arc.phases or unit.phase not in arc.phases:
        return False
    return arc.phases.index(needed.phase) <= arc.phases.index(unit.phase)


def _reachable_in(arc: _Arc, units: list[_Unit], by_id: dict[str, _Unit], intros: list[_Unit]) -> set[str]:
    """Ids of the units some story of this arc can contain (mirrors Sampler._units' rules)."""
    first = [u for u in intros if u.phase == arc.phases[0]]
    reach = {u.id for u in (first or intros[:1])}
    changed = True
    while changed:
        changed = False
        for unit in units:
            if unit.id in reach or unit.intro or unit.phase not in arc.phases:
                continue
            if by_id.get(unit.id) is not unit:
                continue
            if all(r in reach and r in by_id and _before(arc, by_id[r], unit) and not (unit.events & by_id[r].events)
                   for r in unit.requires):
                reach.add(unit.id)
                changed = True
    return reach


def _cycle_through(unit: _Unit, by_id: dict[str, _Unit]) -> list[str] | None:
    """A chain of requirements from `unit` back to itself, if there is one."""
    parent: dict[str, str] = {}
    stack = [unit.id]
    seen = {unit.id}
    while stack:
        current = stack.pop()
        for needed in by_id[current].requires if current in by_id else ():
            if needed == unit.id:
                chain = [current]
                while chain[-1] != unit.id:
                    chain.append(parent[chain[-1]])
                return [unit.id, *reversed(chain[:-1]), unit.id]
            if needed not in seen and needed in by_id:
                seen.add(needed)
                parent[needed] = current
                stack.append(needed)
    return None


# --- capacity ----------------------------------------------------------------------------------


def _hero_names(culture: Culture, genders: tuple[str, ...]) -> tuple[int, int]:
    """Distinct full names and distinct given names a hero of these genders can have."""
    full: set[str] = set()
    first: set[str] = set()
    for gender in genders:
        for given in culture.given_names.get(gender, ()):
            first.add(given)
            for pair in culture.surnames:
                full.add(f"{given} {pair[gender]}")
    return len(full), len(first)


def _distinct_texts(units: Iterable[_Unit]) -> list[_Unit]:
    seen: dict[tuple[str, ...], _Unit] = {}
    for unit in units:
        seen.setdefault(unit.text, unit)
    return list(seen.values())


@dataclass
class _Bound:
    value: int
    openings: int
    intros: int
    candidates: list[int]
    per_story: list[int]
    arc: _Arc
    row: tuple[int, ...]


def _arc_bound(arc: _Arc, row: tuple[int, ...], units: list[_Unit], full: int, first: int) -> _Bound:
    """Distinct (opening, unit selection) pairs some stories of this arc and lengths row must show.

    The top-ranked intro of the arc's first phase opens the story. In each phase the top-ranked
    unit is taken if nothing chosen before it can block it: it requires nothing, shares no event
    with any unit that could come earlier, and its seed cannot already have given too many
    sentences. Any combination of such candidates (one per phase) is some story's choice, and
    one story holds at most `per_story` candidates of a phase, so there are at least
    openings * prod(candidates) / prod(per_story) distinct selections.
    """
    intros_all = [u for u in units if u.intro]
    intros = _distinct_texts(u for u in intros_all if u.phase == arc.phases[0]) or intros_all[:1]
    openings = sum(full if "hero.name" in u.slots else first if "hero.first" in u.slots else 1 for u in intros)
    earlier = list(intros)
    candidates: list[int] = []
    per_story: list[int] = []
    done: set[str] = set()
    for step, (phase, target) in enumerate(zip(arc.phases, row)):
        pool = [u for u in units if u.phase == phase and not u.intro]
        room = target
        longest_intro = max(u.sentences for u in intros) if step == 0 else 0
        if step == 0:
            room = target - min(u.sentences for u in intros)  # the intro already counts
        events = {e for u in earlier for e in u.events}
        chosen: list[_Unit] = []
        if phase not in done and (step > 0 or longest_intro < target):
            for unit in pool:
                if unit.requires or unit.events & events:
                    continue
                if step == 0 and longest_intro + unit.sentences > target + 2:
                    continue
                from_seed = sum(u.sentences for u in earlier if u.seed == unit.seed)
                if not fits_seed_share(from_seed, unit.sentences):
                    continue
                chosen.append(unit)
        chosen = _distinct_texts(chosen)
        if chosen:
            candidates.append(len(chosen))
            per_story.append(_most_per_story(sorted(u.sentences for u in chosen), room))
        else:
            candidates.append(1)
            per_story.append(1)
        done.add(phase)
        earlier += pool
    numerator = openings * math.prod(candidates)
    denominator = math.prod(per_story)
    value = -(-numerator // denominator)
    return _Bound(value, openings, len(intros), candidates, per_story, arc, row)


def _most_per_story(sizes: list[int], room: int) -> int:
    """How many of these units one phase can take: the sampler only takes a unit while the
    phase has fewer than `room` sentences, so all but the last unit taken fit below `room`."""
    taken, total = 1, 0
    for size in sizes[:-1]:
        total += size
        if total >= room:
            break
        taken += 1
    return taken


def _capacity(state: _State, culture: Culture) -> Capacity | None:
    genders = _genders(state.pronoun_weights)
    full, first = _hero_names(culture, genders)
    bounds = [_arc_bound(arc, row, state.units, full, first)
              for arc in state.arcs if arc.weight > 0 for row in arc.lengths]
    if not bounds:
        return None
    b = min(bounds, key=lambda x: x.value)
    explanation = (
        f"for the tightest arc {'>'.join(b.arc.phases)} with lengths {list(b.row)}: "
        f"{b.openings} openings ({b.intros} intro unit{'s' if b.intros != 1 else ''} x up to {full} hero names from culture "
        f"'{culture.name}') x {'*'.join(map(str, b.candidates))} first-ranked units per phase "
        f"/ {'*'.join(map(str, b.per_story))} (the most of them one story can hold)"
    )
    return Capacity(b.value, explanation)


# --- public API --------------------------------------------------------------------------------


def check_grammar_text(text: str, where: str, culture: Culture | None = None) -> tuple[list[Problem], Capacity | None]:
    """Every problem found in grammar JSON `text` (named `where` in locations), and the capacity.

    The capacity is computed only when there are no errors; `culture` defaults to the packaged
    kazakh pack. Never raises: whatever the text holds comes back as problems.
    """
    try:
        checker = _Checker(text, where)
        data = checker.run()
        if culture is None:
            try:
                culture = load_culture(DEFAULT_CULTURE)
            except GrammarError as exc:
                checker.problems.append((math.inf, Problem(where, f"cannot load culture pack: {exc}", WARNING)))
        if data is not None and culture is not None:
            checker.check_culture(culture)
        problems = checker.sorted_problems()
        capacity = None
        if data is not None and culture is not None and not any(p.severity == ERROR for p in problems):
            capacity = _capacity(checker.state, culture)
        return problems, capacity
    except Exception as exc:
        return [Problem(where, f"internal error while checking: {type(exc).__name__}: {exc}", ERROR)], None


def check_grammar_file(path: Path, culture: Culture | None = None) -> tuple[list[Problem], Capacity | None]:
    """Read a grammar file and check it; an unreadable or non-UTF-8 file is a problem too."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [Problem(str(path), f"cannot read grammar ({exc.strerror or exc})", ERROR)], None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [Problem(str(path), f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", ERROR)], None
    return check_grammar_text(text, str(path), culture)


def format_report(problems: list[Problem], capacity: Capacity | None, count: int | None = None) -> str:
    """The `storygen check` report: one line per problem, the capacity, and a --count warning."""
    lines = [str(p) for p in problems]
    if capacity is None:
        lines.append("capacity: not computed (fix the errors above first)")
    else:
        lines.append(f"capacity: at least {capacity.lower_bound} distinct stories ({capacity.explanation})")
        if count is not None and count > capacity.lower_bound:
            lines.append(f"warning: --count {count} is more than the {capacity.lower_bound} distinct stories "
                         f"this grammar is known to make, so some stories may repeat")
    return "\n".join(lines)

