"""Loading a grammar: the typed reader, its two modes, and the first problem of each broken file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import GrammarError
from generator.load import grammar as grammar_io
from generator.load.reader import WARNING, Reader, Unreadable, format_path, locate, read_text

ROOT = Path(__file__).resolve().parent.parent
GRAMMARS = ROOT / "tests" / "data" / "grammars"
MUSICIAN = ROOT / "grammars" / "musician.json"
D = "tests/data/grammars"

# What loading each broken variant of minimal.json raises: its first problem, by JSON path.
FIRST_PROBLEM = {
    "bad_version.json": "$.format_version: unsupported format_version 99 (this storygen reads 1)",
    "empty_slots.json": "$.slots: no slots are defined, so no template can name a hero, place or instrument",
    "include.json": "$.units[6].sentences[0].template: 'include' blocks are not allowed (templates hold text and "
                    "{{ slot }} only)",
    "missing_units_key.json": "$: missing key 'units'",
    "negative_weight.json": "$.arcs[0].weight: weight must not be negative, got -1",
    "sandbox_escape.json": "$.units[6].sentences[0].template: only slot names such as {{ hero.name }} may appear "
                           "inside {{ }}",
    "syntax_error.json": "$.units[6].sentences[0].template: template syntax error: unexpected end of template, "
                         "expected 'end of print statement'.",
    "unknown_phase_arc.json": "$.arcs[0].phases[3]: unknown phase 'triumf' (known: origin, struggle, breakthrough, triumph)",
    "unknown_slot.json": "$.units[7].sentences[0].template: unknown slot 'instrumnet.name' (known: city, country, "
                         "hero.first, hero.name, hero.their, hero.they, home, instrument.name, instrument.player, scout.they)",
    "unreachable.json": "$.units[6].requires[0]: requires unknown unit '003.99', so this unit can never be chosen",
    "zero_weights.json": "$.pronouns: every pronoun set has weight 0, so no story can choose its pronouns",
}


@pytest.mark.parametrize(("name", "message"), sorted(FIRST_PROBLEM.items()), ids=sorted(FIRST_PROBLEM))
def test_loading_a_broken_grammar_names_its_first_problem(name: str, message: str) -> None:
    with pytest.raises(GrammarError) as caught:
        grammar_io.loads((GRAMMARS / name).read_text("utf-8"), f"{D}/{name}")
    assert str(caught.value) == f"{D}/{name}: {message}"


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(GrammarError) as caught:
        grammar_io.load(GRAMMARS / "invalid_json.json")
    assert str(caught.value) == f"{GRAMMARS / 'invalid_json.json'}:4:2: invalid JSON: Expecting ',' delimiter"


def test_nesting_too_deep_is_a_grammar_error() -> None:
    with pytest.raises(GrammarError, match=r"^g:1: invalid JSON: nested too deeply$"):
        grammar_io.loads("[" * 100_000, "g")


def _minimal() -> dict:  # type: ignore[type-arg]
    data: dict = json.loads((GRAMMARS / "minimal.json").read_text("utf-8"))  # type: ignore[type-arg]
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(name=None), "$.name: expected a string, got null"),
    (lambda d: d["slots"].update({"hero.name": {"label": "PERSON"}}), "$.slots[\"hero.name\"]: missing key 'entity'"),
    (lambda d: d["units"][1].update(events=[1]), "$.units[1].events[0]: expected a string, got an integer"),
    (lambda d: d["units"][2].update(id="003.02"), "$.units[2].id: duplicate unit id '003.02' (first at $.units[1])"),
    (lambda d: d["units"][0].update(intro=False), "$.units: no unit is marked intro, so no story can begin"),
    (lambda d: d["arcs"][0].update(lengths=[[1, 2, 3]]), "$.arcs[0].lengths[0]: expected 4 sentence counts (one per "
                                                          "phase), got 3"),
    (lambda d: d["arcs"][0].update(lengths=[5]), "$.arcs[0].lengths[0]: expected an array, got an integer"),
    (lambda d: d["seeds"][0]["paragraphs"].append("003.01"), "$.seeds[0].paragraphs[5]: expected an array, got a string"),
    (lambda d: d["pronouns"]["they"].update(forms={}), "$.pronouns.they.forms: pronoun set 'they' has no forms"),
])
def test_loading_names_the_json_path(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _minimal()
    change(data)
    with pytest.raises(GrammarError) as caught:
        grammar_io.loads(json.dumps(data, indent=1), "g.json")
    assert str(caught.value) == f"g.json: {message}"


def test_loading_ignores_unknown_keys() -> None:
    data = _minimal()
    data["units"][3]["extra"] = 1
    assert grammar_io.loads(json.dumps(data), "g.json").units[3].id == "003.05"


def test_a_loaded_grammar_round_trips() -> None:
    grammar = grammar_io.load(MUSICIAN)
    assert grammar_io.to_json(grammar) == MUSICIAN.read_text("utf-8")


# --- the reader --------------------------------------------------------------------------------


def test_strict_reader_raises_at_the_first_error_and_drops_warnings() -> None:
    reader = Reader("f.json", {"a": 1})
    reader.problem(("a",), "just so you know", WARNING)
    assert reader.integer(reader.root, "a", ()) == 1
    with pytest.raises(GrammarError, match=r"^f\.json: \$\.a: expected a string, got an integer$"):
        reader.string(reader.root, "a", ())


def test_collecting_reader_keeps_every_problem_with_its_line() -> None:
    text = '{\n "a": 1,\n "b": [true,\n  "x"]\n}\n'
    reader = Reader.parse("f.json", text, collect=True)
    root = reader.object(reader.root, (), ("a", "c"))
    assert root is not None
    assert reader.string(root, "a", ()) is None
    assert reader.strings(root, "b", ()) is None
    assert reader.array(root, "c", ()) is None
    assert [str(p) for p in reader.problems()] == [
        "f.json:1: $: error: missing key 'c'",
        "f.json:2: $.a: error: expected a string, got an integer",
        "f.json:3: $.b: warning: unknown key 'b' (expected: a, c)",
        "f.json:3: $.b[0]: error: expected a string, got a boolean",
    ]
    assert reader.has_errors


def test_collecting_reader_keeps_invalid_json_as_a_problem() -> None:
    reader = Reader.parse("f.json", '{\n "a": 1\n "b": 2\n}', collect=True)
    assert not reader.parsed
    assert [str(p) for p in reader.problems()] == ["f.json:3:2: error: invalid JSON: Expecting ',' delimiter"]


def test_lines_are_scanned_only_for_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.load.reader as reader_module

    def refuse(text: str) -> None:
        raise AssertionError("scanned for lines")

    monkeypatch.setattr(reader_module, "locate", refuse)
    reader = Reader.parse("f.json", MUSICIAN.read_text("utf-8"), collect=True)
    parts = grammar_io.read_grammar(reader)
    assert parts is not None and reader.problems() == []


def test_at_least_names_the_count() -> None:
    reader = Reader("f.json", {"landmarks": ["x"]})
    with pytest.raises(GrammarError, match=r"^f\.json: \$\.landmarks: expected at least 2 landmarks, got 1$"):
        reader.at_least(reader.root["landmarks"], 2, "landmarks", ("landmarks",))


def test_read_text_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(Unreadable) as caught:
        read_text(tmp_path / "nope.json", "grammar")
    assert str(caught.value) == f"{tmp_path / 'nope.json'}: cannot read grammar (No such file or directory)"
    latin = tmp_path / "latin1.json"
    latin.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(Unreadable) as caught:
        read_text(latin, "culture pack")
    assert caught.value.reason == "not UTF-8 text (byte 0xe9 at offset 13)"


def test_json_path_quotes_odd_keys() -> None:
    assert format_path(("slots", "hero.name", "label")) == '$.slots["hero.name"].label'
    assert format_path(("units", 3, "sentences", 0)) == "$.units[3].sentences[0]"
    assert format_path(()) == "$"


def test_locate_lines_of_paths() -> None:
    text = '{\n "a": [1,\n  {"b": "x\\"}\\n"},\n  []],\n "c": {}, "a2": {"d": null}\n}\n'
    lines = locate(text)
    assert lines[()] == 1
    assert lines[("a",)] == 2
    assert lines[("a", 0)] == 2
    assert lines[("a", 1)] == 3
    assert lines[("a", 1, "b")] == 3
    assert lines[("a", 2)] == 4
    assert lines[("c",)] == 5
    assert lines[("a2", "d")] == 5
    assert locate('{"k": 1, "k": {\n"x": 2}}')[("k", "x")] == 2  # the last duplicate wins, as in json
    assert locate('{"a": [1,\n 2') == {(): 1, ("a",): 1, ("a", 0): 1, ("a", 1): 2}  # cut short: what was found


def test_locate_agrees_with_the_musician_grammar() -> None:
    text = MUSICIAN.read_text("utf-8")
    data = json.loads(text)
    lines = locate(text)
    source = text.splitlines()
    for i, unit in enumerate(data["units"]):
        for j, sentence in enumerate(unit["sentences"]):
            line = lines[("units", i, "sentences", j, "template")]
            assert json.dumps(sentence["template"], ensure_ascii=False) in source[line - 1]
