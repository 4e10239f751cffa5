"""Reductions: parts of a sentence English lets go of, so a sentence is also told without them.

An attributive adjective ("a prestigious music festival") qualifies its noun: the phrase stands
without it ("a music festival"). Only a word the lexicon knows as an adjective alone, written in
lower case, that a determiner, a possessive, a preposition, a slot or another adjective comes
before and a noun phrase after; not the words that count, order or pick out ("new", "first",
"own", "only", "many": `_LOAD_BEARING`), and not where "a"/"an" would no longer fit.

Coordination reduction: "X and Y" may be told as X alone or as Y alone.

English joins two phrases of one kind with "and" ("its haunting melodies and poignant lyrics",
"to explore their roots and push the boundaries of ..."), and either conjunct stands where the
pair stood, so a sentence that joins two is also told with one (a paraphrase every seed sentence
with a pair offers, not only one with a counterpart in another seed). `learn.lattice` then keeps
a reduction only where the sentence stays what it was, as for any alternative.

A conjunct is found from word classes (lemminflect's lexicon) rather than a parser:
- two noun phrases: each runs back from "and" (or on from it) over adjectives and nouns to a
  determiner, preposition or verb, and ends on a noun of the same number as the other's;
- two verb phrases: the second starts on a verb, the first on the nearest verb of the same form
  before "and" (after "to" for a plain infinitive).
Left as they are: lists (", and"), a pair at a sentence's start (a subject: its verb agrees with
two), a pair a verb agrees with, a pair a word of joining governs ("between X and Y", "a blend of
X and Y", "both"), conjuncts holding a fact slot, and "a"/"an" that would no longer fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .align import _CLAUSE_WORDS, Aligned, Token
from .inflection import lemmas, present_tense_ending

MAX_CONJUNCT = 8  # tokens in one conjunct
# Words that govern both conjuncts together: with one left, they no longer make sense.
_PAIRING = frozenset(["between", "both", "either", "neither", "blend", "mix", "mixture", "fusion", "combination",
                      "balance", "tension", "contrast", "alike", "together"])
_DETERMINERS = frozenset(["a", "an", "the", "its", "his", "her", "their", "our", "my", "your", "this", "that", "these",
                          "those", "each", "every", "some", "many", "several", "no", "any"])
_PREPOSITIONS = frozenset(["of", "for", "in", "across", "with", "from", "to", "at", "on", "through", "into", "along",
                           "by", "about", "beyond", "within", "throughout", "around", "among", "over", "despite",
                           "after", "before", "during", "without", "upon", "amid", "under", "like", "toward", "towards"])
_AUXILIARIES = frozenset(["was", "were", "is", "are", "be", "been", "being", "had", "has", "have", "would", "could", "will", "can"])
# Words that take no article: "a lovely voice and nothing to say" is not "a nothing to say".
_NO_ARTICLE = frozenset(["nothing", "something", "anything", "everything", "nobody", "somebody", "anybody", "everybody",
                         "nowhere", "none", "no", "all", "both", "each", "every", "much", "more", "most"])
_HARD = frozenset([",", ".", ";", ":", "–", '"', "!", "?"])
_HERO_FORMS = ("hero.",)  # the hero's pronouns and names: no fact, so a conjunct may hold them


def _classes(word: str) -> frozenset[str]:
    """The word classes lemminflect knows a word in (empty for a word it does not know)."""
    return frozenset(lemmas(word.lower()))


def _nominal(token: Token) -> bool:
    """A word that can be part of a noun phrase after its determiner: an adjective, a noun or a
    participle ("haunting"); a word the lexicon lacks ("cafes", "sold-out") is taken as one, a
    verb that agrees ("play{{ hero.s }}") never."""
    if token.slot is not None or "{{" in token.text or len(token.text) < 2 or not token.text[0].isalpha() \
            or token.text.lower() in _DETERMINERS | _PREPOSITIONS | _CLAUSE_WORDS:
        return False
    classes = _classes(token.text)
    return not classes or bool(classes & {"NOUN", "ADJ", "PROPN"}) or token.text.endswith(("ing", "ed"))


def _opens_phrase(a: list[Token], k: int) -> bool:
    """Whether a noun phrase can follow a[k]: a determiner, a possessive ('s), a preposition, a
    slot ("{{ hero.their }}", "{{ nationality }}") or a verb; not an adverb or a word the phrase
    would leave stranded."""
    token, word = a[k], a[k].text.lower()
    possessive = word == "s" and k > 0 and a[k - 1].text in ("'", "’")
    return token.slot is not None or possessive or word in _DETERMINERS | _PREPOSITIONS or _verb_kind(token) is not None


def _noun(token: Token) -> bool:
    classes = _classes(token.text)
    return _nominal(token) and (not classes or "NOUN" in classes)


def _plural(word: str) -> bool:
    nouns = lemmas(word.lower()).get("NOUN")
    return nouns[0] != word.lower() if nouns else word.lower().endswith("s")


def _verb_kind(token: Token) -> str | None:
    """'base', 'ing', 'present' ("takes") or 'past' for a verb of the lexicon that is no
    auxiliary, else None."""
    if token.slot is not None or not token.text.isalpha():
        return None
    word = token.text.lower()
    found = lemmas(word)
    if "VERB" not in found or "AUX" in found:
        return None
    if word.endswith("ing"):
        return "ing"
    return "base" if word in found["VERB"] else "present" if present_tense_ending(word) else "past"


def _free(span: list[Token]) -> bool:
    """No fact slot, quotation or dash inside."""
    return all((t.slot is None or t.slot.startswith(_HERO_FORMS)) and t.text not in _HARD for t in span)


def _article_fits(article: str, word: str) -> bool:
    """Whether "a"/"an" before `word` can stay (a word on a vowel letter or h is left alone)."""
    vowel = word[:1].lower() in "aeiouh"
    return (article.lower() == "an") == vowel and word[:1].lower() not in "uh"


def _noun_phrases(a: list[Token], k: int) -> tuple[int, int] | None:
    """Where the noun-phrase conjuncts around a[k] ("and") start and end, if they are such."""
    s = k
    while s > 0 and k - s < 3 and _nominal(a[s - 1]):
        s -= 1
    e = k + 1
    while e < len(a) and e - k <= 3 and _nominal(a[e]) and _verb_kind(a[e]) in (None, "base"):
        e += 1  # a participle after the second conjunct is what follows the pair ("lyrics capturing ...")
    if s == k or e == k + 1 or s == 0 or not (_noun(a[k - 1]) and _noun(a[e - 1])) or not _opens_phrase(a, s - 1):
        return None  # no noun phrases, a subject, or more of the phrase before them than was read
    if e < len(a) and a[e].text not in _HARD and a[e].text.lower() not in _PREPOSITIONS | _CLAUSE_WORDS \
            and _verb_kind(a[e]) != "ing":
        return None  # a verb agrees with the pair, or the phrase runs on
    if _plural(a[k - 1].text) != _plural(a[e - 1].text):
        return None
    return s, e


def _verb_phrases(a: list[Token], k: int) -> tuple[int, int, bool] | None:
    """Where the verb-phrase conjuncts around a[k] start and end, and whether the second runs to
    the clause's end (else what follows it may be its own, and the first cannot stand alone)."""
    form = _verb_kind(a[k + 1])
    if form is None:
        return None
    v = next((v for v in range(k - 1, max(k - MAX_CONJUNCT, 0) - 1, -1)
              if _verb_kind(a[v]) == form or a[v].text in _HARD or a[v].text.lower() in _CLAUSE_WORDS), None)
    if v is None or _verb_kind(a[v]) != form or (form == "base" and (v == 0 or a[v - 1].text.lower() != "to")):
        return None
    e = k + 1
    while e < len(a) and a[e].text not in _HARD and a[e].text.lower() not in _CLAUSE_WORDS:
        e += 1
    if e - k - 1 > MAX_CONJUNCT or e == len(a):
        return None
    return v, e, a[e].text in _HARD


# Adjectives that count, order or pick out, rather than qualify: the phrase means another thing without them.
_LOAD_BEARING = frozenset(["new", "young", "old", "first", "last", "next", "own", "other", "same", "only", "many", "few",
                           "such", "more", "most", "less", "least", "little", "much", "whole", "very", "single",
                           "entire", "main", "final", "late", "early", "former", "future", "true", "real", "certain",
                           "several", "numerous", "various"])
_DEGREE = frozenset(["more", "most", "less", "least", "so", "too", "as", "very", "quite", "rather", "truly", "deeply"])


def _plain_adjective(word: str) -> bool:
    """An adjective alone in the lexicon, in its plain form ("larger", "largest" compare)."""
    found = lemmas(word)
    return set(found) == {"ADJ"} and word in found["ADJ"]


_NUMBER_WORD = re.compile(r"(?:hundreds?|thousands?|millions?|dozens?|\d)", re.IGNORECASE)


def _adjectives(a: list[Token], template: str) -> Iterator[tuple[int, int, str]]:
    """Each attributive adjective left out: (from, to, text) over the words around it (after a
    phrase's opener, another adjective, "and" or an auxiliary: "had poignant lyrics")."""
    for k in range(1, len(a) - 1):
        word = a[k].text
        if not word.islower() or word in _LOAD_BEARING or not _plain_adjective(word):
            continue
        before, after = a[k - 1], a[k + 1]
        opens = _opens_phrase(a, k - 1) or _nominal(before) or before.text.lower() in ("and", "or") or "AUX" in _classes(before.text)
        if before.text.lower() in _DEGREE or not opens or not _nominal(after) or _NUMBER_WORD.match(after.text):
            continue  # "of several thousand": a quantity's word is no adjective
        e = k + 1
        while e < len(a) and _nominal(a[e]) and _verb_kind(a[e]) in (None, "base"):
            e += 1
        if not _noun(a[e - 1]) or (before.text.lower() in ("a", "an") and not _article_fits(before.text, after.text)):
            continue
        yield k - 1, k + 2, template[before.start:before.end] + " " + template[after.start:after.end]


def _item(a: list[Token], start: int, end: int) -> bool:
    """Whether a[start:end] is a short noun phrase, a determiner first or not, ending on a noun."""
    words = a[start + (a[start].text.lower() in _DETERMINERS):end]
    return 0 < len(words) <= 3 and all(map(_nominal, words)) and _noun(words[-1])


def _lists(a: list[Token], template: str) -> Iterator[tuple[int, int, str]]:
    """Each list of three noun phrases ("love, loss, and resilience") told with two of them: the
    last kept unless it runs to the clause's end (else what follows it may be its own)."""
    for k in range(3, len(a) - 1):
        if a[k].text != "and" or a[k - 1].text != ",":
            continue
        e = k + 1
        while e < len(a) and e - k <= 4 and a[e].text not in _HARD and a[e].text.lower() not in _PREPOSITIONS | _CLAUSE_WORDS:
            e += 1
        j = next((j for j in range(k - 2, max(k - 6, 0), -1) if a[j].text == ","), None)
        if j is None or not (_item(a, k + 1, e) and _item(a, j + 1, k - 1)) or not (_free(a[j + 1:k - 1]) and _free(a[k + 1:e])):
            continue
        s = j
        while s > 0 and j - s < 4 and (_nominal(a[s - 1]) or a[s - 1].text.lower() in _DETERMINERS):
            s -= 1
        if s == j or s == 0 or not _item(a, s, j) or not _opens_phrase(a, s - 1) or not _free(a[s:j]) \
                or {t.text.lower() for t in a[max(0, s - 3):s]} & _PAIRING:
            continue
        if e < len(a) and a[e].text not in _HARD and a[e].text.lower() not in _PREPOSITIONS | _CLAUSE_WORDS:
            continue  # a verb agrees with the list
        items = [template[a[s].start:a[j - 1].end], template[a[j + 1].start:a[k - 2].end], template[a[k + 1].start:a[e - 1].end]]
        pairs = [(0, 2), (1, 2)] + ([(0, 1)] if e == len(a) or a[e].text in _HARD else [])
        for p, q in pairs:
            yield s, e, f"{items[p]} and {items[q]}"


_ADVERB_KEPT = frozenset(["only", "early", "likely", "nearly", "barely", "hardly", "rarely", "scarcely", "merely"])


def _adverbs(a: list[Token], template: str) -> Iterator[tuple[int, int, str]]:
    """Each manner or degree adverb on -ly left out ("quickly gained", "slowly building"): the
    clause stands without it (not a word that limits or negates what it qualifies)."""
    for k in range(1, len(a) - 1):
        word = a[k].text
        if word.endswith("ly") and word.islower() and word not in _ADVERB_KEPT and set(_classes(word)) == {"ADV"} \
                and _is_word_token(a[k + 1]) and set(_classes(a[k - 1].text.lower())) != {"ADV"}:  # "almost exclusively" is one
            yield k - 1, k + 1, template[a[k - 1].start:a[k - 1].end]


def _is_word_token(token: Token) -> bool:
    return token.text[:1].isalpha()


def reductions(x: Aligned) -> Iterator[tuple[int, int, str]]:
    """Each attributive adjective, -ly adverb and list item of x left out, and each "X and Y" of x
    told as X alone or as Y alone: (x from, x to, text), as `align.drops` gives them."""
    a, template = x.tokens, x.template.template
    yield from _adjectives(a, template)
    yield from _adverbs(a, template)
    yield from _lists(a, template)
    for k in range(1, len(a) - 1):
        if a[k].text != "and" or a[k - 1].text in _HARD:
            continue
        verb = _verb_phrases(a, k)
        # A noun phrase that a preposition follows may own it ("... and unrelenting passion for music"):
        # then the first conjunct does not stand alone.
        spans = (verb[0], verb[1], verb[2]) if verb else \
            (*noun, noun[1] == len(a) or a[noun[1]].text.lower() not in _PREPOSITIONS) if (noun := _noun_phrases(a, k)) else None
        if spans is None:
            continue
        s, e, first_alone = spans
        yield from _conjuncts(a, template, k, s, e, first_alone, verb is not None)
        if verb is None and _verb_kind(a[s]) == "ing" and s + 1 < k - 1:
            # "despite facing numerous rejections and setbacks" also reads "facing [numerous
            # rejections] and [setbacks]", the pair the object of the -ing word; a participle
            # before a lone noun ("haunting melodies and ...") describes it, so it stays. (The
            # first conjunct alone reads the same either way.)
            gerund = template[a[s].start:a[s].end] + " "
            for _, _, text in _conjuncts(a, template, k, s + 1, e, False, False):
                yield s, e, gerund + text


def _conjuncts(a: list[Token], template: str, k: int, s: int, e: int, first_alone: bool,
               verbal: bool) -> Iterator[tuple[int, int, str]]:
    """The pair a[s:e] around "and" at k told as its first conjunct alone (if `first_alone`) and as
    its second, where the words around them let each stand."""
    before = {t.text.lower() for t in a[max(0, s - 3):s]}
    if before & _PAIRING or (e < len(a) and a[e].text.lower() in _PAIRING):
        return
    if not (_free(a[s:k]) and _free(a[k + 1:e])) or (not verbal and not (a[s - 1].slot or "hero.").startswith(_HERO_FORMS)):
        return  # a fact slot before the pair qualifies both ("Kazakh culture and language"): keep them whole
    first, second = template[a[s].start:a[k - 1].end], template[a[k + 1].start:a[e - 1].end]
    if s == 0:  # the sentence opens on the conjunct
        second = second[:1].upper() + second[1:]
    article = a[s - 1].text if a[s - 1].text.lower() in ("a", "an") else None
    # An auxiliary before the pair is the first conjunct's ("was released in 1967 and remained"): not the second's.
    auxiliary = verbal and s > 0 and (a[s - 1].text.lower() in _AUXILIARIES or
                                      (a[s - 1].slot or "").rsplit(".", 1)[-1] in ("were", "are", "have", "do"))
    if first_alone:
        yield s, e, first
    if (article is None or (_article_fits(article, a[k + 1].text) and a[k + 1].text.lower() not in _NO_ARTICLE)) \
            and not auxiliary:
        yield s, e, second
