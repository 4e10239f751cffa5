"""Culture packs: every pack in grammars/cultures loads, stays clear of seed names, and is reproducible."""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from generator.errors import GrammarError
from generator.load import culture
from generator.model.slots import slot_table
from generator.model.templates import Slot

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "grammars" / "cultures"
PACKS = sorted(p.stem for p in PACK_DIR.glob("*.json"))
EXPECTED = {"kazakh", "uzbek", "turkish", "georgian", "mexican", "irish"}

#: The seed stories' characters: no pack may hand these out, not even inside a longer name.
FORBIDDEN = (
    "Bakhyt", "Ivan", "Ivanov", "Ivanova", "Baktybekova", "Baktybekov", "Valja", "Taro", "Babler",
    "Nurzhanova", "Nurzhanov",
)
NESTABLE = {"home", "country", "region"}


def raw(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((PACK_DIR / f"{name}.json").read_text("utf-8"))


def all_names(c: culture.Culture) -> list[str]:
    return [*c.given_names["male"], *c.given_names["female"], *(s[g] for s in c.surnames for g in ("male", "female"))]


def test_available_lists_all_six_packs() -> None:
    assert set(culture.available()) >= EXPECTED
    assert set(PACKS) >= EXPECTED


@pytest.mark.parametrize("name", PACKS)
def test_pack_loads(name: str) -> None:
    c = culture.load_culture(name)
    assert c.name == name


@pytest.mark.parametrize("name", PACKS)
def test_pack_keys_follow_the_kazakh_layout_and_text_keeps_its_spelling(name: str) -> None:
    assert list(raw(name)) == list(raw("kazakh"))
    text = (PACK_DIR / f"{name}.json").read_text("utf-8")
    assert unicodedata.normalize("NFC", text) == text
    if name in ("irish", "mexican", "turkish"):  # real spelling: Órla, Querétaro, İzmir
        assert not text.isascii()
    assert text.endswith("}\n")


@pytest.mark.parametrize("name", PACKS)
def test_no_seed_names(name: str) -> None:
    c = culture.load_culture(name)
    for person in all_names(c):
        for seed in FORBIDDEN:
            # Case-sensitive, as the sampler tests search stories: 'Tokhtarov' is fine, 'Taroev' is not.
            assert seed not in person, f"{name}: {person!r} contains seed name {seed!r}"
            assert seed.lower() != person.lower(), f"{name}: {person!r} is seed name {seed!r}"
    words = set(re.findall(r"[A-Za-z]+", json.dumps(raw(name))))
    assert not words & set(FORBIDDEN), f"{name}: uses {sorted(words & set(FORBIDDEN))}"


@pytest.mark.parametrize("name", PACKS)
def test_lists_are_unique(name: str) -> None:
    c = culture.load_culture(name)
    pack = raw(name)
    lists = {
        "towns": list(c.towns),
        "given_names.male": list(c.given_names["male"]),
        "given_names.female": list(c.given_names["female"]),
        "surnames.male": [s["male"] for s in c.surnames],
        "surnames.female": [s["female"] for s in c.surnames],
        "instruments": [i.name for i in c.instruments],
        "genres": list(c.genres),
        "albums": pack["albums"],
        "competitions": pack["competitions"],
        "foreign": [f.city for f in c.foreign],
    }
    for key, values in lists.items():
        assert values, f"{name}: {key} is empty"
        dupes = sorted({v for v in values if values.count(v) > 1})
        assert not dupes, f"{name}: {key} repeats {dupes}"


@pytest.mark.parametrize("name", PACKS)
def test_titles_nest_only_home_country_region(name: str) -> None:
    c = culture.load_culture(name)
    for title in (*c.albums, *c.competitions):
        keys = {p.key for p in title if isinstance(p, Slot)}
        assert keys <= NESTABLE, f"{name}: {title} nests {sorted(keys - NESTABLE)}"
        assert not any(p.filters for p in title if isinstance(p, Slot))


@pytest.mark.parametrize("name", PACKS)
def test_capital_and_largest_city_are_not_towns(name: str) -> None:
    c = culture.load_culture(name)
    assert c.capital not in c.towns
    assert c.largest_city not in c.towns


@pytest.mark.parametrize("name", PACKS)
def test_foreign_cities_have_two_landmarks(name: str) -> None:
    for city in raw(name)["foreign"]:
        assert len(city["landmarks"]) == 2 and len(set(city["landmarks"])) == 2, city


def test_generated_packs_match_their_build() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_cultures.py"), "--check"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_titles_cannot_nest_titles(tmp_path: Path) -> None:
    pack = raw("kazakh")
    pack["albums"] = ["Songs of {{ album }}"]
    path = tmp_path / "loop.json"
    path.write_text(json.dumps(pack))
    with pytest.raises(GrammarError) as excinfo:
        culture.load_culture(str(path))
    assert str(excinfo.value) == (f"{path}: $.albums[0]: a title may only nest home, capital, largest_city, country, "
                                  "region, nationality, not 'album'")


def test_titles_nest_the_slots_the_slot_table_marks() -> None:
    assert slot_table().nestable == culture.TITLE_SLOTS
    assert set(slot_table().nestable) >= NESTABLE


# --- broken packs: one fault each, one line each -----------------------------------------------

BROKEN_DIR = ROOT / "tests" / "data" / "cultures"
NESTS = "home, capital, largest_city, country, region, nationality"
BROKEN = {
    "bad_version.json": "$.format_version: unsupported format_version 3 (this storygen reads 2)",
    "capital_not_boolean.json": "$.foreign[1].capital: expected a boolean, got a string",
    "empty_country.json": "$.country: must not be empty",
    "name_not_a_string.json": "$.given_names.female[1]: expected a string, got an integer",
    "no_player.json": "$.instruments[1]: missing key 'player'",
    "no_surnames_key.json": "$: missing key 'surnames'",
    "no_towns.json": "$.towns: expected at least 1 town, got 0",
    "one_landmark.json": "$.foreign[2].landmarks: expected at least 2 landmarks, got 1",
    "surname_without_female.json": "$.surnames[1]: missing key 'female'",
    "title_nests_a_title.json": f"$.albums[1]: a title may only nest {NESTS}, not 'album'",
    "title_syntax_error.json": "$.competitions[1]: template syntax error: unexpected end of template, "
                               "expected 'end of print statement'.",
}
MESSAGES = {**{name: f"tests/data/cultures/{name}: {message}" for name, message in BROKEN.items()},
            "invalid_json.json": "tests/data/cultures/invalid_json.json:12:3: invalid JSON: Expecting ',' delimiter"}


@pytest.mark.parametrize(("name", "message"), sorted(MESSAGES.items()), ids=sorted(MESSAGES))
def test_a_broken_pack_is_one_line_naming_its_json_path(name: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(GrammarError) as excinfo:
        culture.load_culture(f"tests/data/cultures/{name}")
    assert str(excinfo.value) == message


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_broken_pack_is_minimal_plus_one_fault(name: str) -> None:
    base = (BROKEN_DIR / "minimal.json").read_text("utf-8").splitlines()
    text = (BROKEN_DIR / name).read_text("utf-8").splitlines()
    diff = list(difflib.unified_diff(base, text, n=0, lineterm=""))
    changed = [line for line in diff if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert 1 <= len(changed) <= 6


def test_the_minimal_pack_loads_and_generates() -> None:
    pack = culture.load_culture(str(BROKEN_DIR / "minimal.json"))
    assert pack.name == "minimal" and len(pack.foreign) == 3
    result = subprocess.run([sys.executable, "-m", "generator.cli", "--culture", "tests/data/cultures/minimal.json",
                             "--count", "1"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and result.stdout and result.stderr == ""


@pytest.mark.parametrize("name", ["no_player.json", "one_landmark.json", "invalid_json.json"])
def test_the_cli_reports_a_broken_pack_in_one_line(name: str) -> None:
    result = subprocess.run([sys.executable, "-m", "generator.cli", "--culture", f"tests/data/cultures/{name}",
                             "--count", "1"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"storygen: error: {MESSAGES[name]}\n"


def test_a_pack_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[]")
    with pytest.raises(GrammarError) as excinfo:
        culture.load_culture(str(path))
    assert str(excinfo.value) == f"{path}: $: expected an object, got an array"


def test_parse_culture_checks_nested_keys() -> None:
    pack = raw("kazakh")
    del pack["foreign"][0]["city"]
    with pytest.raises(GrammarError) as excinfo:
        culture.parse_culture(pack, "built")
    assert str(excinfo.value) == "built: $.foreign[0]: missing key 'city'"


# --- profiles ----------------------------------------------------------------------------------


def test_profiles_load() -> None:
    stress = culture.apply_profile(culture.load_culture("kazakh"), "stress")
    assert "Zoë" in stress.given_names["female"] and "O'Brien" in {s["male"] for s in stress.surnames}


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p["surnames"][2].pop("female"), "$.surnames[2]: missing key 'female'"),
    (lambda p: p["given_names"].update(male="Zoltán"), "$.given_names.male: expected an array, got a string"),
    (lambda p: p.update(towns=[]), "$.towns: expected at least 1 town, got 0"),
])
def test_a_broken_profile_names_its_json_path(change, message: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    profile = json.loads((ROOT / "grammars" / "profiles" / "stress.json").read_text("utf-8"))
    change(profile)
    (tmp_path / "profiles").mkdir()
    path = tmp_path / "profiles" / "stress.json"
    path.write_text(json.dumps(profile), "utf-8")
    kazakh = culture.load_culture("kazakh")
    monkeypatch.setattr(culture, "data_root", lambda: tmp_path)
    with pytest.raises(GrammarError) as excinfo:
        culture.apply_profile(kazakh, "stress")
    assert str(excinfo.value) == f"{path}: {message}"
