"""Induce a slot grammar from seed stories: the learning pipeline, joined in one place."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..errors import SeedError
from ..load.alternatives import with_alternatives
from ..load.seeds import Seed
from ..load.templates import escape_literal, parse_template
from ..model.constraints import derive
from ..model.grammar import Arc, Grammar, SeedRecord, SentenceTemplate, SlotType, Source, Unit
from ..model.slots import slot_table
from .discourse import DraftUnit, group_units, label_phases, link_antecedents, phase_runs
from .knowledge import Knowledge, load_knowledge
from .lattice import align
from .leaks import opening_names, place_descriptions, unslotted_names, world_words
from .mentions import Findings, Mention, find_mentions
from .segment import Sentence, segment

PHASES = ("origin", "struggle", "breakthrough", "triumph")


@dataclass(frozen=True)
class SeedReport:
    """What learning found in one seed, for `storygen learn --report`."""

    file: str
    protagonist: str
    first_name: str
    pronouns: str
    slots: dict[str, int]
    sentences: list[tuple[str, str, str]]  # (sentence id, phase, first words)
    units: list[list[str]]
    arc: list[str]
    leaks: list[tuple[str, str]]  # (sentence id, word): proper nouns that no slot took
    # (sentence id, word): words of the seed's world ("shamisen") no slot took; they bind their unit to the seed
    world_words: list[tuple[str, str]] = field(default_factory=list)


def _expression(mention: Mention) -> str:
    filters = "".join(f"|{f}" for f in mention.filters)
    return "{{ " + mention.slot + filters + " }}"


def _template(text: str, sentence: Sentence, mentions: list[Mention]) -> str:
    pieces: list[str] = []
    pos = sentence.start
    for mention in mentions:
        if sentence.start <= mention.start and mention.end <= sentence.end:
            pieces.append(escape_literal(text[pos : mention.start]))
            pieces.append(_expression(mention))
            pos = mention.end
    pieces.append(escape_literal(text[pos : sentence.end]))
    return "".join(pieces)


def _id_prefix(file_name: str) -> str:
    stem = file_name.rsplit(".", 1)[0]
    match = re.match(r"^(\d+)_", stem)
    return match.group(1) if match else stem


def _seed_values(findings: Findings, seed_name: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for mention in findings.mentions:
        previous = values.setdefault(mention.slot, mention.value)
        if previous != mention.value:
            raise SeedError(
                f"{seed_name}: slot '{mention.slot}' holds both '{previous}' and '{mention.value}' "
                "(expected one value per slot in a story)"
            )
    return dict(sorted(values.items()))


class _SeedLearner:
    """Learns the units, templates and values of one seed."""

    def __init__(self, seed: Seed, know: Knowledge) -> None:
        self.seed = seed
        self.know = know
        self.prefix = _id_prefix(seed.name)
        self.sentences = segment(seed.text)
        self.findings = find_mentions(seed.name, seed.text, self.sentences, know)
        mentions = self.findings.mentions
        self.drafts = group_units(self.sentences, mentions, know)
        label_phases(self.drafts, self.sentences, know)
        link_antecedents(self.drafts, self.sentences, mentions, know)
        self._leaked_names: set[str] = set()
        self._leaked_names = {word for unit in self.units() for _, word in unslotted_names(unit, know.common_capitals)}

    def sentence_id(self, index: int) -> str:
        return f"{self.prefix}.{index + 1:02d}"

    def units(self) -> list[Unit]:
        return [self._unit(d) for d in self.drafts]

    def _unit(self, draft: DraftUnit) -> Unit:
        sentences = []
        for index in draft.sentences:
            s = self.sentences[index]
            source = self.sentence_id(index)
            template = _template(self.seed.text, s, self.findings.mentions)
            new_paragraph = index == 0 or self.sentences[index - 1].paragraph != s.paragraph
            parts = parse_template(template, source)
            sentences.append(SentenceTemplate(source, template, Source(self.seed.name, s.start, s.end),
                                              new_paragraph, parts, derive(parts)))
        unit = Unit(
            id=self.sentence_id(draft.sentences[0]),
            phase=draft.phase,
            sentences=tuple(sentences),
            intro=draft.intro,
            events=tuple(sorted(draft.events)),
            requires=tuple(sorted(self.sentence_id(self.drafts[r].sentences[0]) for r in draft.requires)),
        )
        # A word of the seed's world binds its unit to the seed as a name does: told in another
        # culture's story it would be a fact of the wrong world ("a Kazakh player of rodas de choro"),
        # and so does what it says of a place ("Ridder, a port town").
        bound = {word for _, word in (*self._leaks(unit), *world_words(unit), *place_descriptions(unit))}
        return replace(unit, literals=tuple(sorted(bound)))

    def _leaks(self, unit: Unit) -> list[tuple[str, str]]:
        """(sentence id, word): the unit's proper nouns that no slot took."""
        return sorted({*unslotted_names(unit, self.know.common_capitals), *opening_names(unit, self._leaked_names)})

    def record(self) -> SeedRecord:
        paragraphs: dict[int, list[str]] = {}
        for index, s in enumerate(self.sentences):
            paragraphs.setdefault(s.paragraph, []).append(self.sentence_id(index))
        text = self.seed.text
        return SeedRecord(
            file=self.seed.name,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            pronouns=self.findings.pronouns,
            values=_seed_values(self.findings, self.seed.name),
            paragraphs=tuple(tuple(p) for p in paragraphs.values()),
            trailing=text[len(text.rstrip()) :],
        )

    def report(self) -> SeedReport:
        arc, _ = phase_runs(self.drafts)
        phase_of = {i: d.phase for d in self.drafts for i in d.sentences}
        return SeedReport(
            file=self.seed.name,
            protagonist=self.findings.name,
            first_name=self.findings.first,
            pronouns=self.findings.pronouns,
            slots=dict(sorted(Counter(m.slot for m in self.findings.mentions).items())),
            sentences=[(self.sentence_id(i), phase_of[i], " ".join(s.text.split()[:8])) for i, s in enumerate(self.sentences)],
            units=[[self.sentence_id(i) for i in d.sentences] for d in self.drafts],
            arc=arc,
            leaks=[leak for unit in self.units() for leak in self._leaks(unit)],
            world_words=sorted({found for unit in self.units() for found in world_words(unit)}),
        )


