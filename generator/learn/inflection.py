"""English verb endings, for agreement: 'she moves' must become 'they move'.

A present-tense verb after a subject pronoun keeps its stem as text and turns its ending into a
slot of the pronoun set: "s" ("move{{ hero.s }}"), "es" ("teach{{ hero.es }}") or "ies"
("stud{{ hero.ies }}", which is "y" for they). lemminflect knows which words are verbs and
their lemmas; it is needed only when learning.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=16384)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """The word's lemmas by word class, as lemminflect's lexicon has them ({} for a word it lacks):
    the one lookup every learning rule that asks what an English word is goes through."""
    from lemminflect import getAllLemmas  # type: ignore[import-untyped]  # learning-only dependency

    found: dict[str, tuple[str, ...]] = getAllLemmas(word)
    return found


@lru_cache(maxsize=4096)
def present_tense_ending(word: str) -> str | None:
    """The agreement ending of a third-person present-tense verb ('s', 'es', 'ies'), or None."""
    for lemma in lemmas(word).get("VERB", ()):
        if word == lemma + "s" and not lemma.endswith("s"):
            return "s"
        if word == lemma + "es":
            return "es"
        if lemma.endswith("y") and word == lemma[:-1] + "ies":
            return "ies"
    return None


def word_ending(word: str, ending: str) -> str:
    """The letters of `word` that the ending slot replaces."""
    return word[-len(ending):]


@lru_cache(maxsize=4096)
def base_form_ending(word: str) -> str | None:
    """The ending a plain present-tense verb after 'they' takes for 'he' or 'she' ('lose' ->
    's', 'teach' -> 'es', 'study' -> 'ies'), or None: not a verb, or also a past tense ('put')."""
    from lemminflect import getInflection  # learning-only dependency

    if word not in lemmas(word).get("VERB", ()) or word in ("be", "have", "do"):
        return None
    if word in getInflection(word, "VBD"):
        return None
    third = getInflection(word, "VBZ")
    ending = present_tense_ending(third[0]) if third else None
    return ending if ending is not None and third[0].startswith(word[:-1] if ending == "ies" else word) else None


@lru_cache(maxsize=4096)
def past_participle(word: str) -> bool:
    """Whether a word is a past participle of a verb ("regarded", "noted", "known"), not only a
    past tense ("wrote")."""
    from lemminflect import getInflection  # learning-only dependency

    return any(word in getInflection(lemma, "VBN") for lemma in lemmas(word).get("VERB", ()))


# Verbs after which 'her' + a plain verb is an object and a bare infinitive ('let her stay').
_CAUSATIVE = frozenset({"let", "lets", "letting", "make", "makes", "made", "making", "help", "helps", "helped",
                        "watch", "watches", "watched", "see", "sees", "saw", "hear", "hears", "heard", "have", "had"})


def object_before(next_word: str, previous_word: str) -> bool:
    """Whether 'her' before `next_word` is an object rather than a possessive: the next word can
    be no noun or adjective ('made her learn', 'stopped her whenever'), or a causative verb comes
    before and the next word can be a verb ('let her stay'). A word in -ing stays possessive
    ('her playing')."""
    kinds = lemmas(next_word).keys()
    if previous_word in _CAUSATIVE and "VERB" in kinds:
        return True
    return bool(kinds) and not kinds & {"NOUN", "ADJ", "PROPN"} and not next_word.endswith("ing")
