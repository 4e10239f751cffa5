"""Reading culture packs and profiles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import GrammarError, UsageError
from ..model.culture import Culture, ForeignCity, Instrument
from ..model.templates import Part
from ..paths import data_root
from .templates import parse_template

FORMAT_VERSION = 1


def culture_dir() -> Path:
    """Where the packaged culture packs live."""
    return data_root() / "cultures"


def available() -> list[str]:
    """Names of the packaged culture packs."""
    return sorted(p.stem for p in culture_dir().glob("*.json"))


def _need(raw: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise GrammarError(f"{where}: missing key '{key}'")
    value = raw[key]
    if not isinstance(value, kind):
        raise GrammarError(f"{where}: {key}: expected {kind.__name__}, got {type(value).__name__}")
    if isinstance(value, (list, dict, str)) and not value:
        raise GrammarError(f"{where}: {key}: must not be empty")
    return value


# Slots a title may nest: filled before titles are, and never titles themselves (no recursion).
TITLE_SLOTS = ("home", "country", "region", "capital", "largest_city", "nationality")


def _titles(raw: dict[str, Any], key: str, where: str) -> tuple[tuple[Part, ...], ...]:
    titles = []
    for i, title in enumerate(_need(raw, key, list, where)):
        parts = parse_template(title, f"{where}: {key}[{i}]")
        for part in parts:
            if not isinstance(part, str) and part.key not in TITLE_SLOTS:
                raise GrammarError(f"{where}: {key}[{i}]: a title may only nest {', '.join(TITLE_SLOTS)}, not '{part.key}'")
        titles.append(parts)
    return tuple(titles)


def parse_culture(raw: Any, where: str) -> Culture:
    """Validate a parsed culture pack."""
    if not isinstance(raw, dict):
        raise GrammarError(f"{where}: expected a JSON object")
    if raw.get("format_version") != FORMAT_VERSION:
        raise GrammarError(f"{where}: unsupported format_version {raw.get('format_version')!r} (expected {FORMAT_VERSION})")
    names = _need(raw, "given_names", dict, where)
    for gender in ("male", "female"):
        _need(names, gender, list, f"{where}: given_names")
    surnames = tuple(_need(raw, "surnames", list, where))
    for i, pair in enumerate(surnames):
        if not isinstance(pair, dict) or not {"male", "female"} <= set(pair):
            raise GrammarError(f"{where}: surnames[{i}]: expected {{\"male\": ..., \"female\": ...}}")
    return Culture(
        name=_need(raw, "name", str, where),
        description=_need(raw, "description", str, where),
        country=_need(raw, "country", str, where),
        region=_need(raw, "region", str, where),
        region_adjective=_need(raw, "region_adjective", str, where),
        nationality=_need(raw, "nationality", str, where),
        demonym=_need(raw, "demonym", str, where),
        capital=_need(raw, "capital", str, where),
        largest_city=_need(raw, "largest_city", str, where),
        towns=tuple(_need(raw, "towns", list, where)),
        given_names={g: tuple(names[g]) for g in ("male", "female")},
        surnames=surnames,
        instruments=tuple(Instrument(i["name"], i["player"]) for i in _need(raw, "instruments", list, where)),
        genres=tuple(_need(raw, "genres", list, where)),
        albums=_titles(raw, "albums", where),
        competitions=_titles(raw, "competitions", where),
        foreign=tuple(
            ForeignCity(f["city"], f["country"], f["nationality"], (f["landmarks"][0], f["landmarks"][1]),
                        bool(f.get("capital", False)))
            for f in _need(raw, "foreign", list, where)
        ),
    )


PROFILES = ("default", "stress")


def apply_profile(culture: Culture, profile: str) -> Culture:
    """Overlay a profile's names and towns on a culture pack ('default' changes nothing)."""
    from dataclasses import replace

    if profile == "default":
        return culture
    if profile not in PROFILES:
        raise UsageError(f"--profile {profile}: unknown profile (known: {', '.join(PROFILES)})")
    path = data_root() / "profiles" / f"{profile}.json"
    raw = json.loads(path.read_text("utf-8"))
    where = str(path)
    names = _need(raw, "given_names", dict, where)
    return replace(
        culture,
        given_names={g: tuple(_need(names, g, list, f"{where}: given_names")) for g in ("male", "female")},
        surnames=tuple(_need(raw, "surnames", list, where)),
        towns=tuple(_need(raw, "towns", list, where)),
    )


def load_culture(name_or_path: str) -> Culture:
    """Load a packaged pack by name, or any pack by file path."""
    path = Path(name_or_path)
    if path.suffix != ".json":
        path = culture_dir() / f"{name_or_path}.json"
        if not path.is_file():
            raise GrammarError(f"unknown culture '{name_or_path}' (available: {', '.join(available())})")
    try:
        raw = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise GrammarError(f"{path}: cannot read culture pack ({exc.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GrammarError(f"{path}: invalid JSON: {exc}") from None
    return parse_culture(raw, str(path))
