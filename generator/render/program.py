"""Compiled units: the one program both renderers run.

A unit compiles to a lead (the text before its first slot), then pieces, each a slot followed by
the literal text after it (or a literal alone), plus where each sentence starts and ends among
them. The rules of layout live here once: what goes between sentences of a unit, and what goes
before each unit (nothing, a space or a paragraph break), worked out for a whole batch of stories
at a time. `render.reference` runs a program one story at a time, `render.batch` a batch at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..model.grammar import Grammar, SentenceTemplate, Unit
from ..model.templates import Slot

MAX_PARAGRAPH = 4  # sentences; a longer run is split at the next unit boundary
GAPS = ("", " ", "\n\n")  # what goes before a unit: nothing (the story's first), a space, a paragraph break
PARAGRAPH = GAPS[2]

Ints = npt.NDArray[np.int64]
Mark = tuple[int, int, int, int]  # a sentence's start (piece, characters back from its end), then its end


@dataclass(frozen=True)
class UnitProgram:
    """A unit as the renderers run it: `lead`, then `pieces` in order ((slot, the text after it)
    for a slot, (None, text) for a literal piece), and each sentence's `marks`, the lead being
    piece 0."""

    lead: str
    pieces: tuple[tuple[Slot | None, str], ...]
    marks: tuple[Mark, ...]


def _breaks_before(sentence: SentenceTemplate, k: int) -> bool:
    """Inside a unit, keep a paragraph break its seed had, unless it would leave a one-sentence
    paragraph at the unit's start."""
    return k >= 2 and sentence.new_paragraph


def sentence_gap(sentence: SentenceTemplate, k: int) -> str:
    """What goes before the k-th sentence of a unit (nothing before the first)."""
    if k == 0:
        return ""
    return PARAGRAPH if _breaks_before(sentence, k) else " "


def compile_unit(unit: Unit, foldable: Callable[[str], bool]) -> UnitProgram:
    """Compile a unit. A slot that is not `foldable` (many options, or values made per story)
    keeps its value alone and the text after it becomes a literal piece, so that option tables
    stay small."""
    runs = [""]  # each piece's literal text (a field piece's follows its value)
    slots: list[Slot | None] = [None]  # each piece's slot (None: the lead or a literal piece)
    points: list[tuple[int, int]] = []  # (piece, offset into its text)
    for k, sentence in enumerate(unit.sentences):
        runs[-1] += sentence_gap(sentence, k)
        points.append((len(runs) - 1, len(runs[-1])))
        for part in sentence.parts:
            if isinstance(part, str):
                runs[-1] += part
                continue
            slots.append(part)
            runs.append("")
            if not foldable(part.key):
                slots.append(None)
                runs.append("")
        points.append((len(runs) - 1, len(runs[-1])))
    # Drop empty literal pieces; a point in one is the end of the piece before it.
    keep = [p for p in range(len(runs)) if p == 0 or slots[p] is not None or runs[p]]
    renumber = {p: n for n, p in enumerate(keep)}
    backs = [(renumber[p], len(runs[p]) - offset) if p in renumber else (renumber[p - 1], 0) for p, offset in points]
    marks = tuple((*backs[i], *backs[i + 1]) for i in range(0, len(backs), 2))
    return UnitProgram(runs[0], tuple((slots[p], runs[p]) for p in keep[1:]), marks)


class Layout:
    """What the paragraph rule needs of every unit of a grammar, as arrays indexed by unit."""

    def __init__(self, grammar: Grammar) -> None:
        phases = {p: i for i, p in enumerate(grammar.phases)}
        self.phase: Ints = np.array([phases[u.phase] for u in grammar.units], dtype=np.int64)
        self.opens = np.array([u.sentences[0].new_paragraph for u in grammar.units], dtype=bool)
        self.sentences: Ints = np.array([len(u.sentences) for u in grammar.units], dtype=np.int64)
        tails = []  # sentences after the unit's last inner paragraph break (-1: it has none)
        for unit in grammar.units:
            breaks = [k for k, s in enumerate(unit.sentences) if _breaks_before(s, k)]
            tails.append(len(unit.sentences) - breaks[-1] if breaks else -1)
        self.tail: Ints = np.array(tails, dtype=np.int64)

    def gap_kinds(self, units: Ints, unit_counts: Ints) -> Ints:
        """Index into GAPS of what goes before each told unit, for every story of a batch (row i:
        story i's units; entries past unit_counts[i] are meaningless). A new paragraph starts at
        each phase change, where a seed started one (unless the paragraph is still short), or
        when the paragraph has grown long."""
        width = int(unit_counts.max(initial=0))
        phase, opens = self.phase[units[:, :width]], self.opens[units[:, :width]]
        sentences, tail = self.sentences[units[:, :width]], self.tail[units[:, :width]]
        kinds = np.zeros(phase.shape, dtype=np.int64)
        length = np.zeros(len(units), dtype=np.int64)
        for j in range(width):
            if j:
                paragraph = (phase[:, j] != phase[:, j - 1]) | (length >= MAX_PARAGRAPH) | (opens[:, j] & (length >= 2))
                kinds[:, j] = np.where(paragraph, 2, 1)
                length = np.where(paragraph, 0, length)
            length = np.where(tail[:, j] >= 0, tail[:, j], length + sentences[:, j])
        return self._no_lone_sentences(kinds, sentences, tail, unit_counts)

    @staticmethod
    def _no_lone_sentences(kinds: Ints, sentences: Ints, tail: Ints, unit_counts: Ints) -> Ints:
        """Never leave a paragraph of one sentence: a one-sentence unit that would stand alone
        joins the paragraph before it, and a unit whose last paragraph holds one sentence keeps
        the next unit in that paragraph."""
        width = kinds.shape[1]
        told = np.arange(width) < unit_counts[:, None]
        ends = np.ones(kinds.shape, dtype=bool)  # the unit after j opens a paragraph (or there is none)
        ends[:, :-1] = (kinds[:, 1:] == 2) | ~told[:, 1:]
        lone = told & (kinds == 2) & (sentences == 1) & ends
        lone[:, 0] = False
        kinds = np.where(lone, 1, kinds)
        short_tail = told & (tail == 1) & ends
        follows = np.zeros(kinds.shape, dtype=bool)
        follows[:, 1:] = short_tail[:, :-1]
        return np.where(follows & told, 1, kinds)


class Program:
    """A grammar compiled for the reference renderer: every unit's program, every slot folded,
    and the grammar's layout."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        self.layout = Layout(grammar)
        self.units = tuple(compile_unit(u, lambda key: True) for u in grammar.units)
        self.index = {(u.id, u.variant): i for i, u in enumerate(grammar.units)}