def _arcs(learners: list[_SeedLearner]) -> tuple[Arc, ...]:
    merged: dict[tuple[str, ...], tuple[list[tuple[int, ...]], list[str]]] = {}
    for learner in learners:
        arc, lengths = phase_runs(learner.drafts)
        rows, seeds = merged.setdefault(tuple(arc), ([], []))
        rows.append(tuple(lengths))
        seeds.append(learner.seed.name)
    return tuple(Arc(phases, tuple(rows), len(seeds), tuple(seeds)) for phases, (rows, seeds) in merged.items())


def _slot_type(key: str) -> SlotType:
    """A slot's entity label and entity, from the slot table ('<role>.they' belongs to that role)."""
    spec = slot_table().get(key)
    if spec is None:
        raise SeedError(f"slot '{key}' is not in the slot table (generator/data/slots.json)")
    return SlotType(spec.label, spec.entity)


def learn(seeds: list[Seed], name: str = "musician") -> tuple[Grammar, list[SeedReport]]:
    """Learn a grammar from seed stories; deterministic for the same seeds."""
    know = load_knowledge()
    learners = [_SeedLearner(seed, know) for seed in sorted(seeds, key=lambda s: s.name)]
    used = sorted({m.slot for learner in learners for m in learner.findings.mentions})
    slots = {key: _slot_type(key) for key in used}
    pronoun_counts = Counter(learner.findings.pronouns for learner in learners)
    grammar = Grammar(
        name=name,
        phases=PHASES,
        pronoun_sets=know.pronoun_sets,
        # One extra count per set, so every pronoun set occurs even if no seed used it.
        pronoun_weights={key: pronoun_counts[key] + 1 for key in know.pronoun_sets},
        arcs=_arcs(learners),
        slots=slots,
        units=tuple(with_alternatives(align([u for learner in learners for u in learner.units()], know.events))),
        seeds=tuple(learner.record() for learner in learners),
    )
    return grammar, [learner.report() for learner in learners]
