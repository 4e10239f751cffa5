"""Align seed sentences token by token: where two sentences may trade a phrase (`learn.lattice`
keeps those that keep the sentence what it was).

Two sentences' templates are aligned token by token (slots are tokens), in the manner of word
graphs and paraphrase lattices (Barzilay & Lee 2003; Filippova 2010): where both hold the same
run of words on each side of a stretch that differs, the other sentence's stretch may stand in
for this one's (a "bubble"). Sentence openers before the first comma that begin on the same word
("One fateful evening," / "One evening,", "As he honed his craft," / "As he entered adulthood,")
and closing participle clauses of sentences about the hero (", drawing on ..." / ", captivating
...") are aligned the same way, on the comma they share.

Every junction of a swap is one a seed sentence has: a stretch is swapped only between tokens
both sentences share, so "a"/"an", agreement slots and capitals come with it, and its
punctuation and clause words are the same (no clause gained or lost). The one kind of new
junction is at a clause boundary, by a rule of English clause structure rather than a word-pair
list: an adverbial opener, a closing participle clause or a final adjunct is optional, so it
may be left out (the main clause then opens or closes the sentence, capitalised as it must be)
or put on a main clause about the hero (", " joins them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import narrative
from ..model.grammar import SentenceTemplate
from ..model.slots import slot_table
from .inflection import lemmas, past_participle

MAX_SPAN = 10  # tokens in a swapped stretch: phrases, not sentences
MAX_EDGE = 12  # tokens in a swapped opener or closing clause
# A slot written onto a word ("play{{ hero.s }}", agreement) is part of that word's token.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*(?:\{\{.*?\}\})*|\{\{.*?\}\}|[^\w\s]")
_SLOT = re.compile(r"\{\{\s*([\w.]+)")
# Words that make or join clauses: a swap keeps them, so it neither gains nor loses a clause.
_CLAUSE_WORDS = frozenset(["as", "when", "while", "that", "which", "who", "whom", "whose", "where", "and", "but", "or", "nor", "though", "although", "because", "if", "until", "unless", "so", "yet", "than", "after", "before", "since", "once", "whether"])
_SUBORDINATORS = frozenset(["as", "when", "while", "once", "since", "before", "after", "until", "because", "if", "though", "although"])
_RELATIVES = frozenset(["which", "who", "whom", "whose", "that", "where"])
_JOINERS = frozenset(["and", "but", "or", "nor", "so", "yet"])  # after an opener's comma: no opener ("..., so did")
_FORMS = frozenset(["they", "them", "their", "theirs", "themselves", "were", "are", "have", "do", "noun", "s", "es", "ies"])
# Nouns that make a sentence opener a point in time ("One cold morning in January,").
POINT_IN_TIME = re.compile(r"\b(?:day|days|evening|morning|night|afternoon|week|weeks|month|months|year|years|moment|"
                   r"time|summer|winter|spring|autumn|season)\b", re.IGNORECASE)
_PARTICIPLE = re.compile(r"^(?!(?:any|every|no|some)thing$|during$|evening$|morning$|spring$|string$)[a-z]{3,}ing$")
# Words an adverbial opener begins with: prepositions and subordinators of English (a clause such
# as "The crowd was sparse," is no opener).
_OPENS = frozenset(["after", "amid", "amidst", "as", "at", "before", "by", "despite", "during", "for", "from", "in", "on", "once", "since", "through", "throughout", "upon", "when", "while", "with", "within", "without"])


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def slot(self) -> str | None:
        match = _SLOT.match(self.text)
        return match.group(1) if match else None


def tokens(template: str) -> list[Token]:
    """A template's words, punctuation marks and slots, with their offsets."""
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(template)]


def _is_word(token: Token) -> bool:
    return token.text[0].isalnum() or token.slot is not None


def _content(token: Token) -> bool:
    """A token that can anchor an alignment: a content word, or a name or fact slot (pronouns and
    agreement forms are everywhere)."""
    key = token.slot
    if key is not None:
        return key.rsplit(".", 1)[-1] not in _FORMS
    return token.text[0].isalpha() and len(token.text) > 2 and token.text.lower() not in narrative._STOPWORDS


