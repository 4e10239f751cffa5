"""Find a story's protagonist: the personal name the story is about, whatever its shape.

A name is a run of capitalised words, with the particles names carry between them ("Ana Luíza da
Conceição", "Dónal Ó Catháin", "Amir-Hossein Kalantari"). A word that also stands in lower case
elsewhere in the story is an ordinary word at a sentence's start ("Today", "Growing"), not a
name; a run that follows a preposition of place ("in Cape Coast") is a place. Of the names left,
the protagonist is the one the story names most: in full, by given name or by surname.
"""

from __future__ import annotations

import re
from collections import Counter

from ..errors import SeedError
from .segment import UPPER

PARTICLES = frozenset(["de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "binti", "ibn", "al", "el", "ter", "ten", "zu", "y"])
_TOKEN = UPPER + r"[^\W\d_]*(?:['’-][^\W\d_]+)*"
_PARTICLE = r"(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")"
_NAME = re.compile(rf"(?<![^\W\d_])(?:{_TOKEN})(?: (?:{_PARTICLE} )*(?:{_TOKEN})){{1,3}}(?![^\W\d_])")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|to|from|near|of|outside|across|around|toward|towards|into|below|above)\s+$")
_QUOTED = re.compile(r"[\"“]([^\"”\n]+?)[\"”]")


def _ordinary_words(text: str) -> set[str]:
    """Words that stand in lower case somewhere in the story: not names, wherever capitalised."""
    return {w for w in re.findall(r"[^\W\d_]+", text) if w[0].islower()}


def _candidates(text: str, stopwords: frozenset[str], places: set[str]) -> list[re.Match[str]]:
    ordinary = _ordinary_words(text)
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    found = []
    for match in _NAME.finditer(text):
        words = [w for w in match.group(0).split() if w not in PARTICLES]
        if any(w.lower() in ordinary or w in stopwords or w in places for w in (words[0], words[-1])):
            continue
        if any(a <= match.start() < b for a, b in quoted) or _PLACE_BEFORE.search(text[max(0, match.start() - 12):match.start()]):
            continue
        found.append(match)
    return found


def _occurrences(word: str, text: str) -> int:
    return len(re.findall(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text))


def _opens_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \"“'‘")
    return not before or before[-1] in ".!?\n"


def surname_of(full: str) -> str:
    """The surname of a full name: its last word, with the particles before it ("Ó Catháin")."""
    words = full.split(" ")
    k = len(words) - 1
    while k > 1 and (words[k - 1] in PARTICLES or words[k - 1] in ("Ó", "Ní", "Mac", "Mc", "Al", "El", "De", "Da")):
        k -= 1
    return " ".join(words[k:])


def short_surname(text: str, full: str, first: str, taken: list[tuple[int, int]]) -> str:
    """The surname a story calls its hero by: the name's last part, or, for a name of several
    surnames ('Núñez de la Torre', 'Sølvberg Midtbø'), the one of them used alone most often
    (`taken`: the spans of the full name, where a word is not used alone)."""
    candidates = [surname_of(full), *(w for w in full.split()[1:] if w[:1].isupper())]
    if first == full:
        return candidates[0]

    def alone(name: str) -> int:
        spans = re.finditer(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", text)
        return sum(1 for m in spans if not any(a <= m.start() < b for a, b in taken))
    return max(candidates, key=lambda name: (alone(name), name == candidates[0]))


def find_protagonist(seed_name: str, text: str, stopwords: frozenset[str], places: set[str],
                     honorifics: tuple[str, ...]) -> tuple[str, str]:
    """(full name, given name) of the person the story names most, or a SeedError naming the file."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    found = _candidates(text, stopwords, places)
    names = {m.group(0) for m in found}
    for match in found:
        if text[max(0, match.start() - 6):match.start()].rstrip().endswith(honorifics):
            continue
        name = match.group(0)
        # A word that opens a sentence once, before a name seen elsewhere, is no part of it ("Today ...").
        head, _, tail = name.partition(" ")
        if tail in names and " " in tail and _opens_sentence(text, match.start()) and _occurrences(head, text) == 1:
            name = tail
        counts[name] += 1
        first_seen.setdefault(name, match.start())
    if not counts:
        raise SeedError(f"{seed_name}: no protagonist found (expected a full name such as 'Aigerim Abenova' "
                        "that names the musician at least once)")

    def mentions(full: str) -> int:
        given, surname = full.split(" ")[0], surname_of(full)
        words = re.findall(r"[^\W\d_][\w'’-]*", text)
        return 3 * counts[full] + words.count(given) + _occurrences(surname, text)

    # A name that ends a longer one is that person by surname ("Ó Catháin" of "Dónal Ó Catháin").
    for short in list(counts):
        if any(long != short and long.endswith(" " + short) for long in counts):
            del counts[short]
    best = max(counts, key=lambda n: (mentions(n), -first_seen[n]))
    return best, best.split(" ")[0]
