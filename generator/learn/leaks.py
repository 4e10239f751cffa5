"""What learning would leak: proper nouns of a seed left as literal text in its templates, and
the words of one culture's world ("shamisen", "rodas de choro", "griots").

A capitalised word inside a sentence is a name; if no slot took it, it would stand in every story
the grammar writes ("returns to Dingle", "Temple Bar"). Words that are capitalised by the
conventions of English (months, days, "I") or that form the names of institutions and events
("Festival", "Academy") are not names of a seed, and are allowed.
"""

from __future__ import annotations

import re
import unicodedata

from ..model.constraints import world
from ..model.grammar import Unit
from ..model.narrative import _STOPWORDS
from ..model.templates import masked
from .inflection import lemmas

# A word after a word, a comma, a slot or a closing quotation mark ('," Albuquerque says'): not
# the first word of the sentence or of a quotation.
_INNER_WORD = re.compile(r"(?<=[\w,;:)_\"”] )([^\W\d_][\w'’-]*)")


def _latin(word: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in word)


def unslotted_names(unit: Unit, allowed: frozenset[str]) -> list[tuple[str, str]]:
    """(sentence id, word) for each capitalised word of a unit's templates that no slot took, and
    each word in another script than English's ("윤서연": a name as its own language writes it)."""
    found = []
    for sentence in unit.sentences:
        literal = masked(sentence.parts)
        for match in _INNER_WORD.finditer(literal):
            word = re.sub(r"['’]s$", "", match.group(1))
            if word[:1].isupper() and word not in allowed:
                found.append((sentence.id, word))
        found += [(sentence.id, word) for word in re.findall(r"[^\W\d_]+", literal) if not _latin(word)]
    return found


_FIRST_WORD = re.compile(r"[\"“(]?([^\W\d_][\w'’-]*)")


def opening_names(unit: Unit, names: set[str]) -> list[tuple[str, str]]:
    """(sentence id, word) for each sentence that opens on a name the seed leaks elsewhere
    ("Gunhild gives them ..."): an opening capital alone does not say it is a name."""
    found = []
    for sentence in unit.sentences:
        match = _FIRST_WORD.match(masked(sentence.parts))
        word = re.sub(r"['’]s$", "", match.group(1)) if match else ""
        if word in names:
            found.append((sentence.id, word))
    return found


RARE_IN_ENGLISH = 2.4  # Zipf frequency (wordfreq) under which a word the lexicon lacks is no English word
_LOWER_WORD = re.compile(r"(?<![\w'’-])([a-z][a-z'’-]*[a-z])(?![\w'’-])")


def world_words(unit: Unit) -> list[tuple[str, str]]:
    """(sentence id, word) for each lower-case word of a unit's templates that is a word of one
    culture's world rather than of English: one English's lexicon lacks (lemminflect) and that is
    rare in English text (wordfreq), as "shamisen", "griots", "rodas" are and "iconic" is not.
    Told in another culture's story it would be a fact of the wrong world."""
    found = []
    for sentence in unit.sentences:
        for match in _LOWER_WORD.finditer(masked(sentence.parts)):
            if _foreign(match.group(1)):
                found.append((sentence.id, match.group(1)))
    return found


def _foreign(word: str) -> bool:
    from wordfreq import zipf_frequency  # learning-only dependency

    parts = [p for p in re.split(r"[-'’]", word) if len(p) > 1]
    return any(not lemmas(p) and zipf_frequency(p, "en") < RARE_IN_ENGLISH for p in parts)


# A phrase right after a place that describes it: ", a port town in ...", ", on the south coast of ...".
_DESCRIBED = re.compile(r"\{\{ (?:home|city|abroad_city) \}\}, ((?:an?|on|in|near|by|above|below) [^,.;]+)")
# Words any place of its kind may be called: its kind of settlement and its size.
_ANY_PLACE = frozenset(["small", "little", "large", "big", "tiny", "quiet", "remote"])


def place_descriptions(unit: Unit) -> list[tuple[str, str]]:
    """(sentence id, word) for each word of a phrase describing a place where a sentence names it
    ("Ridder, a port town", "on the south coast of"), but the place's kind and size: a fact of the
    seed's place that a culture's towns need not share, so it binds its unit to its seed as a name does."""
    settlement = set(world().settlement_words)
    found = []
    for sentence in unit.sentences:
        template = re.sub(r"\{\{.*?\}\}", lambda slot: slot.group(0).replace(".", "_"), sentence.template)
        for match in _DESCRIBED.finditer(template):
            words = re.findall(r"(?<![\w'’-])[a-z][a-z-]+", re.sub(r"\{\{.*?\}\}|['’]s\b", " ", match.group(1)))
            found += [(sentence.id, w) for w in words if w not in _STOPWORDS and w not in settlement and w not in _ANY_PLACE]
    return found
