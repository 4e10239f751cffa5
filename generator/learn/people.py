"""People of a seed other than by name: relatives named in it, "her mother, Amélia,", "his grandfather Abelardo", "their uncle,
Pandit Ramesh Mishra,". The kin word after a possessive says who the name belongs to and fixes
their pronoun set, so the name becomes a slot of that relative and every later mention of it
("Gunhild gives them ...") does too. A relative named with the hero's surname takes it in their own
form ("Michael {{ father.family }}": the family's name, drawn with the hero's).

People named by what they do ("a teacher, Ostad Bahram Sadeghi,", "the critic S. K. Ghoshal",
"Nora Considine, a fiddler") are the story's teacher or an associate, by full name and surname,
with the pronouns that are theirs (`associate_pronouns`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..model.slots import slot_table
from .place_frames import name_at


@dataclass(frozen=True)
class Relative:
    """A relative's name as the seed writes it: the role, and the given and full name to slot."""

    role: str
    given: str
    full: str  # the whole name without the hero's surname; equal to `given` if that is all
    family: str = ""  # the hero's surname, where the seed names the relative with it


def find_relatives(text: str, kin: dict[str, str], hero_names: set[str], hero_surname: str,
                   stopwords: frozenset[str]) -> list[Relative]:
    """Each relative named after a possessive and a kin word, once, in text order."""
    roles = "|".join(sorted(map(re.escape, kin), key=len, reverse=True))
    pattern = re.compile(rf"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur) ({roles}),? (?=[^\W\d_])")
    found: dict[str, Relative] = {}
    for match in pattern.finditer(text):
        named = name_at(text, match.end(), stopwords)
        if named is None:
            continue
        name, family = named[2], ""
        if hero_surname and name.endswith(" " + hero_surname):
            name = name[: -len(hero_surname) - 1]
            # One given name takes the family's name in its own form; "Pandit Ramesh Mishra" stays a name of its own.
            family = hero_surname if " " not in name else ""
            name = name if family else named[2]
        words = name.split()
        full = " ".join(words)
        if not words or full in hero_names or words[0] in hero_names:
            continue
        role = match.group(1)
        if role not in found and all(r.given != words[0] for r in found.values()):
            found[role] = Relative(role, words[0], full, family)
    return list(found.values())


def relative_slots(text: str, relatives: list[Relative]) -> list[tuple[int, int, str, str]]:
    """(start, end, slot, value) of every mention of each relative: in full, then by given name;
    the family's surname after the given name is the relative's `family` slot, in their own form."""
    found = []
    for relative in relatives:
        if relative.family:
            for match in re.finditer(rf"(?<![^\W\d_]){re.escape(relative.full)} ({re.escape(relative.family)})(?![^\W\d_])", text):
                found.append((match.start(1), match.end(1), f"{relative.role}.family", relative.family))
        names = [(relative.full, "name")] if relative.full != relative.given else []
        for name, part in (*names, (relative.given, "first")):
            for match in re.finditer(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", text):
                found.append((match.start(), match.end(), f"{relative.role}.{part}", name))
    return found


def hero_nouns(text: str, full: str, pronoun_set: str) -> list[tuple[int, int, str, str]]:
    """'a young woman named X', 'the boy would sit at his feet': a noun for the protagonist
    follows their pronoun set ('hero.noun' for an adult, 'hero.child' for a child). 'named X'
    says whom it is; 'the boy' or 'the young woman' alone is the protagonist when it is their
    gender (another character is named by a role: 'his grandfather')."""
    found = []
    for match in re.finditer(r"\b(woman|man|girl|boy)(?= named " + re.escape(full) + r"\b)", text):
        slot = "hero.noun" if match.group(1) in ("woman", "man") else "hero.child"
        found.append((match.start(), match.end(), slot, match.group(1)))
    own = {"he": ("boy", "man"), "she": ("girl", "woman")}.get(pronoun_set, ())
    for match in re.finditer(r"\b(?:[Tt]he|[Aa]) (young )?(boy|girl|man|woman)\b(?! named)", text):
        noun = match.group(2)
        if noun in own and (noun in ("boy", "girl") or match.group(1)):  # 'the man' alone may be anyone
            found.append((match.start(2), match.end(2), "hero.child" if noun in ("boy", "girl") else "hero.noun", noun))
    return found


GENDERED = {"he": "he", "him": "he", "his": "he", "himself": "he", "she": "she", "her": "she", "hers": "she", "herself": "she"}
_PERSONAL_PRONOUN = re.compile(r"(?<![^\W\d_])(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)(?![^\W\d_])")


def _kin_words(kin: dict[str, str]) -> re.Pattern[str]:
    """Any kin word ('grandmother', 'father'), as a whole word."""
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, kin), key=len, reverse=True)) + r")\b")


