"""`storygen check`: every problem of a grammar, located by file, line and JSON path."""

from __future__ import annotations

import copy
import dataclasses
import difflib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.engine import StoryGenerator
from generator.errors import GrammarError
from generator.lint import Capacity, Problem, check_grammar_file, check_grammar_text, format_report
from generator.load import grammar as grammar_io
from generator.load import grammar_writer
from generator.load.culture import load_culture
from generator.load.reader import format_path
from generator.model.culture import Culture
from generator.sample.unit_rules import MAX_OVERSHOOT

ROOT = Path(__file__).resolve().parent.parent
GRAMMARS = ROOT / "tests" / "data" / "grammars"
MUSICIAN = ROOT / "grammars" / "musician.json"
SLOTS = ("city, country, hero.first, hero.name, hero.their, hero.they, home, instrument.name, "
         "instrument.player, scout.they")
D = "tests/data/grammars"


@pytest.fixture(scope="module")
def kazakh() -> Culture:
    return load_culture("kazakh")


def check_file(name: str, culture: Culture | None = None) -> tuple[list[Problem], Capacity | None]:
    """Check a data file, naming it by its repository path so locations read the same anywhere."""
    return check_grammar_text((GRAMMARS / name).read_text("utf-8"), f"{D}/{name}", culture)


# --- the broken variants of minimal.json, one fault each -------------------------------------

BROKEN = {
    "invalid_json.json": [
        f"{D}/invalid_json.json:4:2: error: invalid JSON: Expecting ',' delimiter",
    ],
    "bad_version.json": [
        f"{D}/bad_version.json:2: $.format_version: error: unsupported format_version 99 (this storygen reads 1)",
    ],
    "unknown_slot.json": [
        f"{D}/unknown_slot.json:202: $.units[7].sentences[0].template: error: "
        f"unknown slot 'instrumnet.name' (known: {SLOTS})",
    ],
    "syntax_error.json": [
        f"{D}/syntax_error.json:187: $.units[6].sentences[0].template: error: "
        "template syntax error: unexpected end of template, expected 'end of print statement'.",
    ],
    "sandbox_escape.json": [
        f"{D}/sandbox_escape.json:187: $.units[6].sentences[0].template: error: "
        "only slot names such as {{ hero.name }} may appear inside {{ }}",
    ],
    "include.json": [
        f"{D}/include.json:187: $.units[6].sentences[0].template: error: "
        "'include' blocks are not allowed (templates hold text and {{ slot }} only)",
    ],
    "unknown_phase_arc.json": [
        f"{D}/unknown_phase_arc.json:54: $.arcs[0].phases[3]: error: "
        "unknown phase 'triumf' (known: origin, struggle, breakthrough, triumph)",
    ],
    "negative_weight.json": [
        f"{D}/negative_weight.json:59: $.arcs[0].weight: error: weight must not be negative, got -1",
    ],
    "zero_weights.json": [
        f"{D}/zero_weights.json:5: $.pronouns: error: every pronoun set has weight 0, so no story can choose its pronouns",
        f"{D}/zero_weights.json:52: $.arcs: error: every arc has weight 0, so no story can choose an arc",
    ],
    "missing_units_key.json": [
        f"{D}/missing_units_key.json:1: $: error: missing key 'units'",
    ],
    "empty_slots.json": [
        f"{D}/empty_slots.json:63: $.slots: error: no slots are defined, so no template can name a hero, place or instrument",
    ],
    "unreachable.json": [
        f"{D}/unreachable.json:183: $.units[6].requires[0]: error: requires unknown unit '003.99', so this unit can never be chosen",
    ],
    "phase_without_units.json": [
        f"{D}/phase_without_units.json:4: $.phases[3]: error: phase 'triumph' has no units, so stories tell nothing there",
    ],
}


