"""The CoNLL format: 'token<TAB>BIO-tag', a blank line after each sentence, '-DOCSTART-' per story."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .base import Format

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.story import Story

DOCSTART = "-DOCSTART-"
# A token is, tried in this order: "n't"; a clitic 's 'd 'll 're 've 'm ending a word; a run of word
# characters (Unicode letters, digits, _) joined by single hyphens, stopping before "n't"; else one
# character that is neither a word character nor space. So "Mrs." is Mrs + ".", "D'Arcy" is
# D + "'" + Arcy, "well-known" one token and "..." three: not spaCy's tokenizer (README, Formats),
# and kept stable, since CoNLL fixtures are committed. The docbin format has spaCy's tokens.
_TOKEN = re.compile(r"n't\b|'(?:s|d|ll|re|ve|m)\b|\w+(?=n't\b)|\w+(?:-\w+)*|[^\w\s]")


def tokenize(text: str, lo: int = 0, hi: int | None = None) -> list[str]:
    """The CoNLL tokens of text[lo:hi] (a stretch between entity edges, which are token edges too)."""
    return [m.group(0) for m in _TOKEN.finditer(text, lo, len(text) if hi is None else hi)]


def conll_tokens(story: Story) -> list[list[tuple[str, str]]]:
    """Sentences of (token, BIO tag); entity edges are always token edges. Pronouns are not tagged."""
    entities = [e for e in story.entities if e.label != "PRONOUN"]
    sentences = []
    for s in story.sentences:
        cuts = sorted({s.start, s.end, *(p for e in entities if s.start <= e.start < s.end for p in (e.start, e.end))})
        tokens: list[tuple[str, str]] = []
        for lo, hi in zip(cuts, cuts[1:]):
            entity = next((e for e in entities if e.start == lo and e.end == hi), None)
            for k, token in enumerate(tokenize(story.text, lo, hi)):
                tag = "O" if entity is None else ("B-" if k == 0 else "I-") + entity.label
                tokens.append((token, tag))
        sentences.append(tokens)
    return sentences


class Conll(Format):
    """CoNLL-2003 style token lines, one document per story."""

    name = "conll"
    extensions = (".conll",)

    def chunk(self, story: Story, grammar: Grammar, culture: str, first: bool) -> str:
        lines = [f"{DOCSTART}\tO", ""]
        for sentence in conll_tokens(story):
            lines += [f"{token}\t{tag}" for token, tag in sentence]
            lines.append("")
        return "\n".join(lines) + "\n"

    def count(self, content: str) -> int:
        return content.count(DOCSTART)
