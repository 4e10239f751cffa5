"""Culture packs: every pack in grammars/cultures loads, stays clear of seed names, and is reproducible."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load import culture
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
def test_pack_keys_follow_the_kazakh_layout_and_text_is_ascii(name: str) -> None:
    assert list(raw(name)) == list(raw("kazakh"))
    text = (PACK_DIR / f"{name}.json").read_text("utf-8")
    assert text.isascii()
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


def test_titles_cannot_nest_titles(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json as _json

    from generator.errors import GrammarError as _GrammarError
    from generator.load.culture import load_culture as _load

    raw = _json.loads((Path(__file__).resolve().parent.parent / "grammars" / "cultures" / "kazakh.json").read_text())
    raw["albums"] = ["Songs of {{ album }}"]
    path = tmp_path / "loop.json"
    path.write_text(_json.dumps(raw))
    with pytest.raises(_GrammarError) as excinfo:
        _load(str(path))
    assert str(excinfo.value) == (f"{path}: albums[0]: a title may only nest home, country, region, capital, "
                                  "largest_city, nationality, not 'album'")