@pytest.mark.parametrize(("name", "expected"), sorted(BROKEN.items()), ids=sorted(BROKEN))
def test_broken_grammar_reports_exactly(name: str, expected: list[str], kazakh: Culture) -> None:
    problems, capacity = check_file(name, kazakh)
    assert [str(p) for p in problems] == expected
    assert capacity is None  # not computed while there are errors
    assert format_report(problems, capacity, None).splitlines() == [
        *expected, "capacity: not computed (fix the errors above first)"]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_every_broken_file_is_minimal_plus_one_fault(name: str) -> None:
    """Each variant is minimal.json with one fault injected: at most a few lines added or changed."""
    base = (GRAMMARS / "minimal.json").read_text("utf-8").splitlines()
    text = (GRAMMARS / name).read_text("utf-8").splitlines()
    diff = list(difflib.unified_diff(base, text, n=0, lineterm=""))
    added = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
    assert 1 <= len(added) <= 4 or (not added and len(text) < len(base))


def test_the_line_points_at_the_fault() -> None:
    """The reported line of a template problem is the line holding that template."""
    problems, _ = check_file("unknown_slot.json")
    line = int(problems[0].location.split(":")[1])
    assert "{{ instrumnet.name }}" in (GRAMMARS / "unknown_slot.json").read_text("utf-8").splitlines()[line - 1]


def test_check_grammar_file_names_the_path(kazakh: Culture) -> None:
    path = GRAMMARS / "unknown_slot.json"
    problems, _ = check_grammar_file(path, kazakh)
    assert len(problems) == 1
    assert problems[0].location == f"{path}:202: $.units[7].sentences[0].template"


# --- valid grammars ----------------------------------------------------------------------------


def test_minimal_grammar_has_no_problems(kazakh: Culture) -> None:
    problems, capacity = check_file("minimal.json", kazakh)
    assert problems == []
    assert capacity is not None
    # One intro, every unit choice possibly forced; (46 + 42) given names x 48 surnames.
    assert capacity.lower_bound == 4224


def test_minimal_grammar_loads_and_generates(kazakh: Culture) -> None:
    grammar = grammar_io.load(GRAMMARS / "minimal.json")
    texts = list(StoryGenerator(grammar, kazakh).texts(seed=3, count=20))
    assert len(set(texts)) == 20


def test_musician_grammar_is_clean_with_a_large_capacity() -> None:
    problems, capacity = check_grammar_file(MUSICIAN)
    assert [p for p in problems if p.severity == "error"] == []
    assert problems == []  # no warnings either
    assert capacity is not None and capacity.lower_bound > 50_000  # whole scenes: fewer, longer units
    assert "\n" not in capacity.explanation


@pytest.mark.parametrize("culture_name", ["georgian", "irish", "mexican", "turkish", "uzbek"])
def test_musician_grammar_with_every_culture(culture_name: str) -> None:
    problems, capacity = check_grammar_file(MUSICIAN, load_culture(culture_name))
    # Only warnings of templates the pack never tells (georgian, mexican: tests/test_world.py).
    assert [str(p) for p in problems if p.severity == "error" or not p.message.endswith("is never told in that culture")] == []
    # Whole scenes make fewer, longer units; the Irish pack's curated names are fewer than Faker's were.
    assert capacity is not None and capacity.lower_bound > 40_000
    assert f"'{culture_name}'" in capacity.explanation


def test_several_packs_are_each_checked_and_the_capacity_is_the_least() -> None:
    packs = [load_culture(name) for name in ("kazakh", "georgian", "irish")]
    problems, capacity = check_grammar_file(MUSICIAN, packs)
    alone = [check_grammar_file(MUSICIAN, pack) for pack in packs]
    assert problems == [p for found, _ in alone for p in found] and len(problems) == 1  # georgian's one warning
    least = min((c for _, c in alone if c is not None), key=lambda c: c.lower_bound)
    assert capacity is not None and capacity.lower_bound == least.lower_bound and "'irish'" in capacity.explanation