def kin_pronouns(text: str, sentences: list[tuple[int, int]], kin: dict[str, str], hero_set: str) -> dict[int, str]:
    """Pronouns that are a relative's, not the protagonist's: offset -> the relative's role. A
    pronoun of the other gender than the protagonist's (any gendered one, for 'they') belongs to
    the nearest relative of its gender named before it ("Her grandfather ... and he would ...",
    "He plays her old fiddle now"); their word fixes their pronouns, so it stays theirs."""
    found: dict[int, str] = {}
    kin_word = _kin_words(kin)
    for start, end in sentences:
        subject = _kin_subject(text[start:end], kin)
        for match in _PERSONAL_PRONOUN.finditer(text[start:end]):
            gender = GENDERED[match.group(0).lower()]
            at = start + match.start()
            if subject is not None and gender == kin[subject] and _in_relative_clause(text[start:at]) \
                    and match.group(0).lower() in ("his", "her"):
                found[at] = subject  # "His father, X, was a player who taught all of his sons": the father's
                continue
            if gender == hero_set:
                continue
            relatives = [m.group(1) for m in kin_word.finditer(text, 0, at) if kin[m.group(1)] == gender]
            if relatives:
                found[at] = relatives[-1]
    return found


def _kin_subject(sentence: str, kin: dict[str, str]) -> str | None:
    """The relative a sentence is about, when it opens on one ("His father, Lansiné, was ...")."""
    match = re.match(r"(?:[A-Z][\w'’-]*'s|[Hh]is|[Hh]er|[Tt]heir) (" + "|".join(sorted(map(re.escape, kin), key=len, reverse=True)) + r")\b",
                     sentence)
    return match.group(1) if match else None


def _in_relative_clause(before: str) -> bool:
    """Whether the text up to a word sits in a relative clause ("... who taught all of"), with
    no comma or full stop since its "who"."""
    match = re.search(r"\bwho\b([^,.;]*)$", before)
    return match is not None


# --- people named by what they do ------------------------------------------------------------
# Words for someone who teaches: such a person is the story's teacher; anyone else named by
# what they do ("the critic", "a fiddler from nearby Ennistymon") is an associate.
TEACHING = frozenset({"teacher", "mentor", "tutor", "instructor", "master", "professor", "guru"})
NAMED_ROLES = ("teacher", "associate")  # the slots' roles of people named by what they do
# A lesson frame names the teacher: "took formal lessons from X", "starts lessons with X", "studied under X".
_LESSONS = re.compile(r"\b(?i:lessons|studied|studies|study|studying|trained|trains) (?:[a-z]+ ){0,2}?(?:with|from|under) (?=[A-Z])")
_NAME_WORD = re.compile(r"(?:[A-Z]\.|[^\W\d_][\w'’-]*)")
_GENDERED_NOUN = re.compile(r"\b(?:woman|women|man|men|lady|gentleman|girl|boy|daughter|son|wife|husband)\b")


# Words for people by what they make or do in music, beyond the knowledge file's roles (a
# director, a producer) and the player nouns of instruments ("fiddler", "flute player").
_MUSIC_DOERS = frozenset({"player", "singer", "composer", "bandleader", "drummer", "percussionist", "accompanist",
                          "guitarist", "pianist", "violinist", "cellist", "fiddler", "piper", "vocalist", "arranger"})


