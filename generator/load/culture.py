"""Reading culture packs and profiles, through the typed reader: every key and value type is
checked, nested ones included, and the first problem is one line naming its JSON path."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import GrammarError, UsageError
from ..model.constraints import world
from ..model.culture import Culture, ForeignCity, Instrument, Settlement
from ..model.slots import slot_table
from ..model.templates import Part, Slot
from ..paths import data_root
from .reader import BOOLEAN, JsonPath, Reader, complete, read_text

FORMAT_VERSION = 2
GENDERS = ("male", "female")
TEXT_KEYS = ("name", "description", "country", "region", "region_adjective", "nationality", "demonym", "capital",
             "largest_city", "language", "currency")
CULTURE_KEYS = ("format_version", *TEXT_KEYS[:2], "sources", *TEXT_KEYS[2:], "landscapes", "towns", "given_names",
                "surnames", "instruments", "genres", "albums", "competitions", "foreign")
PROFILE_KEYS = ("format_version", "name", "description", "given_names", "surnames", "towns")
INSTRUMENT_KEYS = ("name", "player", "family", "played", "hold", "traditional")
TOWN_KEYS = ("name", "kind")
# The facts an instrument's entry may hold, in the words templates use for them.
FAMILIES = ("string", "wind", "percussion", "keyboard")
PLAYED = ("bowed", "plucked", "struck", "blown")
HOLDS = ("held", "seated", "carried")
FOREIGN_KEYS = ("city", "country", "nationality", "capital", "landmarks")

# The slots a title may nest ('Tales of {{ home }}'), as the slot table marks them. The sampler
# reads this name; new code should ask slot_table().nestable.
TITLE_SLOTS = slot_table().nestable


def culture_dir() -> Path:
    """Where the packaged culture packs live."""
    return data_root() / "cultures"


def available() -> list[str]:
    """Names of the packaged culture packs."""
    return sorted(p.stem for p in culture_dir().glob("*.json"))


def culture_path(name_or_path: str) -> Path:
    """The file a culture pack is read from: a packaged pack by name, or a .json path as given."""
    path = Path(name_or_path)
    if path.suffix == ".json":
        return path
    path = culture_dir() / f"{name_or_path}.json"
    if not path.is_file():
        raise GrammarError(f"unknown culture '{name_or_path}' (available: {', '.join(available())})")
    return path


def load_culture(name_or_path: str) -> Culture:
    """Load a packaged pack by name, or any pack by file path."""
    path = culture_path(name_or_path)
    culture = read_culture(Reader.parse(str(path), read_text(path, "culture pack")))
    assert culture is not None  # a strict reader raises instead
    return culture


def parse_culture(raw: Any, where: str) -> Culture:
    """Validate a parsed culture pack."""
    culture = read_culture(Reader(where, raw))
    assert culture is not None  # a strict reader raises instead
    return culture


def read_culture(r: Reader) -> Culture | None:
    """Validate a culture pack, key by key (None from a collecting reader if anything is wrong)."""
    raw = r.object(r.root, (), CULTURE_KEYS)
    if raw is None or not _version(r, raw):
        return None
    texts = {key: _text(r, raw, key, ()) for key in TEXT_KEYS}
    landscapes = _texts(r, raw, "landscapes", (), 2, "landscape")
    towns = _towns(r, raw)
    given_names = _given_names(r, raw, ())
    surnames = _surnames(r, raw, ())
    instruments = _instruments(r, raw)
    genres = _texts(r, raw, "genres", (), 1, "genre")
    albums = _titles(r, raw, "albums", "album")
    competitions = _titles(r, raw, "competitions", "competition")
    foreign = _foreign(r, raw)
    found = {key: text for key, text in texts.items() if text is not None}
    if found.get("region_adjective") is not None and found["region_adjective"] == found.get("region", "").removeprefix("the "):
        r.problem(("region_adjective",), f"'{found['region_adjective']}' is the region's name, not an adjective (say 'Caucasian', not 'Caucasus')")
        return None
    if (len(found) < len(texts) or landscapes is None or towns is None or given_names is None or surnames is None or instruments is None
            or genres is None or albums is None or competitions is None or foreign is None):
        return None
    return Culture(**found, landscapes=landscapes, towns=towns, given_names=given_names, surnames=surnames, instruments=instruments,
                   genres=genres, albums=albums, competitions=competitions, foreign=foreign)


PROFILES = ("default", "stress")


def apply_profile(culture: Culture, profile: str) -> Culture:
    """Overlay a profile's names and towns on a culture pack ('default' changes nothing)."""
    if profile == "default":
        return culture
    if profile not in PROFILES:
        raise UsageError(f"--profile {profile}: unknown profile (known: {', '.join(PROFILES)})")
    path = data_root() / "profiles" / f"{profile}.json"
    r = Reader.parse(str(path), read_text(path, "profile"))
    raw = r.object(r.root, (), PROFILE_KEYS)
    if raw is None or not _version(r, raw):
        return culture
    given_names, surnames = _given_names(r, raw, ()), _surnames(r, raw, ())
    towns = _towns(r, raw)
    if given_names is None or surnames is None or towns is None:
        return culture
    return replace(culture, given_names=given_names, surnames=surnames, towns=towns)


# --- the pieces of a pack ----------------------------------------------------------------------


def _version(r: Reader, raw: dict[str, Any]) -> bool:
    version = r.integer(raw, "format_version", ())
    if version is not None and version != FORMAT_VERSION:
        r.problem(("format_version",), f"unsupported format_version {version} (this storygen reads {FORMAT_VERSION})")
        return False
    return version is not None


