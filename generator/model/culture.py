"""Culture packs as data: the names, places, instruments and titles stories are filled with."""

from __future__ import annotations

from dataclasses import dataclass

from .templates import Part


@dataclass(frozen=True)
class Settlement:
    """A place someone can come from, with its kind (village, town, city or capital)."""

    name: str
    kind: str


@dataclass(frozen=True)
class Instrument:
    """An instrument and how it is played: `played` is bowed, plucked, struck or blown; `hold`
    is held (in the hands or against the body), seated (it rests on the floor or a lap) or
    carried (on a strap); `traditional`: traditional in the culture whose pack lists it."""

    name: str
    player: str
    family: str = "string"
    played: str = "plucked"
    hold: str = "held"
    traditional: bool = False


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
    language: str
    currency: str
    landscapes: tuple[str, ...]
    towns: tuple[Settlement, ...]
    given_names: dict[str, tuple[str, ...]]
    surnames: tuple[dict[str, str], ...]
    instruments: tuple[Instrument, ...]
    genres: tuple[str, ...]
    albums: tuple[tuple[Part, ...], ...]
    competitions: tuple[tuple[Part, ...], ...]
    foreign: tuple[ForeignCity, ...]
