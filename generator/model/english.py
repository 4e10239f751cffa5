"""Facts of written English that several stages need: the indefinite article, and the words whose
trailing period does not end a sentence."""

from __future__ import annotations

import re

# Words whose trailing period never ends a sentence ("Mrs. Nurzhanova", "St. Petersburg").
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "vs", "etc", "no", "op", "vol", "ft", "approx", "dept", "est", "fig", "inc", "ltd", "co"]
)


def is_abbreviation(word: str) -> bool:
    """Whether a period after `word` belongs to it: an abbreviation or an initial."""
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())


_AN_EXCEPTIONS = re.compile(r"^(?:uni|use|usu|uto|eu|one|once|ure)", re.IGNORECASE)
_AN_SILENT_H = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_AN_NUMBER = re.compile(r"^(?:8|11(?!\d)|18(?!\d)|11\d\d(?!\d)|18\d\d(?!\d))")


def indefinite_article(word: str) -> str:
    """'a' or 'an' for the sound that starts `word` ('an 18', 'a unique', 'an hour')."""
    if not word:
        return "a"
    if word[0].isdigit():
        return "an" if _AN_NUMBER.match(word) else "a"
    if _AN_SILENT_H.match(word):
        return "an"
    if word[0].lower() in "aeiou" and not _AN_EXCEPTIONS.match(word):
        return "an"
    return "a"
