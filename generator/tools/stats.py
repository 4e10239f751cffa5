"""Quality figures over many stories: the zeros we hold ourselves to, and diversity."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from ..model.english import indefinite_article, is_abbreviation
from ..model.grammar import Grammar
from ..model.story import Entity, Story
from .coherence import KINDS, check_story, seed_predecessors
from .shapes import ShapeCount

_WORD = re.compile(r"[A-Za-z0-9']+")
_BOUNDARY = re.compile(r"[.!?]+[\"”’)]*\s+(\S)")
_ARTICLE = re.compile(r"\b([Aa]n?) ([A-Za-z0-9][\w'-]*)")
_WRONG_PRONOUNS = {
    "he": re.compile(r"\b(?:she|her|hers|herself|themselves|themself)\b", re.IGNORECASE),
    "she": re.compile(r"\b(?:he|him|his|himself|themselves|themself)\b", re.IGNORECASE),
    "they": re.compile(r"\b(?:he|him|his|himself|she|hers|herself)\b|\bthey (?:was|is|has)\b", re.IGNORECASE),
}
# Literal pronouns that the seeds use for groups, not for the protagonist.
_GROUP_PHRASES = ("performers themselves",)


@dataclass
class Figures:
    """What `storygen stats` reports. The first block must stay zero."""

    stories: int = 0
    pronoun_mismatches: int = 0
    leaked_seed_names: int = 0
    template_artefacts: dict[str, int] = field(default_factory=dict)
    repeated_sentences: int = 0
    duplicate_stories: int = 0
    span_mismatches: int = 0
    coherence: dict[str, int] = field(default_factory=dict)  # what a careful reader flags, by kind
    stories_with_coherence_errors: int = 0
    sentence_shapes: int = 0  # distinct sentences once names, places, titles and pronouns are masked
    new_sentence_share: float = 0.0  # sentences that are not a seed sentence refilled
    top_shape_story_share: float = 0.0  # stories the most used shape is in
    distinct_2: float = 0.0
    distinct_3: float = 0.0
    max_single_seed_share: float = 0.0
    mean_single_seed_share: float = 0.0
    mean_sentences: float = 0.0
    pronoun_sets: dict[str, int] = field(default_factory=dict)
    arcs: dict[str, int] = field(default_factory=dict)

    @property
    def zero_figures(self) -> dict[str, int]:
        """The figures that must be zero, by name."""
        figures = {
            "pronoun_mismatches": self.pronoun_mismatches,
            "leaked_seed_names": self.leaked_seed_names,
            "repeated_sentences": self.repeated_sentences,
            "duplicate_stories": self.duplicate_stories,
            "span_mismatches": self.span_mismatches,
        }
        figures.update({f"artefact: {k}": v for k, v in self.template_artefacts.items()})
        return figures

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def seed_names(grammar: Grammar) -> list[str]:
    """Every name of a seed character, as whole words."""
    names: set[str] = set()
    for record in grammar.seeds:
        for key in ("hero.name", "hero.first", "mentor.name"):
            names.update(w for w in record.values.get(key, "").split() if w[:1].isupper() and not w.endswith("."))
    return sorted(names)


def _artefacts(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for marker in ("{{", "}}", "{%", "%}"):
        found["template syntax"] += text.count(marker)
    found["None"] += len(re.findall(r"\bNone\b", text))
    found["doubled spaces"] += text.count("  ")
    found["space before punctuation"] += len(re.findall(r" [,.;:!?]", text))
    for match in _ARTICLE.finditer(text):
        if match.group(1).lower() != indefinite_article(match.group(2)):
            found["a/an"] += 1
    for first in _sentence_starts(text):
        if not (first.isupper() or first.isdigit() or first in "\"“‘'"):
            found["lower-case sentence start"] += 1
    return found


def _sentence_starts(text: str) -> list[str]:
    """The first character of every sentence, whatever its case (the learner's splitter
    needs a capital to see a boundary, so it cannot be used to find lower-case starts)."""
    starts = [text.lstrip()[:1]]
    for match in _BOUNDARY.finditer(text):
        word = re.search(r"(\w+)[.!?]+[\"”’)]*\s+\S$", text[max(0, match.start() - 12) : match.end()])
        if word and is_abbreviation(word.group(1)):
            continue
        starts.append(match.group(1))
    return starts


def _pronoun_mismatches(story: Story) -> int:
    # Other characters' pronouns are theirs to choose.
    masked = _blanked(story, lambda e: e.label == "PRONOUN" and e.entity != "hero")
    for phrase in _GROUP_PHRASES:
        masked = masked.replace(phrase, "_" * len(phrase))
    return len(_WRONG_PRONOUNS[story.pronouns].findall(masked))


def _blanked(story: Story, which: Callable[[Entity], bool]) -> str:
    """The text with the mentions of `which` entities written as underscores, offsets kept."""
    chars = list(story.text)
    for e in story.entities:
        if which(e):
            chars[e.start : e.end] = "_" * (e.end - e.start)
    return "".join(chars)


def _span_mismatches(story: Story) -> int:
    bad = 0
    for e in story.entities:
        value = story.values[e.slot]
        if story.text[e.start : e.end] not in (value, value[:1].upper() + value[1:], value.removeprefix("the ")):
            bad += 1
    return bad


def measure(stories: Iterable[Story], grammar: Grammar) -> Figures:
    """Compute every figure over the given stories."""
    figures = Figures()
    leak = re.compile(r"\b(?:" + "|".join(map(re.escape, seed_names(grammar))) + r")\b")
    artefacts: Counter[str] = Counter({k: 0 for k in ("template syntax", "None", "doubled spaces",
                                                      "space before punctuation", "a/an", "lower-case sentence start")})
    seen: set[str] = set()
    coherence: Counter[str] = Counter({kind: 0 for kind in KINDS})
    predecessor = seed_predecessors(grammar)
    bigrams: Counter[tuple[str, ...]] = Counter()
    trigrams: Counter[tuple[str, ...]] = Counter()
    shares: list[float] = []
    sentences = 0
    pronoun_sets: Counter[str] = Counter()
    arcs: Counter[str] = Counter()
    shapes = ShapeCount(grammar)
    for story in stories:
        shapes.add(story)
        figures.stories += 1
        text = story.text
        figures.pronoun_mismatches += _pronoun_mismatches(story)
        # A seed's name that a slot drew for this story (an Irish "Tomás") is no leak.
        figures.leaked_seed_names += len(leak.findall(_blanked(story, lambda e: True)))
        artefacts.update(_artefacts(text))
        figures.span_mismatches += _span_mismatches(story)
        findings = check_story(story, predecessor)
        coherence.update(f.kind for f in findings)
        figures.stories_with_coherence_errors += bool(findings)
        bodies = [text[s.start : s.end] for s in story.sentences]
        figures.repeated_sentences += len(bodies) - len(set(bodies))
        figures.duplicate_stories += text in seen
        seen.add(text)
        words = _WORD.findall(text.lower())
        bigrams.update(zip(words, words[1:]))
        trigrams.update(zip(words, words[1:], words[2:]))
        by_seed: Counter[str] = Counter()
        for s in story.sentences:
            by_seed[s.source] += s.end - s.start
        shares.append(max(by_seed.values()) / max(sum(by_seed.values()), 1))
        sentences += len(story.sentences)
        pronoun_sets[story.pronouns] += 1
        arcs[" -> ".join(story.arc)] += 1
    n = max(figures.stories, 1)
    figures.template_artefacts = dict(artefacts)
    figures.coherence = dict(coherence)
    figures.sentence_shapes, figures.new_sentence_share = shapes.distinct, shapes.new_share
    figures.top_shape_story_share = shapes.top_share
    figures.distinct_2 = round(len(bigrams) / max(sum(bigrams.values()), 1), 4)
    figures.distinct_3 = round(len(trigrams) / max(sum(trigrams.values()), 1), 4)
    figures.max_single_seed_share = round(max(shares, default=0.0), 4)
    figures.mean_single_seed_share = round(sum(shares) / n, 4)
    figures.mean_sentences = round(sentences / n, 2)
    figures.pronoun_sets = dict(sorted(pronoun_sets.items()))
    figures.arcs = dict(arcs.most_common())
    return figures


def format_figures(figures: Figures) -> str:
    """A human-readable report."""
    lines = [f"stories: {figures.stories}", "", "must be zero:"]
    lines += [f"  {name:<34} {value}" for name, value in figures.zero_figures.items()]
    share = figures.stories_with_coherence_errors / max(figures.stories, 1)
    lines += ["", "coherence (what a careful reader flags; see generator/tools/coherence.py):"]
    lines += [f"  {name.replace('_', ' '):<34} {value}" for name, value in figures.coherence.items()]
    lines += [f"  {'stories with any of these':<34} {figures.stories_with_coherence_errors} ({share:.1%})"]
    lines += [
        "",
        "diversity:",
        f"  {'distinct sentence shapes':<34} {figures.sentence_shapes}",
        f"  {'sentences not a seed refilled':<34} {figures.new_sentence_share}",
        f"  {'stories with the top shape':<34} {figures.top_shape_story_share}",
        f"  {'distinct-2':<34} {figures.distinct_2}",
        f"  {'distinct-3':<34} {figures.distinct_3}",
        f"  {'max share of one seed in a story':<34} {figures.max_single_seed_share}",
        f"  {'mean share of one seed in a story':<34} {figures.mean_single_seed_share}",
        f"  {'mean sentences per story':<34} {figures.mean_sentences}",
        "",
        "pronoun sets:",
        *(f"  {k:<34} {v}" for k, v in figures.pronoun_sets.items()),
        "",
        "arcs:",
        *(f"  {k:<60} {v}" for k, v in figures.arcs.items()),
    ]
    return "\n".join(lines) + "\n"
