"""Places found by the frame a life story names them in, not by a gazetteer.

A biography says where its subject was born or grew up ("born on 14 March 1941 in Kilfenora",
"grows up on a sheep farm outside Rauland") and where they moved ("At sixteen she moves with her
family to Kashan", "left Salvador for São Paulo"). The capitalised words after such a frame's
preposition name a place, whatever the country: the first birth or childhood place is the hero's
home, and the place of the first move is the city they moved to.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .knowledge import Knowledge
from .segment import UPPER, Sentence

# A frame, then up to six words that are not a sentence break, then the preposition the place
# follows. Lazy, so the first preposition followed by a capitalised word wins.
_HOME_FRAME = re.compile(
    r"\b(?i:born|grew up|grows up|grow up|growing up|raised|brought up) (?:[^\s.;:!?]+ ){0,6}?(?:in|outside|near|at) (?=" + UPPER + ")")
_MOVE_FRAME = re.compile(
    r"\b(?i:mov(?:e|es|ed|ing)|relocat(?:e|es|ed|ing)|emigrat(?:e|es|ed|ing)|sent) (?:[^\s.;:!?]+ ){0,5}?to (?=" + UPPER + ")")
_LEFT_FOR = re.compile(r"\b(?i:left|leaves|leave|leaving) (?=" + UPPER + ")")
# Words that join the parts of a place's name ("Rio de Janeiro", "Stratford upon Avon").
_CONNECTORS = frozenset({"de", "do", "da", "dos", "das", "del", "di", "du", "la", "le", "el", "al", "upon", "on", "am"})
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class FramedPlace:
    """A place named after a life frame: its offsets, its name and the role the frame gives it."""

    start: int
    end: int
    name: str
    role: str  # "home" (born, grew up) or "city" (moved to)


def name_at(text: str, pos: int, stopwords: frozenset[str]) -> tuple[int, int, str] | None:
    """The capitalised words starting at `pos` (joined by connectors), without a possessive."""
    words: list[re.Match[str]] = []
    cursor = pos
    while True:
        match = _TOKEN.match(text, cursor)
        if match is None:
            break
        word = match.group(0)
        if word[0].isupper():
            words.append(match)
        elif not (words and word in _CONNECTORS):
            break
        if text[match.end() : match.end() + 1] != " ":
            break
        cursor = match.end() + 1
    while words and not words[-1].group(0)[0].isupper():
        words.pop()
    if not words or words[0].group(0) in stopwords:
        return None
    start, end = words[0].start(), words[-1].end()
    name = re.sub(r"['’]s$", "", text[start:end])
    return start, start + len(name), name


def framed_places(text: str, stopwords: frozenset[str]) -> list[FramedPlace]:
    """Every place a birth, childhood or move frame names, in text order."""
    found: list[FramedPlace] = []
    for frame, role in ((_HOME_FRAME, "home"), (_MOVE_FRAME, "city")):
        for match in frame.finditer(text):
            named = name_at(text, match.end(), stopwords)
            if named:
                found.append(FramedPlace(*named, role))
    for match in _LEFT_FOR.finditer(text):
        left = name_at(text, match.end(), stopwords)
        if left and text.startswith(" for ", left[1]):
            found.append(FramedPlace(*left, "home"))
            target = name_at(text, left[1] + len(" for "), stopwords)
            if target:
                found.append(FramedPlace(*target, "city"))
    return sorted(found, key=lambda p: p.start)


# A preposition of place, then the capitalised words of a name: "visiting from Isfahan", "in the
# mountains above Natanz", "a studio in Botafogo". (An article between makes it something else:
# "in the Lapa district".)
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|from|to|around|above|below|beyond|towards?|across) (?=" + UPPER + ")")
MAX_PLACE_WORDS = 2
_KEY = re.compile(r"[A-G](?:-(?:flat|sharp))?$")  # a musical key: "the Sonata in B-flat major"


def located_places(text: str, stopwords: frozenset[str], excluded: set[str]) -> list[tuple[int, int, str]]:
    """Each name of one or two words that a preposition of place leads every time the text names
    it (a name used otherwise, "the first dastgah, Shur,", may be anything), in text order: other
    places of the hero's life. Not a name holding one of `excluded` (countries, institutions,
    months, people's names), nor one that opens a sentence."""
    found: dict[str, list[tuple[int, int]]] = {}
    for match in _LOCATIVE.finditer(text):
        named = name_at(text, match.end(), stopwords)
        if named is None or len(named[2].split()) > MAX_PLACE_WORDS or set(named[2].split()) & excluded \
                or re.search(r"['’]s ", named[2]) or _KEY.match(named[2]):
            continue  # "Lisbon's Mouraria" is a part of another place; "in B-flat" a key
        found.setdefault(named[2], []).append((named[0], named[1]))
    places: list[tuple[int, int, str]] = []
    for name, spans in found.items():
        every = [m.start() for m in re.finditer(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", text)]
        if len(every) == len(spans):
            places.extend((start, end, name) for start, end in spans)
    return sorted(places)


def town_mentions(text: str, know: Knowledge, excluded: set[str]) -> list[tuple[int, int, str, str]]:
    """Mentions of the `town` slot: of the places named after a preposition of place that are no
    other slot's, the one the seed names most (another slot-less one stays a literal)."""
    located = located_places(text, frozenset(know.name_stopwords), excluded | set(know.common_capitals))
    if not located:
        return []
    town = Counter(name for *_, name in located).most_common(1)[0][0]
    return [(start, end, "town", name) for start, end, name in located if name == town]


def first_destination(sentences: list[Sentence], move_cues: tuple[str, ...], candidates: list[tuple[int, int, str]],
                      roles: dict[str, str]) -> str | None:
    """The city named in the first sentence that tells of a move."""
    for sentence in sentences:
        lower = sentence.text.lower()
        if any(cue in lower for cue in move_cues):
            for city in [c for s, _, c in candidates if sentence.start <= s < sentence.end]:
                if roles.get(city) != "abroad.city":
                    return city
    return None