def test_capacity_is_a_lower_bound_the_sampler_exceeds(kazakh: Culture) -> None:
    """With a tiny culture the bound is small enough to see the sampler make more stories."""
    tiny = dataclasses.replace(kazakh, given_names={"male": ("Adil", "Nurlan"), "female": ("Aida", "Dana")},
                               surnames=kazakh.surnames[:2])
    problems, capacity = check_grammar_file(MUSICIAN, tiny)
    assert problems == [] and capacity is not None
    assert capacity.lower_bound == 107  # pinned: recompute by hand if the grammar changes (see the explanation)
    generator = StoryGenerator(grammar_io.load(MUSICIAN), tiny)
    assert len(set(generator.texts(seed=5, count=2000))) >= capacity.lower_bound


# --- faults injected into minimal.json in the test ---------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _minimal() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GRAMMARS / "minimal.json").read_text("utf-8"))
    return data


def _set(path: tuple[Any, ...], value: Any) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def _all(*changes: Mutation) -> Mutation:
    def change(data: dict[str, Any]) -> None:
        for c in changes:
            c(data)
    return change


def _missing_forms(data: dict[str, Any]) -> None:
    data["slots"]["hero.theirs"] = {"label": "PRONOUN", "entity": "hero"}
    data["slots"]["scout.them"] = {"label": "PRONOUN", "entity": "scout"}
    data["units"][7]["sentences"][0]["template"] += " {{ hero.theirs }} {{ scout.them }}"
    del data["pronouns"]["they"]["forms"]["theirs"]
    del data["pronouns"]["she"]["forms"]["them"]


def _unfilled_slot(data: dict[str, Any]) -> None:
    data["slots"]["band"] = {"label": "ORG", "entity": "band"}
    data["units"][7]["sentences"][0]["template"] += " {{ band }}"


def _three_cycle(data: dict[str, Any]) -> None:
    data["units"][6]["requires"] = ["003.16"]
    data["units"][7]["requires"] = ["003.07"]
    data["units"][4]["requires"] = ["003.14"]


def _wrong_types(data: dict[str, Any]) -> None:
    data["name"] = None
    data["units"][0]["intro"] = "yes"
    data["units"][1]["events"] = [1]
    data["slots"]["home"] = {"label": 3}
    del data["units"][2]["sentences"][0]["source"]
    data["units"][3]["extra"] = 1


