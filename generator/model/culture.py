"""Culture packs as data: the names, places, instruments and titles stories are filled with."""

from __future__ import annotations

from dataclasses import dataclass

from .templates import Part


@dataclass(frozen=True)
class Instrument:
    name: str
    player: str


@dataclass(frozen=True)
class ForeignCity:
    """A city abroad with the facts that must travel with it."""

    city: str
    country: str
    nationality: str
    landmarks: tuple[str, str]
    capital: bool

    @property
    def landmark1(self) -> str:
        return self.landmarks[0]

    @property
    def landmark2(self) -> str:
        return self.landmarks[1]


@dataclass(frozen=True)
class Culture:
    """One culture pack, validated; titles are pre-parsed because they may nest slots."""

    name: str
    description: str
    country: str
    region: str
    region_adjective: str
    nationality: str
    demonym: str
    capital: str
    largest_city: str
    towns: tuple[str, ...]
    given_names: dict[str, tuple[str, ...]]
    surnames: tuple[dict[str, str], ...]
    instruments: tuple[Instrument, ...]
    genres: tuple[str, ...]
    albums: tuple[tuple[Part, ...], ...]
    competitions: tuple[tuple[Part, ...], ...]
    foreign: tuple[ForeignCity, ...]
    sha256: str = ""  # of the pack file's text, when it was read from one
