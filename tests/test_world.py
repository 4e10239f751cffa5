"""Acceptance over every packaged culture, 300 stories each, default profile: each story keeps to
its own culture's world, names places and instruments by their kind, keeps real spelling, and
never calls a --set piano traditional."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import StoryGenerator
from generator.lint.check import check_grammar_text
from generator.lint.constraints import unmet_constraints
from generator.load.culture import available, load_culture
from generator.load.grammar import read_grammar
from generator.load.reader import Reader
from generator.load.templates import parse_template
from generator.model.constraints import derive
from generator.model.controls import Controls
from generator.model.culture import Culture
from generator.sample.controls import parse_settings

COUNT = 300
CULTURES = available()


def _world_words(c: Culture) -> set[str]:
    """The words of one culture's own world (places, instruments, landscapes, language, region)."""
    return {*(t.name for t in c.towns), c.capital, c.largest_city, c.country, c.region, c.region_adjective,
            c.language, *c.landscapes, *(i.name for i in c.instruments)}


def _own_words(c: Culture) -> set[str]:
    """Every word a culture's pack may put in its stories, the cities abroad and people's names
    included (Aksu is a Kazakh town and a Turkish surname)."""
    foreign = {w for f in c.foreign for w in (f.city, f.country, f.nationality, *f.landmarks)}
    names = {n for given in c.given_names.values() for n in given} | {s for pair in c.surnames for s in pair.values()}
    return _world_words(c) | foreign | names | {c.nationality, c.demonym, *c.genres}


def _found(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w'-]){re.escape(word)}(?![\w'-])", text) is not None


@pytest.fixture(scope="module")
def told() -> dict[str, tuple[Culture, list[str]]]:
    out = {}
    for name in CULTURES:
        generator = StoryGenerator.load(culture=name)
        out[name] = generator.culture, list(generator.texts(7, 0, COUNT))
    return out


@pytest.mark.parametrize("name", CULTURES)
def test_no_story_holds_another_cultures_world(name: str, told: dict[str, tuple[Culture, list[str]]]) -> None:
    culture, texts = told[name]
    own = {w.lower() for w in _own_words(culture)}
    others = {w for other in CULTURES if other != name for w in _world_words(load_culture(other))}
    foreign = sorted(w for w in others if w.lower() not in own)
    leaks = {(w, i) for i, text in enumerate(texts) for w in foreign if _found(w, text)}
    assert not leaks


@pytest.mark.parametrize("name", CULTURES)
def test_languages_regions_places_and_instruments_are_what_they_are(name: str,
                                                                    told: dict[str, tuple[Culture, list[str]]]) -> None:
    culture, texts = told[name]
    kinds = {t.name: t.kind for t in culture.towns} | {culture.capital: "capital", culture.largest_city: "city"}
    holds = {i.name: i.hold for i in culture.instruments}
    region = culture.region.removeprefix("the ")
    for text in texts:
        assert set(re.findall(r"\bthe ([A-Z]\w+) language\b", text)) <= {culture.language}
        assert f"traditional {region} instrument" not in text
        assert not (culture.region.endswith("s") and f"{culture.region}'s" in text)
        for place in re.findall(r"\bvillage of ([^\W\d][\w' -]*?)(?= in |,|\.)", text):
            assert kinds[place] == "village", place
        for instrument in re.findall(r"\blifted the (.+?) to \w+ chest\b|\b([\w ]+?) in hand\b", text):
            held = next(i for i in instrument if i)
            assert held not in holds or holds[held] == "held", held


@pytest.mark.parametrize("name", CULTURES)
def test_real_spelling_is_kept(name: str, told: dict[str, tuple[Culture, list[str]]]) -> None:
    culture, texts = told[name]
    spelled = [n for names in culture.given_names.values() for n in names if not n.isascii()]
    if spelled:  # names such as Órla or Çağrı are told as they are written
        assert any(not text.isascii() for text in texts)
        assert any(n in text for n in spelled for text in texts)


@pytest.mark.parametrize("name", CULTURES)
def test_a_set_piano_is_never_called_traditional(name: str) -> None:
    culture = load_culture(name)
    values, _ = parse_settings(["instrument=piano"], culture)
    generator = StoryGenerator.load(culture=name, controls=Controls(values=values))
    for text in generator.texts(7, 0, COUNT):
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            assert not ("piano" in sentence and "traditional" in sentence and "instrument" in sentence), sentence