INJECTED: dict[str, tuple[Mutation, list[str]]] = {
    "duplicate unit id": (_set(("units", 2, "id"), "003.02"), [
        "$.units[2].id: error: duplicate unit id '003.02' (first at $.units[1])"]),
    "duplicate sentence id": (_set(("units", 2, "sentences", 0, "id"), "003.09"), [
        "$.units[5].sentences[1].id: error: duplicate sentence id '003.09' (first at $.units[2].sentences[0])"]),
    "requires itself": (_set(("units", 2, "requires"), ["003.04"]), [
        "$.units[2]: warning: unit '003.04' can never be chosen: it requires itself"]),
    "cycle": (_three_cycle, [
        "$.units[4]: warning: unit '003.07' can never be chosen: it is in a cycle of requirements "
        "(003.07 -> 003.14 -> 003.16 -> 003.07)",
        "$.units[6]: warning: unit '003.14' can never be chosen: it is in a cycle of requirements "
        "(003.14 -> 003.16 -> 003.07 -> 003.14)",
        "$.units[7]: warning: unit '003.16' can never be chosen: it is in a cycle of requirements "
        "(003.16 -> 003.07 -> 003.14 -> 003.16)"]),
    "requires a later phase": (_set(("units", 1, "requires"), ["003.14"]), [
        "$.units[1]: warning: unit '003.02' can never be chosen: it requires unit '003.14' of phase 'triumph', "
        "which no arc tells before phase 'origin'"]),
    "requires an unreachable unit": (_all(_set(("units", 3, "requires"), ["003.05"])), [
        "$.units[3]: warning: unit '003.05' can never be chosen: it requires itself",
        "$.units[5]: warning: unit '003.08' can never be chosen: it requires unit '003.05', "
        "which can never be chosen itself"]),
    "shares an event with what it requires": (_set(("units", 5, "events"), ["concert", "city"]), [
        "$.units[5]: warning: unit '003.08' can never be chosen: it shares event 'city' with unit '003.05', "
        "which it requires"]),
    "intro of a phase no arc starts with": (_set(("units", 6, "intro"), True), [
        "$.units[6]: warning: unit '003.14' can never be chosen: it is an intro unit of phase 'triumph', "
        "and no arc starts with that phase"]),
    "arc starting without an intro": (_all(_set(("arcs", 0, "phases"), ["struggle", "breakthrough", "triumph"]),
                                           _set(("arcs", 0, "lengths"), [[2, 2, 2]])), [
        "$.phases[0]: warning: no arc passes through phase 'origin', so its 2 unit(s) are never used",
        "$.arcs[0].phases[0]: warning: no intro unit has phase 'struggle', so stories of this arc begin without "
        "an introduction"]),
    "no intro": (_set(("units", 0, "intro"), False), [
        "$.units: error: no unit is marked intro, so no story can begin"]),
    "unknown unit phase": (_set(("units", 3, "phase"), "coda"), [
        "$.units[3].phase: error: unknown phase 'coda' (known: origin, struggle, breakthrough, triumph)"]),
    "bad lengths": (_set(("arcs", 0, "lengths"), [[1, 2, 3], [0, 1, 1, 1], [1, "x", 1, 1], 5, []]), [
        "$.arcs[0].lengths[0]: error: expected 4 sentence counts (one per phase), got 3",
        "$.arcs[0].lengths[1]: error: sentence counts must be positive integers, got 0",
        "$.arcs[0].lengths[2]: error: sentence counts must be positive integers, got \"x\"",
        "$.arcs[0].lengths[3]: error: expected an array, got an integer",
        "$.arcs[0].lengths[4]: error: expected 4 sentence counts (one per phase), got 0"]),
    "no lengths": (_set(("arcs", 0, "lengths"), []), [
        "$.arcs[0].lengths: error: an arc needs at least one list of sentence counts"]),
    "negative pronoun weight": (_set(("pronouns", "she", "weight"), -2), [
        "$.pronouns.she.weight: error: weight must not be negative, got -2"]),
    "empty pronoun forms": (_set(("pronouns", "they", "forms"), {}), [
        "$.pronouns.they.forms: error: pronoun set 'they' has no forms",
        "$.units[0].sentences[0].template: error: slot 'hero.their' needs the form 'their' in every pronoun set "
        "with a positive weight, but 'they' has none",
        "$.units[2].sentences[0].template: error: slot 'hero.they' needs the form 'they' in every pronoun set "
        "with a positive weight, but 'they' has none"]),
    "missing pronoun forms": (_missing_forms, [
        "$.units[7].sentences[0].template: error: slot 'hero.theirs' needs the form 'theirs' in every pronoun "
        "set with a positive weight, but 'they' has none",
        "$.units[7].sentences[0].template: error: slot 'scout.them' needs the form 'them' in pronoun set 'she'"]),
    "role pronouns without a 'she' set": (lambda d: d["pronouns"].pop("she"), [
        "$.pronouns: error: slots give 'scout' pronouns, which are drawn from the 'he' and 'she' sets, "
        "but there is no 'she' set"]),
    "declared slot nobody fills": (_unfilled_slot, [
        "$.units[7].sentences[0].template: error: slot 'band' is declared in $.slots, but storygen has no value "
        "for it (it fills the culture's names and places, hero.age, and pronoun forms)"]),
    "unknown filter": (_set(("units", 6, "sentences", 0, "template"), "{{ hero.name|upper }}"), [
        "$.units[6].sentences[0].template: error: unknown filter 'upper' (known: a, bare, cap)"]),
    "for block": (_set(("units", 6, "sentences", 0, "template"), "{% for x in y %}{{ x }}{% endfor %}"), [
        "$.units[6].sentences[0].template: error: 'for' blocks are not allowed (templates hold text and "
        "{{ slot }} only)"]),
    "empty everything": (lambda d: d.update(phases=[], arcs=[], units=[], pronouns={}), [
        "$.phases: error: no phases are defined",
        "$.pronouns: error: no pronoun sets are defined",
        "$.arcs: error: no arcs are defined, so no story has a shape",
        "$.units: error: no units are defined, so there is nothing to tell"]),
    "duplicate phase": (_set(("phases",), ["origin", "struggle", "breakthrough", "triumph", "origin"]), [
        "$.phases[4]: error: duplicate phase 'origin'"]),
    "wrong types": (_wrong_types, [
        "$.name: error: expected a string, got null",
        "$.slots.home: error: missing key 'entity'",
        "$.slots.home.label: error: expected a string, got an integer",
        "$.units[0].intro: error: expected a boolean, got a string",
        "$.units[1].events[0]: error: expected a string, got an integer",
        "$.units[2].sentences[0]: error: missing key 'source'",
        "$.units[3].extra: warning: unknown key 'extra' (expected: id, phase, intro, events, requires, literals, sentences)"]),
    "top level empty": (lambda d: d.clear(), [
        f"$: error: missing key '{key}'"
        for key in ("format_version", "name", "phases", "pronouns", "arcs", "slots", "units", "seeds")]),
}