def _text(r: Reader, obj: dict[str, Any], key: str, path: JsonPath) -> str | None:
    """A string that is not empty."""
    text = r.string(obj, key, path)
    if text == "":
        r.problem((*path, key), "must not be empty")
        return None
    return text


def _texts(r: Reader, obj: dict[str, Any], key: str, path: JsonPath, least: int, noun: str) -> tuple[str, ...] | None:
    """A list of at least `least` strings, none of them empty (`noun` names one)."""
    items = r.strings(obj, key, path)
    if items is None or not r.at_least(items, least, noun if least == 1 else f"{noun}s", (*path, key)):
        return None
    if "" in items:
        r.problem((*path, key, items.index("")), "must not be empty")
        return None
    return tuple(items)


def _given_names(r: Reader, raw: dict[str, Any], path: JsonPath) -> dict[str, tuple[str, ...]] | None:
    names = r.mapping(raw, "given_names", path, GENDERS)
    if names is None:
        return None
    found = {gender: _texts(r, names, gender, (*path, "given_names"), 1, "name") for gender in GENDERS}
    known = {gender: given for gender, given in found.items() if given is not None}
    return known if len(known) == len(found) else None


def _surnames(r: Reader, raw: dict[str, Any], path: JsonPath) -> tuple[dict[str, str], ...] | None:
    """Surnames as {"male": ..., "female": ...} pairs."""
    return _records(r, raw, "surnames", path, GENDERS, "surname")


def _towns(r: Reader, raw: dict[str, Any]) -> tuple[Settlement, ...] | None:
    """Places to come from, each with its kind of settlement."""
    records = _records(r, raw, "towns", (), TOWN_KEYS, "town")
    if records is None or not _one_of(r, records, "towns", "kind", world().settlement_kinds):
        return None
    return tuple(Settlement(record["name"], record["kind"]) for record in records)


def _instruments(r: Reader, raw: dict[str, Any]) -> tuple[Instrument, ...] | None:
    items = r.array(raw, "instruments", ())
    if items is None:
        return None
    flags = [r.optional(item, "traditional", BOOLEAN, ("instruments", i), False) if isinstance(item, dict) else False
             for i, item in enumerate(items)]
    texts = [{k: v for k, v in item.items() if k != "traditional"} if isinstance(item, dict) else item for item in items]
    records = _records(r, {"instruments": texts}, "instruments", (), INSTRUMENT_KEYS[:-1], "instrument")
    if records is None or None in flags or not all(_one_of(r, records, "instruments", key, allowed)
                                                 for key, allowed in (("family", FAMILIES), ("played", PLAYED), ("hold", HOLDS))):
        return None
    return tuple(Instrument(i["name"], i["player"], i["family"], i["played"], i["hold"], bool(flag))
                 for i, flag in zip(records, flags))


def _one_of(r: Reader, records: tuple[dict[str, str], ...], key: str, field: str, allowed: tuple[str, ...]) -> bool:
    """Whether every record's `field` is one of `allowed` (each that is not is reported)."""
    wrong = [i for i, record in enumerate(records) if record[field] not in allowed]
    for i in wrong:
        r.problem((key, i, field), f"unknown {field} '{records[i][field]}' (known: {', '.join(allowed)})")
    return not wrong


def _records(r: Reader, raw: dict[str, Any], key: str, path: JsonPath, keys: tuple[str, ...],
             noun: str) -> tuple[dict[str, str], ...] | None:
    """A list of at least one object, each holding `keys` as strings that are not empty."""
    items = r.array(raw, key, path)
    if items is None or not r.at_least(items, 1, noun, (*path, key)):
        return None
    read: list[dict[str, str] | None] = []
    for i, item in enumerate(items):
        obj = r.object(item, (*path, key, i), keys)
        fields = {} if obj is None else {name: _text(r, obj, name, (*path, key, i)) for name in keys}
        known = {name: text for name, text in fields.items() if text is not None}
        read.append(known if len(known) == len(keys) else None)
    return complete(read)


def _foreign(r: Reader, raw: dict[str, Any]) -> tuple[ForeignCity, ...] | None:
    items = r.array(raw, "foreign", ())
    if items is None or not r.at_least(items, 1, "foreign city", ("foreign",)):
        return None
    return complete([_foreign_city(r, item, ("foreign", i)) for i, item in enumerate(items)])


def _foreign_city(r: Reader, raw: Any, path: JsonPath) -> ForeignCity | None:
    """A city abroad, with the facts that travel with it; `capital` may be left out (false)."""
    obj = r.object(raw, path, FOREIGN_KEYS)
    if obj is None:
        return None
    city, country, nationality = (_text(r, obj, key, path) for key in FOREIGN_KEYS[:3])
    capital: bool | None = r.optional(obj, "capital", BOOLEAN, path, False)
    landmarks = _texts(r, obj, "landmarks", path, 2, "landmark")
    if city is None or country is None or nationality is None or capital is None or landmarks is None:
        return None
    return ForeignCity(city, country, nationality, (landmarks[0], landmarks[1]), capital)


def _titles(r: Reader, raw: dict[str, Any], key: str, noun: str) -> tuple[tuple[Part, ...], ...] | None:
    """Album or competition titles: templates that may nest only the slots the slot table marks `nests`."""
    titles = _texts(r, raw, key, (), 1, noun)
    if titles is None:
        return None
    nestable = slot_table().nestable
    read: list[tuple[Part, ...] | None] = []
    for i, title in enumerate(titles):
        parts = r.template(title, (key, i))
        nested = [p.key for p in parts or () if isinstance(p, Slot) and p.key not in nestable]
        if nested:
            r.problem((key, i), f"a title may only nest {', '.join(nestable)}, not '{nested[0]}'")
        read.append(None if nested else parts)
    return complete(read)
