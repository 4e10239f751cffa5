"""What the learner knows before it reads a seed: English pronouns, place names, cues."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..model.slots import slot_table


@dataclass(frozen=True)
class Knowledge:
    """Read-only lexicons the learner matches against seed text."""

    honorifics: dict[str, str]
    name_stopwords: frozenset[str]
    common_capitals: frozenset[str]
    role_nouns: dict[str, str]
    instruments: dict[str, str]
    countries: dict[str, dict[str, Any]]
    regions: tuple[str, ...]
    region_adjectives: dict[str, str]
    landmarks: dict[str, list[str]]
    genres: tuple[str, ...]
    move_cues: tuple[str, ...]
    capital_appositions: tuple[str, ...]
    largest_appositions: tuple[str, ...]
    phase_cues: dict[str, list[str]]
    events: dict[str, list[str]]
    pronoun_sets: dict[str, dict[str, str]]
    object_followers: frozenset[str]
    discourse_slots: dict[str, str]

    def country_of_city(self, city: str) -> str | None:
        """The country whose city list holds `city`, if any."""
        for country, facts in self.countries.items():
            if city in facts["cities"] or city in (facts["capital"], facts["largest_city"]):
                return country
        return None


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """Load the packaged knowledge file once."""
    raw = json.loads(resources.files("generator").joinpath("data/knowledge.json").read_text("utf-8"))
    return Knowledge(
        honorifics=raw["honorifics"],
        name_stopwords=frozenset(raw["name_stopwords"]),
        common_capitals=frozenset(raw["common_capitals"]),
        role_nouns=raw["role_nouns"],
        instruments=slot_table().known_instruments,
        countries=raw["countries"],
        regions=tuple(raw["regions"]),
        region_adjectives=raw["region_adjectives"],
        landmarks=raw["landmarks"],
        genres=tuple(raw["genres"]),
        move_cues=tuple(raw["move_cues"]),
        capital_appositions=tuple(raw["capital_appositions"]),
        largest_appositions=tuple(raw["largest_appositions"]),
        phase_cues=raw["phase_cues"],
        events=raw["events"],
        pronoun_sets=raw["pronoun_sets"],
        object_followers=frozenset(raw["object_followers"]),
        discourse_slots=raw["discourse_slots"],
    )