def _without_line(problem: Problem) -> str:
    """`where:LINE: PATH: severity: message` without `where:LINE: `."""
    return str(problem).split(": ", 1)[1]


@pytest.mark.parametrize(("name"), sorted(INJECTED))
def test_injected_faults(name: str, kazakh: Culture) -> None:
    mutate, expected = INJECTED[name]
    data = _minimal()
    mutate(data)
    problems, capacity = check_grammar_text(json.dumps(data, indent=1), "g.json", kazakh)
    assert [_without_line(p) for p in problems] == expected
    assert all(p.location.startswith("g.json:") for p in problems)
    if any(p.severity == "error" for p in problems):
        assert capacity is None
    else:
        assert capacity is not None and capacity.lower_bound >= 1


def test_problems_come_in_line_order(kazakh: Culture) -> None:
    data = _minimal()
    _wrong_types(data)
    problems, _ = check_grammar_text(json.dumps(data, indent=1), "g.json", kazakh)
    lines = [int(p.location.split(":")[1]) for p in problems]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


def test_a_slot_key_with_dots_is_located(kazakh: Culture) -> None:
    data = _minimal()
    data["slots"]["hero.name"] = {"label": "PERSON"}
    text = json.dumps(data, indent=1)
    problems, _ = check_grammar_text(text, "g.json", kazakh)
    assert [_without_line(p) for p in problems] == ["$.slots[\"hero.name\"]: error: missing key 'entity'"]
    line = int(problems[0].location.split(":")[1])
    assert '"hero.name": {' in text.splitlines()[line - 1]


# --- the linter runs the loader's rules and the sampler's ------------------------------------


# A phase without units is the linter's finding about the whole grammar, not a loading error.
LOADING_ERRORS = sorted(set(BROKEN) - {"invalid_json.json", "phase_without_units.json"})


@pytest.mark.parametrize("name", LOADING_ERRORS)
def test_loader_and_linter_report_the_same_problem(name: str, kazakh: Culture) -> None:
    """One home per rule: loading a one-fault file raises the linter's error, less its line."""
    text = (GRAMMARS / name).read_text("utf-8")
    problems, _ = check_grammar_text(text, f"{D}/{name}", kazakh)
    errors = [p for p in problems if p.severity == "error"]
    with pytest.raises(GrammarError) as caught:
        grammar_io.loads(text, f"{D}/{name}")
    where, _, path = errors[0].location.partition(": ")
    assert str(caught.value) == f"{where.rsplit(':', 1)[0]}: {path}: {errors[0].message}"