@pytest.mark.parametrize(("template", "constraints"), [
    ("from the small village of {{ home }} in {{ country }}", ("home:kind=village",)),
    ("In the bustling streets of {{ home }}", ("home:kind=town|city|capital",)),
    ("she lifted the {{ instrument.name }} to {{ hero.their }} chest", ("instrument.name:hold=held",)),
    ("the {{ instrument.name }}, an ancient bowed instrument", ("instrument.name:played=bowed", "instrument.name:traditional=yes")),
    ("a rising star in {{ region }}'s music scene", ("region:possessive=yes",)),
    ("the intricacies of {{ nationality }} culture and language", ("nationality:language=yes",)),
    ("a ticket cost 500 tenge", ("world:currency=tenge",)),
    ("across the green hills of {{ country }}", ("world:landscape=hills",)),
    ("{{ hero.name }} played the {{ instrument.name }} every night", ()),
])
def test_constraints_are_read_from_a_templates_words(template: str, constraints: tuple[str, ...]) -> None:
    assert derive(parse_template(template)) == tuple(sorted(constraints))


def test_check_names_the_template_whose_stored_constraints_are_not_its_own(root: Path) -> None:
    import json

    raw = json.loads((root / "grammars" / "musician.json").read_text("utf-8"))
    sentence = next(s for u in raw["units"] for s in u["sentences"] if s["id"] == "003.02")
    sentence["constraints"] = []
    problems, _ = check_grammar_text(json.dumps(raw, indent=1), "g.json")
    assert [p.message for p in problems] == [
        "template 003.02: its words impose ['home:kind=village'], but the grammar stores [] (run storygen learn again)"]


def test_constraints_no_culture_value_meets_are_named(root: Path) -> None:
    r = Reader.parse("g.json", (root / "grammars" / "musician.json").read_text("utf-8"), collect=True)
    parts = read_grammar(r)
    assert parts is not None
    assert unmet_constraints(parts, load_culture("mexican")) == [
        "template 001.09: nationality:language=yes", "template 003.02: home:kind=village"]
    assert unmet_constraints(parts, load_culture("kazakh")) == []


def _line(sentence_id: str, constraint: str) -> int:
    """The line of the packaged grammar that holds a sentence's constraint."""
    lines = (Path(__file__).parent.parent / "grammars" / "musician.json").read_text("utf-8").splitlines()
    at = lines.index(f'     "id": "{sentence_id}",')
    return next(k for k in range(at, len(lines)) if f'"{constraint}"' in lines[k]) + 1


MEXICAN_WARNINGS = [
    f"grammars/musician.json:{_line('001.09', 'nationality:language=yes')}: $.units[12].sentences[2].constraints[0]: "
    "warning: template 001.09: culture 'mexican' has no value that meets nationality:language=yes, so its unit 001.07 is "
    "never told in that culture",
    f"grammars/musician.json:{_line('003.02', 'home:kind=village')}: $.units[27].sentences[0].constraints[0]: "
    "warning: template 003.02: culture 'mexican' has no value that meets home:kind=village, so its unit 003.02 is never "
    "told in that culture",
]
GEORGIAN_WARNING = (
    f"grammars/musician.json:{_line('000.14', 'region:possessive=yes')}: $.units[6].sentences[0].constraints[0]: "
    "warning: template 000.14: culture 'georgian' has no value that meets region:possessive=yes, so its unit 000.14 is "
    "never told in that culture")


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", "check", "grammars/musician.json", *args],
                          capture_output=True, text=True, cwd=root)


def _warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": warning: " in line]


def test_check_warns_of_each_template_a_culture_never_tells(root: Path) -> None:
    result = _check(root, "--culture", "mexican")
    assert result.returncode == 0 and result.stderr == ""  # warnings: the grammar still works
    assert _warnings(result) == MEXICAN_WARNINGS
    assert result.stdout.startswith(MEXICAN_WARNINGS[0] + "\n")  # before the capacity, as every problem is


@pytest.mark.parametrize("args", [(), ("--culture", "kazakh")])
def test_check_with_kazakh_warns_of_none(root: Path, args: tuple[str, ...]) -> None:
    result = _check(root, *args)
    assert result.returncode == 0 and _warnings(result) == []
    assert result.stdout.startswith("capacity: at least ")


def test_check_with_every_culture_names_each_pack_that_never_tells_a_template(root: Path) -> None:
    result = _check(root, "--culture", "all")
    assert result.returncode == 0 and result.stderr == ""
    assert _warnings(result) == [GEORGIAN_WARNING, *MEXICAN_WARNINGS]
    parts = read_grammar(Reader.parse("g.json", (root / "grammars" / "musician.json").read_text("utf-8"), collect=True))
    assert parts is not None
    named = {re.search(r"culture '(\w+)'", line).group(1) for line in _warnings(result)}  # type: ignore[union-attr]
    assert named == {name for name in CULTURES if unmet_constraints(parts, load_culture(name))} == {"georgian", "mexican"}


def test_check_with_an_unknown_culture_is_one_line(root: Path) -> None:
    result = _check(root, "--culture", "atlantis")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"storygen: error: unknown culture 'atlantis' (available: {', '.join(CULTURES)})\n"
