"""English verb endings, for agreement: 'she moves' must become 'they move'.

A present-tense verb after a subject pronoun keeps its stem as text and turns its ending into a
slot of the pronoun set: "s" ("move{{ hero.s }}"), "es" ("teach{{ hero.es }}") or "ies"
("stud{{ hero.ies }}", which is "y" for they). lemminflect knows which words are verbs and
their lemmas; it is needed only when learning.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def present_tense_ending(word: str) -> str | None:
    """The agreement ending of a third-person present-tense verb ('s', 'es', 'ies'), or None."""
    from lemminflect import getAllLemmas  # type: ignore[import-untyped]  # learning-only dependency

    lemmas = getAllLemmas(word).get("VERB", ())
    for lemma in lemmas:
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