def test_a_unit_that_needs_an_intro_the_arc_never_opens_with(kazakh: Culture) -> None:
    """The sampler takes an intro only from the arc's first phase; the linter says the same."""
    data = _minimal()
    data["arcs"][0]["phases"] = ["origin", "struggle", "breakthrough", "triumph"]
    data["units"][0]["phase"] = "struggle"  # the intro, now in a phase no arc opens with
    data["units"][2]["requires"] = ["003.01"]
    problems, capacity = check_grammar_text(json.dumps(data, indent=1), "g.json", kazakh)
    assert [_without_line(p) for p in problems] == [
        "$.arcs[0].phases[0]: warning: no intro unit has phase 'origin', so stories of this arc begin without an "
        "introduction",
        "$.units[0]: warning: unit '003.01' can never be chosen: it is an intro unit of phase 'struggle', and no arc "
        "starts with that phase",
        "$.units[2]: warning: unit '003.04' can never be chosen: it requires unit '003.01', which can never be chosen "
        "itself"]
    assert capacity is not None and "no intro unit" in capacity.explanation
    generator = StoryGenerator(grammar_io.loads(json.dumps(data), "g.json"), kazakh)
    told = {unit.id for plan in generator.plans(seed=1, count=300) for unit in plan.units}
    assert told.isdisjoint({"003.01", "003.04"}) and len(told) > 3


def test_every_story_needs_the_other_characters_pronoun_sets(kazakh: Culture) -> None:
    """The sampler draws a mentor's pronouns from 'he' and 'she' for every story, scout or not."""
    data = _minimal()
    del data["pronouns"]["she"]
    del data["slots"]["scout.they"]
    data["units"][5]["sentences"][2]["template"] = "He offered {{ hero.name }} a record deal."
    problems, capacity = check_grammar_text(json.dumps(data, indent=1), "g.json", kazakh)
    assert [_without_line(p) for p in problems] == [
        "$.pronouns: error: every story draws its mentor's pronouns from the 'he' and 'she' sets, but there is no "
        "'she' set"]
    assert capacity is None


@pytest.mark.parametrize(("size", "taken"), [(1 + MAX_OVERSHOOT, True), (2 + MAX_OVERSHOOT, False)])
def test_the_overshoot_the_capacity_assumes_is_the_samplers(size: int, taken: bool, kazakh: Culture) -> None:
    """After a one-sentence intro, an origin unit may take the phase MAX_OVERSHOOT past its target."""
    data = _minimal()
    data["arcs"][0]["lengths"] = [[2, 2, 2, 2]]
    unit = data["units"][1]  # 003.02, the other origin unit
    unit["sentences"] = [dict(unit["sentences"][0], id=f"o{i}") for i in range(size)]
    generator = StoryGenerator(grammar_io.loads(json.dumps(data), "g.json"), kazakh)
    told = {u.id for plan in generator.plans(seed=1, count=300) for u in plan.units}
    assert ("003.02" in told) is taken


# --- culture packs -----------------------------------------------------------------------------


def test_culture_lists_the_grammar_uses_must_not_be_empty(kazakh: Culture) -> None:
    culture = dataclasses.replace(kazakh, towns=(), genres=())
    problems, capacity = check_file("minimal.json", culture)
    assert [str(p) for p in problems] == [
        # with no towns, only the capital and the largest city are left, and neither is a village
        f"{D}/minimal.json:98: $.units[1].sentences[0].constraints[0]: warning: template 003.02: culture 'kazakh' "
        "has no value that meets home:kind=village, so its unit 003.02 is never told in that culture",
        f"{D}/minimal.json:100: $.units[1].sentences[0].template: error: "
        "slot 'home' is filled from culture 'kazakh', whose towns is empty",
        # minimal.json uses no genre, but the sampler draws one for every story all the same
        "culture 'kazakh': error: genres is empty, and the sampler draws from it for every story",
    ]
    assert capacity is None