def doer_nouns(role_nouns: dict[str, str]) -> frozenset[str]:
    """Words that name a person by what they do: the knowledge file's roles that are no relative
    (their pronoun set is not fixed), the teaching words, musicians' words and instruments' players."""
    players = {noun.split()[-1] for noun in slot_table().known_instruments.values()}
    return frozenset({r for r, fixed in role_nouns.items() if not fixed and " " not in r}) | TEACHING | _MUSIC_DOERS | players


@dataclass(frozen=True)
class Associate:
    """Someone the seed names by what they do: a teacher, a critic, a fellow player."""

    role: str  # "teacher" or "associate"
    full: str
    given: str
    surname: str


def _person_name(text: str, pos: int, stopwords: frozenset[str]) -> tuple[int, int] | None:
    """A personal name at `pos`: two or more capitalised words (initials such as "S. K." count),
    else None."""
    words: list[tuple[int, int]] = []
    cursor = pos
    while (match := _NAME_WORD.match(text, cursor)) is not None and match.group(0)[0].isupper():
        words.append((match.start(), match.end()))
        if text[match.end():match.end() + 1] != " ":
            break
        cursor = match.end() + 1
    while words and text[words[-1][0]:words[-1][1]].endswith("."):
        words.pop()  # a sentence's full stop after an initial is no name
    if len(words) < 2 or text[words[0][0]:words[0][1]] in stopwords:
        return None
    return words[0][0], words[-1][1]


def find_associates(text: str, role_nouns: frozenset[str], taken: set[str], stopwords: frozenset[str]) -> list[Associate]:
    """Each person the seed names beside a word for what they do ("a teacher, Ostad Bahram
    Sadeghi,", "the bandolim player Hermínio Vasconcelos", "Nora Considine, a fiddler") or after a
    lesson frame, once per role, in text order. Not one whose name holds a word of `taken` (the
    hero's and relatives' names, places), nor one a word for a man or a woman describes near their
    name: the name drawn for them may be of either."""
    roles = "|".join(sorted(map(re.escape, role_nouns), key=len, reverse=True))
    before = re.compile(rf"\b(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er|[Tt]heir) (?:[^\s,.;:!?]+ ){{0,3}}?({roles}),? (?=[A-Z])")
    after = re.compile(rf",? (?:an?|the) (?:[^\s,.;:!?]+ ){{0,3}}?({roles})\b")
    found: list[tuple[int, int, str]] = []
    for match in before.finditer(text):
        if (span := _person_name(text, match.end(), stopwords)) is not None:
            found.append((*span, "teacher" if match.group(1) in TEACHING else "associate"))
    for match in _LESSONS.finditer(text):
        if (span := _person_name(text, match.end(), stopwords)) is not None:
            found.append((*span, "teacher"))
    for match in re.finditer(r"(?<![\w.])[A-Z]", text):
        span = _person_name(text, match.start(), stopwords)
        if span is not None and (described := after.match(text, span[1])) is not None:
            found.append((*span, "teacher" if described.group(1) in TEACHING else "associate"))
    people: dict[str, Associate] = {}
    # A lesson frame's teacher is a teacher, whatever else calls them ("lessons from X, a fiddler").
    for start, end, role in sorted(found, key=lambda f: (f[0], f[1], f[2] != "teacher")):
        full = text[start:end]
        words = full.split()
        sentence = text[text.rfind(".", 0, start) + 1:text.find(".", end) if text.find(".", end) >= 0 else len(text)]
        titled = text[:start].split()[-1:]  # "Dr. Park Jae-won": an honorific's name is the mentor's
        if role in people or any(p.full == full for p in people.values()) or set(words) & taken \
                or set(titled) & stopwords or _GENDERED_NOUN.search(sentence):
            continue
        people[role] = Associate(role, full, words[0], words[-1])
    return list(people.values())