_SUBJECT_PRONOUNS = frozenset(["he", "she", "they", "i", "we"])


def _subjects(span: list[Token]) -> int:
    """How many people a stretch names, by a subject pronoun or a name: a swap that adds one
    makes two subjects of one verb ("the guitar was played" / "the guitar she played")."""
    def person(key: str) -> bool:
        spec = slot_table().get(key)
        return key.endswith(".they") or (spec is not None and spec.label == "PERSON")
    return sum(1 for t in span if (t.slot is not None and person(t.slot)) or t.text.lower() in _SUBJECT_PRONOUNS)


def _shape(span: list[Token]) -> tuple[list[str], list[str], int]:
    """A stretch's punctuation and clause words, in order, and its pronoun subjects."""
    return ([t.text for t in span if not _is_word(t)],
            [t.text.lower() for t in span if t.text.lower() in _CLAUSE_WORDS], _subjects(span))


@dataclass(frozen=True)
class Aligned:
    """A sentence as the aligner reads it."""

    template: SentenceTemplate
    unit_slots: frozenset[str]
    tokens: list[Token]
    first: bool  # the unit's first sentence
    opens_story: bool = False  # an intro unit's first sentence: a story's first, which leans on nothing


def bubbles(a: list[Token], b: list[Token]) -> Iterator[tuple[int, int, int, int]]:
    """Stretches where two sentences differ between runs they share: (a from, a to, b from, b to)
    token ranges, each ending on the first shared token after it (so both junctions of a swap are
    junctions the sentence already has). A run on the left is the sentence start, two tokens with
    a content word, or one content word around a stretch of at most two words; likewise on the
    right. Only one content word may come or go without another in its place."""
    matcher = SequenceMatcher(None, [t.text for t in a], [t.text for t in b], autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    for k, right in enumerate(blocks):
        left = blocks[k - 1] if k else None
        a0, b0 = (left.a + left.size, left.b + left.size) if left else (0, 0)
        gap_a, gap_b = a[a0:right.a], b[b0:right.b]
        if (not gap_a and not gap_b) or len(gap_a) > MAX_SPAN or len(gap_b) > MAX_SPAN:
            continue
        tight = len(gap_a) <= 2 and len(gap_b) <= 2 and all(_is_word(t) for t in gap_a + gap_b)
        if not (gap_a and gap_b) and (left is None or not (len(gap_a + gap_b) == 1 and _content((gap_a + gap_b)[0]))):
            continue  # only a modifier may come or go ("countless hours" / "hours"), and not first
        if left is None:
            # A sentence's start is its frame: only a word may change there, and not whether it
            # opens on a preposition ("Despite her talent, ..." / "Her talent ...": another clause).
            left_ok = a0 == 0 and b0 == 0 and tight and (a[0].text.lower() in _OPENS) == (b[0].text.lower() in _OPENS)
        else:
            run = a[left.a:left.a + left.size]
            left_ok = (left.size >= 2 and any(map(_content, run))) or (tight and _content(run[-1]))
        run = a[right.a:right.a + right.size]
        right_ok = (right.size >= 2 and any(map(_content, run))) or (tight and _content(run[0]))
        if left_ok and right_ok and _shape(gap_a) == _shape(gap_b):
            yield a0, right.a + 1, b0, right.b + 1


def _opener(toks: list[Token]) -> int | None:
    """Where a sentence's adverbial opener ends (the index of its comma), if it has one: a few
    tokens before the first comma, beginning on a preposition or subordinator, a participle
    ("Growing up,"), a connective ("However,") or a point in time, with no quotation or dash; the main clause after it
    opens on its subject or a subordinate clause (no appositive or correlative: "..., the dombra,
    few knew", "..., so did")."""
    comma = next((k for k, t in enumerate(toks) if t.text == ","), None)
    if comma is None or not 1 <= comma <= MAX_EDGE or comma + 3 >= len(toks):
        return None
    head, opener = toks[0].text, " ".join(t.text for t in toks[:comma])
    # A point in time opens on its own words, with no verb: "{{ hero.name }} recorded it in a
    # single afternoon," is a main clause.
    point_in_time = bool(POINT_IN_TIME.search(opener)) and not head.isupper() and toks[0].slot is None and \
        not any(_verb_form(t.text) for t in toks[1:comma] if t.slot is None)
    participle = bool(_PARTICIPLE.match(head.lower())) or (head.endswith("ed") and _verb_form(head))  # not "Everything"
    if not (head.lower() in _OPENS or participle or narrative.CONNECTIVE.match(opener) or point_in_time):
        return None
    if (head.lower() in _OPENS or point_in_time) and head.lower() not in _SUBORDINATORS and any(_subjects([t]) for t in toks[1:comma]):
        return None  # "At fifteen she began lessons with X, a ...": a main clause, not an opener
    if toks[comma + 1].text.lower() in _RELATIVES:
        return None  # "..., which": what follows leans on the clause before
    if any(t.text in {'"', "–", ":", ";"} for t in toks[:comma]) or toks[comma + 1].text.lower() in _JOINERS:
        return None
    return None if any(t.text == "," for t in toks[comma + 1:comma + 4]) else comma


def _participle(head: Token) -> bool:
    """An opener on a participle ("Growing up,", "Intrigued and motivated,") tells the subject's
    state, not a time or a manner: it changes places only with another."""
    return head.text.lower() not in _OPENS and head.text.endswith(("ing", "ed"))


def _subject(toks: list[Token], opener: int | None) -> str:
    """Whom the main clause is about, by its first token: the hero ("she", a name), something of
    the hero's ("her music"), or anything else (its first word): a closing participle clause
    speaks of the subject, so it moves only between sentences about the same kind of subject."""
    at = opener + 1 if opener is not None else 0
    first = toks[at]
    if first.slot in ("hero.name", "hero.first") and [t.text for t in toks[at + 1:at + 3]] in (["'", "s"], ["’", "s"]):
        return "the hero's"  # "{{ hero.first }}'s blend": the subject is the blend
    if first.slot in ("hero.name", "hero.first", "hero.they"):
        return "hero"
    return "the hero's" if first.slot == "hero.their" else first.text.lower()


def _closing(toks: list[Token]) -> int | None:
    """Where a sentence's closing participle clause starts (the index of its comma), if it has
    one: ', ...ing ...' or ', with ...' to the final full stop, a few tokens long, with no quotation or dash."""
    if not toks or toks[-1].text != ".":
        return None
    k = max((k for k, t in enumerate(toks) if t.text == ","), default=0)
    word, clause = (toks[k + 1].text, toks[k + 1:-1]) if k else ("", [])
    if (_PARTICIPLE.match(word) or word == "with") and len(clause) <= MAX_EDGE and \
            not any(t.text in {'"', "–", ":", ";"} for t in clause):
        return k
    return None


_DESCRIBES = frozenset(["a", "an", "on", "in", "near", "by", "above", "below"])


def _place_appositions(a: list[Token]) -> Iterator[tuple[int, int, str]]:
    """A phrase set off by commas after a place that describes it (", a port town in ...,",
    ", on the south coast of ...,") left out: the sentence stands without it."""
    for k, token in enumerate(a[:-3]):
        if token.slot not in ("home", "city", "abroad.city") or a[k + 1].text != "," or a[k + 2].text.lower() not in _DESCRIBES:
            continue
        e = next((e for e in range(k + 2, len(a)) if a[e].text in {",", ".", ";", ":", '"', "–"}), len(a))
        if e < len(a) and a[e].text in {",", "."} and e - k <= MAX_EDGE:
            yield k, e, token.text


def _closing_participle(toks: list[Token]) -> int | None:
    """Where a closing past-participle clause starts (", regarded as one of ...", ", noted for
    ..."), if the sentence ends on one: it speaks of the main clause's subject and may be left
    out, however long (it is never swapped: `_closing` takes those)."""
    if not toks or toks[-1].text != ".":
        return None
    k = max((k for k, t in enumerate(toks) if t.text == ","), default=0)
    clause = toks[k + 1:-1]
    if k < 4 or len(clause) < 2 or toks[k + 1].slot is not None or toks[k + 1].text.lower() in _FINITE or not past_participle(toks[k + 1].text.lower()) \
            or any(t.text in {'"', "–", ":", ";"} for t in clause):
        return None
    return k if _main_verb(toks[:k]) else None  # "Her mother, Amélia, encouraged ...": that is the main verb


_FINITE = frozenset(["was", "were", "is", "are", "has", "have", "had"])


def _main_verb(toks: list[Token]) -> bool:
    """Whether a stretch holds a finite verb: a form of be or have, one that agrees with the
    hero, or a past tense right after a subject ("she recorded")."""
    for k, t in enumerate(toks):
        if t.text.lower() in _FINITE or (t.slot or "").rsplit(".", 1)[-1] in ("were", "are", "have", "do", "s", "es", "ies"):
            return True
        if k and _verb_form(t.text) and (_subjects([toks[k - 1]]) or (toks[k - 1].slot or "").startswith("hero.")):
            return True
    return False





# Prepositions whose phrase at a sentence's end is an adjunct (of place, manner, time): the
# sentence stands without it ("accepted the invitation without hesitation").
_ADJUNCT = frozenset(["across", "beyond", "from", "in", "on", "with", "without"])
_ADVERBS = frozenset(["everywhere", "again", "together", "too"])  # a final adverb of the same kind


def _verb_form(word: str) -> bool:
    """A past tense or participle that is no noun ("met", "fascinated"): lemminflect knows."""
    found = lemmas(word.lower())
    return "NOUN" not in found and any(lemma != word.lower() for lemma in found.get("VERB", ()))


def _noun_like(token: Token) -> bool:
    """A token that can be a noun: a name or fact slot, or a content word lemminflect knows as a
    noun or does not know at all (a word of a seed's world: "choro")."""
    if token.slot is not None:
        return token.slot.rsplit(".", 1)[-1] not in _FORMS
    word = token.text.lower()
    if not word[:1].isalpha() or word in narrative._STOPWORDS:
        return False
    found = lemmas(word)
    return not found or "NOUN" in found or "PROPN" in found


def _clause_follows(toks: list[Token], comma: int) -> bool:
    """Whether a clause, not a list item or an appositive, follows a comma: the hero as subject,
    a word that joins clauses, or a participle."""
    after = toks[comma + 1] if comma + 1 < len(toks) else None
    return after is not None and (after.slot in ("hero.name", "hero.first", "hero.they") or
                                  after.text in _CLAUSE_WORDS or bool(_PARTICIPLE.match(after.text)))


def _adjunct_before(toks: list[Token], end: int) -> int | None:
    """Where an adjunct phrase that ends just before toks[end] (the full stop, or a comma that
    closes a clause) starts: a preposition of `_ADJUNCT` a few tokens back, after a word, with
    only words after it; at the full stop also a final appositive (", the largest city in ...").
    None if there is none (a phrase of two words, "in awe", "in town", may be what the verb
    needs; before a comma that no clause follows, the comma may be a list's or an appositive's)."""
    if end < 5 or (toks[end].text == "," and not _clause_follows(toks, end)):
        return None
    if toks[end].text == "," and toks[end + 1].text.lower() in _RELATIVES:
        return None  # "for tips in the restaurants of X, where the owners ...": the clause is the phrase's
    for k in range(end - 1, max(end - 7, 2), -1):
        word = toks[k].text
        if not _is_word(toks[k]) or word == '"':
            return None
        after_word = _is_word(toks[k - 1]) and toks[k - 1].text.lower() not in narrative._STOPWORDS
        if word == "with" and _verb_form(toks[k - 1].text):
            return None  # "met with", "fascinated with": what the verb takes, not an adjunct
        if _verb_form(toks[k - 1].text) and (_noun_like(toks[k - 2]) or toks[k - 2].text.lower() in ("has", "have", "had")):
            return None  # "the rodas held in bars", "a piano bought from ...", "has toured in ...": a participle needs its phrase
        if word in _ADJUNCT and (toks[k + 1].text in _OPENS or set(lemmas(toks[k - 1].text.lower())) == {"ADV"}):
            return None  # "goes on for minutes" (a particle), "almost in a whisper" (a degree): the phrase is needed
        if toks[k - 2].text.lower() in ("to", "a", "an") or toks[k - 2].text.endswith("est") or toks[k - 3].text.lower() == "most":
            return None  # "to venture beyond ...", "an artist with ...", "the largest city in ...": what the word needs
        size = end - k
        if after_word and ((word in _ADVERBS and size == 1) or (word in _ADJUNCT and (size >= 3 or (size == 2 and toks[end - 1].slot)))):
            return k
        if toks[end].text == "." and word in ("the", "a", "an") and toks[k - 1].text == "," and toks[k - 2].slot is not None:
            return k - 1
    return None


def _adjuncts(toks: list[Token]) -> Iterator[tuple[int, int]]:
    """Every optional adjunct phrase: (where it starts, the token that ends it)."""
    ends = [k for k, t in enumerate(toks) if t.text == "," and k > 0] + ([len(toks) - 1] if toks and toks[-1].text == "." else [])
    for end in ends:
        start = _adjunct_before(toks, end)
        if start is not None:
            yield start, end


_ABOUT_HERO = ("hero", "the hero's")


def _lowered(token: Token) -> str:
    """A sentence's first token as it reads after an opener ("{{ hero.they|cap }}" -> "{{ hero.they }}")."""
    if token.slot is not None:
        return token.text.replace("|cap", "")
    return token.text[:1].lower() + token.text[1:]


def _capitalised(token: Token) -> str:
    """A token as it reads at the start of a sentence ("{{ hero.they }}" -> "{{ hero.they|cap }}")."""
    if token.slot is None:
        return token.text[:1].upper() + token.text[1:]
    if token.slot.rsplit(".", 1)[-1] not in _FORMS or "|cap" in token.text:
        return token.text
    return token.text.replace(" }}", "|cap }}", 1)


# Verbs that tell a state, not an event ("was", "had become", "would"): a point in time or a
# momentary manner ("One evening,", "With a deep breath,") goes with an event only.
_STATIVE = frozenset(["was", "were", "is", "are", "be", "been", "had", "has", "have", "would", "could", "might", "will",
                      "seemed", "remained", "knew", "felt", "loved"])


def _aspect(toks: list[Token], start: int) -> str:
    """'state', 'perfect' or 'event': what the first verb of the clause from toks[start] tells."""
    for k in range(start, min(start + 14, len(toks))):
        token = toks[k]
        be = token.slot is not None and token.slot.rsplit(".", 1)[-1] in ("were", "are")
        if be or token.text.lower() in ("was", "were", "is", "are"):  # "was packing": an event under way
            return "event" if k + 1 < len(toks) and _PARTICIPLE.match(toks[k + 1].text) else "state"
        if token.slot is not None:
            if token.slot.rsplit(".", 1)[-1] in ("have", "do"):
                return "state"
            continue
        word = token.text.lower()
        if word in ("had", "has", "have") and k + 1 < len(toks) and toks[k + 1].text.lower() not in ("a", "an", "the", "it", "no"):
            return "perfect"  # "had become an icon": a result, which a means ("Through her efforts,") leads to
        if word in _STATIVE:
            return "state"
        classes = set(lemmas(word))
        if {"VERB", "AUX"} & classes and "NOUN" not in classes and not _PARTICIPLE.match(word):
            return "event"  # the first word that can only be a verb ("her debut album" can be nouns)
    return "event"


def _opens_on_adverbial(toks: list[Token]) -> bool:
    """A sentence that already opens on an adverbial, read as one or not ("Despite his talent for
    ..., the dombra, few knew", "Growing up, ..."): it takes no second opener."""
    head = toks[0].text
    participle = toks[0].slot is None and (head.endswith(("ing", "ed")) or head.lower() not in lemmas(head.lower()).get("VERB", (head.lower(),)))
    return head.lower() in _OPENS or participle or bool(narrative.CONNECTIVE.match(head))


def _fits(x: Aligned, oa: int | None, y: Aligned, ob: int) -> bool:
    """Whether y's opener can open x. One that sets a time ("One day,") goes only where a unit
    begins (inside one it would cut the scene); one without a subject of its own ("With a deep
    breath,", "Through her efforts,") only before a main clause on the hero, whom it speaks of
    ("With his newfound fame, his rise to fame" dangles); a subordinate clause ("As she honed her
    craft,") never before another ("..., as she was packing up"); none before a sentence that opens
    on an adverbial already, nor before a state where its own sentence tells an event (`_aspect`)."""
    a, b = x.tokens, y.tokens
    sets_time = bool(POINT_IN_TIME.search(y.template.template[:b[ob].start]))
    if sets_time and (not x.first or not narrative.one_occasion(x.template.template)):
        return False
    if (oa is None and _opens_on_adverbial(a)) or _aspect(a, 0 if oa is None else oa + 1) != _aspect(b, ob + 1):
        return False
    if x.opens_story or (x.first and not y.first) or (not y.first and not narrative.one_occasion(x.template.template)):
        return False  # a story's first sentence takes none; one from inside a scene ("With a deep breath,") stays in one occasion
    own_subject = b[0].text.lower() in _CLAUSE_WORDS or sets_time
    if not own_subject and _subject(a, oa) != "hero":
        return False
    return not (own_subject and b[0].text.lower() in _CLAUSE_WORDS and oa is not None
                and a[oa + 1].text.lower() in _CLAUSE_WORDS)


def edges(x: Aligned, y: Aligned) -> Iterator[tuple[int, int, str]]:
    """What y's opener and closing clause offer x: its adverbial opener (the span runs to the main
    clause's first token, which x keeps); its closing participle clause, when both main clauses
    have the same kind of subject. As (x from, x to, text)."""
    a, b = x.tokens, y.tokens
    ta, tb = x.template.template, y.template.template
    oa, ob = _opener(a), _opener(b)
    if ob is not None and _fits(x, oa, y, ob):
        if oa is not None and _participle(a[0]) == _participle(b[0]):
            yield 0, oa + 2, tb[:b[ob].end] + ta[a[oa].end:a[oa + 1].end]
        elif oa is None and not _participle(b[0]) and a[0].text.lower() not in _JOINERS:  # no "Yet, but ..."
            yield 0, 1, tb[:b[ob].end] + " " + _lowered(a[0])  # a main clause on the hero takes one
    ca, cb = _closing(a), _closing(b)
    if cb is None or _subject(a, oa) != _subject(b, ob) or _subject(a, oa) not in _ABOUT_HERO:
        return
    if ca is not None:
        yield ca, len(a), tb[b[cb].start:]
    elif len(a) > 2 and a[-1].text == "." and _is_word(a[-2]) and sum(t.text == "," for t in a) <= 2:
        yield len(a) - 2, len(a), a[-2].text + tb[b[cb].start:]  # a plain main clause takes one too


def drops(x: Aligned) -> Iterator[tuple[int, int, str]]:
    """An adverbial opener, a closing participle clause, a final adjunct or appositive, or a
    closing elaboration after a dash left out: each is optional, so the sentence stands without
    it (its main clause opens or closes it)."""
    a = x.tokens
    oa, ca = _opener(a), _closing(a)
    if oa is not None:
        yield 0, oa + 2, _capitalised(a[oa + 1])
    if ca is not None:
        yield ca, len(a), "."
    elif (cp := _closing_participle(a)) is not None:
        yield cp, len(a), "."
    last = max((k for k, t in enumerate(a) if t.text == ","), default=0)
    if ca is None and last and a[-1].text == "." and (a[last + 1].text in _OPENS or a[last + 1].text == "thanks") \
            and not any(t.text in {'"', "–", ":", ";", ","} for t in a[last + 1:]) \
            and not any(t.text == "," for t in a[max(0, last - 6):last]):  # "and, for one long winter, in ...": the phrase is the list's
        yield last, len(a), "."  # a closing prepositional phrase (", thanks to ...")
    for start, end in _adjuncts(a):
        yield start - 1, end + 1, a[start - 1].text + a[end].text
    yield from _place_appositions(a)
    # A dash between spaces: "1952–2016" joins a range, it opens no elaboration.
    dash = max((k for k, t in enumerate(a) if t.text == "–" and x.template.template[t.start - 1:t.end + 1] == " – "), default=None)
    if dash is not None and dash >= 3 and a[-1].text == "." and _is_word(a[dash - 1]) and \
            not any(t.text in {'"', "–", ":", ";"} for t in a[dash + 1:]):
        yield dash - 1, len(a), a[dash - 1].text + "."  # a closing elaboration after a dash