def test_given_names_are_needed_only_for_genders_the_pronouns_give(kazakh: Culture) -> None:
    culture = dataclasses.replace(kazakh, given_names={"male": kazakh.given_names["male"], "female": ()})
    data = _minimal()
    data["pronouns"]["she"]["weight"] = 0
    data["pronouns"]["they"]["weight"] = 0
    problems, capacity = check_grammar_text(json.dumps(data, indent=1), "g.json", culture)
    assert problems == []
    assert capacity is not None and capacity.lower_bound == 46 * 48
    problems, _ = check_file("minimal.json", culture)
    assert [_without_line(p) for p in problems] == [
        "$.units[0].sentences[0].template: error: slot 'hero.name' is filled from culture 'kazakh', "
        "whose given_names is empty"]


def test_culture_titles_must_only_use_filled_slots(kazakh: Culture) -> None:
    from generator.load.templates import parse_template

    culture = dataclasses.replace(kazakh, albums=(parse_template("Songs of {{ band }}"),))
    problems, _ = check_file("minimal.json", culture)
    assert [str(p) for p in problems] == [
        "culture 'kazakh': error: a title in albums uses slot 'band', which has no value when titles are filled"]


def test_default_culture_is_kazakh() -> None:
    _, capacity = check_file("minimal.json")
    assert capacity is not None and "'kazakh'" in capacity.explanation


# --- files, reports and the locator ------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    problems, capacity = check_grammar_file(path)
    assert [str(p) for p in problems] == [f"{path}: error: cannot read grammar (No such file or directory)"]
    assert capacity is None


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"name": "caf\xe9"}')
    problems, _ = check_grammar_file(path)
    assert [str(p) for p in problems] == [f"{path}: error: not UTF-8 text (byte 0xe9 at offset 13)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "g:1:1: error: invalid JSON: Expecting value"),
        ("[1, 2]", "g:1: $: error: the top level must be a JSON object, got an array"),
        ('"grammar"', "g:1: $: error: the top level must be a JSON object, got a string"),
        ('{\n "a": 1\n "b": 2\n}', "g:3:2: error: invalid JSON: Expecting ',' delimiter"),
        ("[" * 100_000, "g:1: error: invalid JSON: nested too deeply"),
    ],
)
def test_not_a_grammar_object(text: str, expected: str) -> None:
    problems, capacity = check_grammar_text(text, "g")
    assert [str(p) for p in problems] == [expected]
    assert capacity is None


def test_format_report() -> None:
    problem = Problem("g.json:7: $.units[0]", "something is off", "warning")
    assert str(problem) == "g.json:7: $.units[0]: warning: something is off"
    capacity = Capacity(120, "why")
    assert format_report([problem], capacity, None) == (
        "g.json:7: $.units[0]: warning: something is off\ncapacity: at least 120 distinct stories (why)")
    assert format_report([], capacity, 120) == "capacity: at least 120 distinct stories (why)"
    assert format_report([], capacity, 121).splitlines() == [
        "capacity: at least 120 distinct stories (why)",
        "warning: --count 121 is more than the 120 distinct stories this grammar is known to make, "
        "so some stories may repeat",
    ]
    assert format_report([], None, 10) == "capacity: not computed (fix the errors above first)"


def test_report_for_the_musician_grammar() -> None:
    problems, capacity = check_grammar_file(MUSICIAN)
    report = format_report(problems, capacity, 10).splitlines()
    assert report[0].startswith("capacity: at least ") and capacity is not None
    assert report[1:] == [str(size) for size in capacity.lattices] and len(report) > 60
    assert all(re.fullmatch(r"lattice \d{3}\.\d{2}: \d+ choice point\(s\), \d+ path\(s\)", line) for line in report[1:])


