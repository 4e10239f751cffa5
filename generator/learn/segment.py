"""Split a story into paragraphs and sentences, keeping exact character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.english import is_abbreviation

# Every upper-case letter of the Basic Multilingual Plane, for patterns that must see "Ó Catháin"
# or "Ōyama" as capitalised (Python's re has no letter-case classes). Only learning needs it.
UPPER = "[" + re.escape("".join(chr(c) for c in range(0x10000) if chr(c).isupper())) + "]"

_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n\s*")
# A terminator, any closing quotes or brackets, then whitespace and what may start a sentence.
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?(?:""" + UPPER + r"|[0-9]))")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.$")


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it sits in its story."""

    start: int
    end: int
    text: str
    paragraph: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each non-blank paragraph, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + len(chunk.rstrip())))
        if brk:
            pos = brk.end()
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` belongs to an abbreviation or an initial."""
    match = _WORD_BEFORE.search(text, 0, dot + 1)
    if not match:
        return False
    return is_abbreviation(match.group(1))


def split_sentences(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    """Split text[start:end] into sentences; quotes with inner punctuation stay whole."""
    sentences: list[Sentence] = []
    pos = start
    for match in _BOUNDARY.finditer(text, start, end):
        first_dot = match.start()
        if text[first_dot] == "." and match.end() - first_dot == 1 and _is_abbreviation(text, first_dot):
            continue
        sentences.append(Sentence(pos, match.end(), text[pos : match.end()], paragraph))
        pos = match.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        sentences.append(Sentence(pos, end, text[pos:end], paragraph))
    return sentences


def segment(text: str) -> list[Sentence]:
    """All sentences of a story, in order, each tagged with its paragraph number."""
    result: list[Sentence] = []
    for number, (start, end) in enumerate(paragraphs(text)):
        result.extend(split_sentences(text, start, end, number))
    return result