def associate_slots(text: str, people: list[Associate]) -> list[tuple[int, int, str, str]]:
    """(start, end, slot, value) of every mention of each associate: in full, then by surname or
    given name alone (where neither is also the other's)."""
    found = []
    for person in people:
        taken: list[tuple[int, int]] = []
        for part, name in (("name", person.full), ("surname", person.surname), ("first", person.given)):
            if part != "name" and (person.given == person.surname or name.endswith(".")):
                continue
            for match in re.finditer(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", text):
                if not any(a <= match.start() < b for a, b in taken):
                    found.append((match.start(), match.end(), f"{person.role}.{part}", name))
                    taken.append((match.start(), match.end()))
    return found



def associate_pronouns(text: str, sentences: list[tuple[int, int]], mentions: list[tuple[int, int, str, str]],
                       kin: dict[str, str], hero_set: str) -> dict[int, str]:
    """Pronouns that are an associate's, not the protagonist's: offset -> the associate's role.
    - One of a gender the protagonist's set is not (any, for 'they') whose nearest person named
      before it, in its sentence or the one before, is the associate ("That night Haugen tells a
      reporter that he has never heard ...").
    - In a sentence that opens on "He" or "She" after one that opens on the associate's name, that
      word each time ("Sadeghi makes him spend a year ... He is strict, but he also lends the boy
      recordings"): the subject goes on.
    """
    found: dict[int, str] = {}
    kin_word = _kin_words(kin)
    opening = {start: slot.partition(".")[0] for start, _, slot, _ in mentions}
    # Where each associate was last named or referred to: a pronoun found theirs carries them on.
    named = sorted((start, slot.partition(".")[0]) for start, _, slot, _ in mentions)
    for k, (start, end) in enumerate(sentences):
        since = sentences[k - 1][0] if k else start
        carried = opening.get(sentences[k - 1][0]) if k else None
        subject = re.match(r"(He|She) ", text[start:end])
        for match in _PERSONAL_PRONOUN.finditer(text, start, end):
            word, at = match.group(0).lower(), match.start()
            if carried is not None and subject is not None and word == subject.group(1).lower():
                found[at] = carried
                continue
            gender = GENDERED[word]
            if gender == hero_set:
                continue
            before = [(s, role) for s, role in named if since <= s < at]
            relatives = [m.start() for m in kin_word.finditer(text, since, at) if kin[m.group(1)] == gender]
            if before and before[-1][0] > max(relatives, default=-1):
                found[at] = before[-1][1]
                bisect.insort(named, (at, before[-1][1]))
    return found


def role_subject_pronouns(texts: list[str], starts: list[int], role_nouns: dict[str, str], honorifics: tuple[str, ...],
                          hero: tuple[str, set[str]], named: dict[int, str]) -> dict[int, str]:
    """Sentence-initial pronouns whose antecedent is another character, named by a role at the
    start of the sentence before ("The scout was blown away ... He offered"), or by an honorific
    (the mentor's): offset -> role (the associate's, where that sentence names one: `named`, a
    sentence's start -> the role). `hero`: the protagonist's pronoun set and names; a pronoun of
    their set is theirs ("The critic hears her ... She pins the review up") unless the sentence
    names them ("He offered Bakhyt a record deal")."""
    found: dict[int, str] = {}
    roles = sorted(role_nouns, key=len, reverse=True)
    hero_set, hero_names = hero
    for previous, text, start, before in zip(texts, texts[1:], starts[1:], starts):
        head = previous.lower()
        role = next((r for r in roles for art in ("the", "a") if head.startswith(f"{art} {r}")), None)
        if role is None and previous.startswith(honorifics):
            role = "mentor"
        opening = re.match(r"(He|She|They)(?![A-Za-z'])", text)
        if not role or not opening:
            continue
        theirs = GENDERED.get(opening.group(1).lower(), "they") == hero_set and not any(n and n in text for n in hero_names)
        if not theirs:
            found[start] = named.get(before, role.split()[-1])
    return found