# --- never raises ------------------------------------------------------------------------------

REAL_TEXT = MUSICIAN.read_text("utf-8")
REAL = json.loads(REAL_TEXT)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            found += _paths(value, (*path, k))
    return found


PATHS = _paths(REAL)
TEMPLATES = [p for p in PATHS if p[-1] == "template"]
CORE_PATHS = [p for p in PATHS if p[0] != "seeds"]  # most of the file is seed text: favour the rest

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 30) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
template_junk = st.lists(st.sampled_from(list("{}%#-+|.'\"()[]_ ") + ["{{", "}}", "{%", "%}", "hero", "x"]),
                         max_size=8).map("".join)


def _kind(value: Any) -> str:
    return "int" if isinstance(value, int) and not isinstance(value, bool) else type(value).__name__


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def mutated_grammars(draw: st.DrawFn) -> str:
    data = copy.deepcopy(REAL)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "replace", "template", "truncate"]))
        paths = _paths(data)
        core = [p for p in paths if p[0] != "seeds"] or paths
        if kind == "delete" and core:
            path = draw(st.sampled_from(core))
            parent = _parent(data, path)
            del parent[path[-1]]
        elif kind == "replace" and core:
            path = draw(st.sampled_from(core))
            parent = _parent(data, path)
            old = parent[path[-1]]
            parent[path[-1]] = draw(json_values.filter(lambda v, old=old: _kind(v) != _kind(old)))
        elif kind == "template":
            templates = [p for p in paths if p[-1] == "template" and isinstance(_parent(data, p)[p[-1]], str)]
            if templates:
                path = draw(st.sampled_from(templates))
                parent = _parent(data, path)
                at = draw(st.integers(0, len(parent[path[-1]])))
                parent[path[-1]] = parent[path[-1]][:at] + draw(template_junk) + parent[path[-1]][at:]
    text = grammar_writer._compact_leaves(json.dumps(data, indent=1, ensure_ascii=False)) + "\n"
    if draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text


def _assert_well_formed(problems: Any, capacity: Any) -> None:
    assert isinstance(problems, list)
    assert all(isinstance(p, Problem) for p in problems)
    assert all(p.severity in ("error", "warning") for p in problems)
    assert not any("internal error" in p.message for p in problems)
    assert capacity is None or (isinstance(capacity, Capacity) and capacity.lower_bound >= 1)
    format_report(problems, capacity, 10**9)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_grammars())
def test_checker_never_raises_on_mutated_grammars(text: str) -> None:
    problems, capacity = check_grammar_text(text, "mutant.json", KAZAKH)
    _assert_well_formed(problems, capacity)
    if capacity is None:
        assert any(p.severity == "error" for p in problems)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(REAL_TEXT)), st.text(max_size=5))
def test_checker_never_raises_on_truncated_or_spliced_text(offset: int, junk: str) -> None:
    _assert_well_formed(*check_grammar_text(REAL_TEXT[:offset], "cut.json", KAZAKH))
    _assert_well_formed(*check_grammar_text(REAL_TEXT[:offset] + junk + REAL_TEXT[offset:], "splice.json", KAZAKH))


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_checker_never_raises_on_any_json(value: Any) -> None:
    _assert_well_formed(*check_grammar_text(json.dumps(value), "any.json", KAZAKH))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TEMPLATES), template_junk)
def test_mutated_templates_are_problems_or_accepted(path: tuple[Any, ...], junk: str) -> None:
    """A mangled template is reported with its own path, or it is still a valid template."""
    data = copy.deepcopy(REAL)
    parent = _parent(data, path)
    parent[path[-1]] = junk + parent[path[-1]]
    problems, _ = check_grammar_text(json.dumps(data, indent=1), "t.json", KAZAKH)
    _assert_well_formed(problems, None)
    assert all(p.location.endswith(format_path(path)) for p in problems if p.severity == "error")


KAZAKH = load_culture("kazakh")
