"""Learn each sentence's lattice: the phrase-level alternatives that keep it what it was.

`learn.align` says where two seed sentences may trade a phrase; this module keeps a trade only
if the sentence stays what it was in its unit:
- it brings no slot its unit lacks (no new fact, place, title or character), and no word of a
  seed that no slot took (a unit's `literals`: a sampled story tells such a unit only through a
  path that leaves them out, `model.alternatives.sampled_variants`);
- the narrative signals the learner binds and orders units by (`model.narrative`) read on the
  new sentence as on the seed's: the same set-ups and payoffs (an invitation, a performance, a
  move, an arrival), and no stage of the life, event, definite reference, connective or time
  anaphora it did not have (it may have fewer), so the unit keeps its scene, thread, time,
  place and exclusions;
- it makes the sentence say the same (a salient phrase, or as many content words as a
  retelling) as no sentence it may share a story with, on any alternative learned before it,
  that it did not already: no story says a thing twice; an opener goes to one sentence of a unit
  (and the sampler tells none twice in a story).
Choice points never overlap or touch; each keeps its best-attested options.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import narrative
from ..model.alternatives import Alternative, choice_points, opener_of, path_choices, spliced
from ..model.grammar import Unit
from ..model.slots import PLACES
from ..model.templates import slot_keys
from .agreement import agreement_slots
from .align import POINT_IN_TIME, Aligned, bubbles, drops, edges, tokens
from .naming import namings
from .people import GENDERED
from .reductions import reductions

MAX_OPTIONS = 12  # alternatives at one choice point
_SLOT = re.compile(r"\{\{\s*([\w.]+)[^}]*\}\}")
_STAGE_WORDS = re.compile(r"\b(?:stage|offstage|bow|sea of|concert|competition|festival|performance|audition|"
                          r"recital|gig|venue|crowd|audience)\b", re.IGNORECASE)
_ON_STAGE = re.compile(r"\b(?:on stage|offstage|bow|sea of)\b", re.IGNORECASE)
Found = dict[tuple[int, int], dict[str, set[str]]]  # x's token range -> text -> the sentences it came from


def signature(template: str, events: dict[str, list[str]]) -> tuple[tuple[object, ...], tuple[frozenset[object], ...]]:
    """What the learner and the reader's checks read of a sentence, in two parts. The first an
    alternative must keep as it is: what the sentence sets up or pays off (an invitation, a
    performance, a goal, a move, an arrival, a hardship). The second it may lessen but never add to: the
    stages of the life it tells, its events, its definite references, whether it leans on the
    sentence before (a connective, time anaphora, a presupposition) or puts the hero on a stage."""
    text = _SLOT.sub("Ana", template)
    lower = text.lower()
    kept = (frozenset(narrative.setups(text)), bool(narrative.GOAL.search(text)), bool(narrative.MOVE.search(text)),
            bool(narrative.ARRIVAL.search(text)), bool(narrative.INTENT_TO_LEAVE.search(text)),
            bool(_STAGE_WORDS.search(text)), narrative.tells_hardship(text))
    leans = {"opens": narrative.opens_on_what_came_before(text), "connective": bool(narrative.CONNECTIVE.match(text)),
             "time": bool(narrative.TIME_ANAPHORA.search(text)), "on stage": bool(_ON_STAGE.search(text))}
    told = narrative.GOAL.split(text)[0]  # as `narrative.stage_of` reads it: a hope is no stage reached
    lessened = (frozenset(k for k, stage in enumerate(narrative.STAGES) if stage.search(told)),
                frozenset(e for e, cues in events.items() if any(re.search(r"(?<![a-z])" + re.escape(c), lower) for c in cues)),
                frozenset(ref.lower() for ref, _ in narrative.definite_references(text)),
                frozenset(k for k, on in leans.items() if on))
    return kept, lessened


def same_place(new: str, old: str, events: dict[str, list[str]]) -> bool:
    """Whether a sentence told as `new` keeps the place in its unit that `old` has (see `signature`)."""
    (kept_new, less_new), (kept_old, less_old) = signature(new, events), signature(old, events)
    return kept_new == kept_old and all(a <= b for a, b in zip(less_new, less_old))


def _masked(template: str) -> str:
    return _SLOT.sub("_", template)


_WORDS = re.compile(r"\{\{.*?\}\}|[^\W_][\w'-]*")
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|thirty|"
                     r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)\b", re.IGNORECASE)
_DEFINITE = re.compile(r"\b(?:[Tt]he|[Tt]hat|[Tt]his|[Tt]hose|[Tt]hese|[Tt]here)\b")  # "There she studied": a place told before


def _brings(text: str, replaces: str, at_start: bool) -> bool:
    """Whether a text brings what its place does not hold: a word written with a capital (a
    name no slot took; the first word of a sentence aside), a personal pronoun no slot took
    (someone else's: "She makes" for "{{ teacher.surname }} makes"), a number or a date, or a
    definite reference (it presupposes something told before)."""
    words = [w for w in _WORDS.findall(text) if not w.startswith("{{")]
    names = [w for k, w in enumerate(words) if w[0].isupper() and not (at_start and k == 0)]
    if any(name not in replaces for name in names):
        return True
    had = {w.lower() for w in _WORDS.findall(replaces)}
    if any(w.lower() in GENDERED and w.lower() not in had for w in words):
        return True
    counted = re.sub(r"^One\b", "", text)  # "One day," opens on a number that counts nothing
    numbers = len(_NUMBER.findall(counted)) > len(_NUMBER.findall(replaces))
    return numbers or len(_DEFINITE.findall(text)) > len(_DEFINITE.findall(replaces))


def _repeats(text: str, replaces: str, rest: str) -> bool:
    """Whether a text brings a word the rest of its sentence already says ("As he honed his craft,
    he spent hours honing his craft", "rise to fame ..., propelling him to international fame"): a
    content word it did not have."""
    new = set(narrative.content_words(_masked(text))) - set(narrative.content_words(_masked(replaces)))
    return bool(new & set(narrative.content_words(_masked(rest))))


def _new_place(text: str, replaces: str, template: str) -> bool:
    """Whether a text sets its sentence in a place the sentence did not name (within a unit, a
    place may be one the hero has not reached yet: "In {{ city }}, ..." before the move there), or
    in a place where the sentence tells a move ("In {{ city }}, she set out for {{ city }}")."""
    def places(t: str) -> set[str]:
        return {key for key in _SLOT.findall(t) if key in PLACES}
    brought = places(text) - places(replaces)
    return bool(brought - places(template)) or (bool(brought) and bool(narrative.MOVE.search(_SLOT.sub("Ana", template))))


def _balanced(template: str) -> bool:
    """Whether every bracket and quotation mark a sentence opens it also closes."""
    text = _SLOT.sub("_", template)
    return text.count("(") == text.count(")") and text.count('"') % 2 == 0


_PRONOUN_SUBJECT = re.compile(r"\{\{ hero\.they(?:\|cap)? \}\}")
# A name, a few words, then a verb that agrees with the pronoun set: a name takes the singular.
_NAME_AGREEING = re.compile(r"\{\{ hero\.(?:name|first|surname)(?:\|cap)? \}\}(?: [a-z]+){0,2} [a-z]*"
                            r"\{\{ hero\.(?:were|are|have|do|s|es|ies) \}\}")
_SINGULAR = {"were": "was", "are": "is", "have": "has", "do": "does", "s": "s", "es": "es", "ies": "ies"}


def _disagrees(template: str) -> bool:
    """Whether a swap left a verb that does not agree with its subject: the hero's pronoun before a
    verb of fixed form ("{{ hero.they }} still keeps"), or a name before one that follows the
    pronoun set ("{{ hero.first }} keep{{ hero.s }}")."""
    return bool(_NAME_AGREEING.search(template)) or any(
        agreement_slots(template, m.end(), _SINGULAR, "hero") for m in _PRONOUN_SUBJECT.finditer(template))


def _fact_slots(keys: list[str]) -> set[str]:
    return {k for k in keys if not k.startswith("hero.")}


class _Corpus:
    """Every seed sentence, which units never share a story (they say the same thing), and what
    each sentence says."""

    def __init__(self, units: list[Unit], events: dict[str, list[str]]) -> None:
        self.events = events
        self.sentences: list[Aligned] = []
        self.unit_of: dict[str, int] = {}
        for u, unit in enumerate(units):
            keys = frozenset(_fact_slots([k for s in unit.sentences for k in slot_keys(s.parts)]))
            for k, s in enumerate(unit.sentences):
                self.sentences.append(Aligned(s, keys, tokens(s.template), k == 0, unit.intro and k == 0))
                self.unit_of[s.id] = u
        self.said = {x.template.id: narrative.salience(_masked(x.template.template)) for x in self.sentences}
        said = [[self.said[s.id] for s in unit.sentences] for unit in units]
        self.apart = [{v for v in range(len(units)) if v != u and any(narrative.say_the_same(a, b) for a in said[u] for b in said[v])}
                      for u in range(len(units))]
        # What each sentence says on every alternative taken so far, one alternative at a time.
        # The openers each unit opens a sentence with (its own, then its alternatives'): an opener
        # goes to one sentence of a unit only.
        self.openers = [{o for s in unit.sentences if (o := opener_of(s.template))} for unit in units]
        self.told: dict[str, list[narrative.Salience]] = {x.template.id: [self.said[x.template.id]] for x in self.sentences}
        self.literals = {word for unit in units for word in unit.literals}

    def company(self, x: Aligned) -> list[Aligned]:
        """The sentences x may share a story with."""
        u = self.unit_of[x.template.id]
        return [z for z in self.sentences if z is not x and self.unit_of[z.template.id] not in self.apart[u]]

    def keeps(self, x: Aligned, new: str, company: list[Aligned]) -> bool:
        """Whether x told as `new` stays what it was."""
        template = x.template.template
        if not same_place(new, template, self.events):
            return False
        said, before = narrative.salience(_masked(new)), self.said[x.template.id]
        return not any(narrative.say_the_same(said, other) and not narrative.say_the_same(before, other)
                       for z in company for other in self.told[z.template.id])

    def consider(self, x: Aligned, options: list[tuple[int, int, str]], source: str, found: Found,
                 company: list[Aligned]) -> None:
        """Keep each option (x's token range, the text for it) that keeps x what it was."""
        template = x.template.template
        for a0, a1, text in options:
            start, end = x.tokens[a0].start, x.tokens[a1 - 1].end
            replaces = template[start:end]
            if text == replaces or template.count(replaces) != 1:
                continue
            if not _fact_slots([m.group(1) for m in _SLOT.finditer(text)]) <= x.unit_slots or _brings(text, replaces, a0 == 0) \
                    or self.literals.intersection(_WORDS.findall(text)) or _new_place(text, replaces, template) \
                    or _repeats(text, replaces, template[:start] + " " + template[end:]):
                continue  # it would bring in a fact the unit lacks, a name, a place the sentence lacks, or say a thing twice
            new = template[:start] + text + template[end:]
            if not _balanced(new) or _disagrees(new) or ("{{ hero." in template and "{{ hero." not in new):
                continue  # "Ana Luíza (1952." cut a bracket open; "they still keeps"; a sentence about the hero stays so
            opener = opener_of(new) if a0 == 0 else None
            if opener is not None and opener != opener_of(template) and (opener in self.openers[self.unit_of[x.template.id]] or (
                    POINT_IN_TIME.search(opener) and not (x.first and narrative.one_occasion(new)))
                    or (narrative.ITERATIVE.search(opener) and narrative.one_occasion(new))):
                continue  # an opener goes to one sentence of a unit; a point in time opens a unit, on one occasion; "each" spans many
            anchors, had = (len(narrative.TIME_ANAPHORA.findall(_SLOT.sub("Ana", t))) for t in (new, template))
            if anchors > had > 0:
                continue  # one time anchor to a sentence ("As she began to sing, the night of the festival arrived")
            if text in found.get((a0, a1), {}) or self.keeps(x, new, company):
                found.setdefault((a0, a1), {}).setdefault(text, set()).add(source)

    def lattice(self, x: Aligned) -> tuple[Alternative, ...]:
        """x's alternatives: from its own optional clauses, and from every other sentence."""
        found: Found = {}
        company = self.company(x)
        self.consider(x, [*drops(x), *reductions(x), *namings(x)], x.template.id, found, company)
        for y in self.sentences:
            if y is not x:
                ty = y.template.template
                options = [(a0, a1, ty[y.tokens[b0].start:y.tokens[b1 - 1].end]) for a0, a1, b0, b1 in bubbles(x.tokens, y.tokens)]
                self.consider(x, [*options, *edges(x, y)], y.template.id, found, company)
        return self.combined(x, self.choose(x, found), company)

    def combined(self, x: Aligned, alternatives: tuple[Alternative, ...], company: list[Aligned]) -> tuple[Alternative, ...]:
        """The alternatives less any choice point whose options, taken together with another's,
        would make x say the same as a sentence it may share a story with; what x says on each
        path is then known to the sentences learned after it."""
        template, before = x.template.template, self.said[x.template.id]
        while True:
            points, _ = choice_points(template, alternatives)
            said = [narrative.salience(_masked(spliced(template, points, c))) for c in path_choices(points)]
            bad = next((k for k, path in enumerate(said) if any(
                narrative.say_the_same(path, other) and not narrative.say_the_same(before, other)
                for z in company for other in self.told[z.template.id])), None)
            if bad is None:
                self.told[x.template.id] += said[1:]
                self.openers[self.unit_of[x.template.id]] |= {
                    o for c in path_choices(points) if (o := opener_of(spliced(template, points, c)))}
                return alternatives
            last = points[max(k for k, option in enumerate(path_choices(points)[bad]) if option)]
            alternatives = tuple(a for a in alternatives if a.replaces != last.options[0])

    def choose(self, x: Aligned, found: Found) -> tuple[Alternative, ...]:
        """Choice points that neither overlap nor touch (a token between any two), those with most
        options first, each with its best-attested options."""
        template = x.template.template
        taken: list[tuple[int, int]] = []
        alternatives: list[Alternative] = []
        for (a0, a1), options in sorted(found.items(), key=lambda item: (-len(item[1]), item[0])):
            if any(a0 <= t1 and t0 <= a1 for t0, t1 in taken):
                continue
            taken.append((a0, a1))
            replaces = template[x.tokens[a0].start:x.tokens[a1 - 1].end]
            for text, sources in sorted(options.items(), key=lambda item: (-len(item[1]), item[0]))[:MAX_OPTIONS]:
                alternatives.append(Alternative(replaces, text, tuple(sorted(sources))))
        return tuple(sorted(alternatives, key=lambda alt: (template.index(alt.replaces), alt.text)))


def align(units: list[Unit], events: dict[str, list[str]]) -> list[Unit]:
    """The units with alternatives on their sentences, aligned across every seed sentence."""
    corpus = _Corpus(units, events)
    learned = {x.template.id: corpus.lattice(x) for x in corpus.sentences}
    return [replace(u, sentences=tuple(replace(s, alternatives=learned[s.id]) for s in u.sentences)) for u in units]
