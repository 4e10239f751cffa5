"""Find the typed slots of one seed: its cast, pronouns, age, places, instrument and titles."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model.english import indefinite_article
from ..model.slots import slot_table
from .agreement import agreement_slots
from .inflection import object_before
from .instrument_frames import hero_instrument
from .knowledge import Knowledge
from .people import (
    GENDERED,
    Associate,
    associate_pronouns,
    associate_slots,
    doer_nouns,
    find_associates,
    find_relatives,
    hero_nouns,
    kin_pronouns,
    relative_slots,
    role_subject_pronouns,
)
from .place_frames import FramedPlace, first_destination, framed_places, town_mentions
from .protagonist import find_protagonist, short_surname, surname_of
from .segment import Sentence
from .world import world_mentions

_FULL_NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_QUOTED = re.compile(r"\"([^\"\n]+?)([,.!?]?)\"")
_AGE = re.compile(r"\b(?:(an?|An?) )?(\d{1,3})(?=-year-old\b)")
_WORD = re.compile(r"[A-Za-z']+")
_GROUP_BEFORE = re.compile(r"\b(?:one|some|many|all|each|most|both|none|several|half|few|any|two|three|four|five) of $", re.IGNORECASE)
_PRONOUN_WORDS = {
    "he": {"he": "they", "him": "them", "his": "their", "himself": "themselves"},
    "she": {"she": "they", "her": "them", "hers": "theirs", "herself": "themselves"},
    "they": {"they": "they", "them": "them", "their": "their", "theirs": "theirs", "themselves": "themselves"},
}
# Slots of a role that are pronoun forms or agreement, not names an article could stand before.
_FORM_SLOTS = frozenset({"they", "them", "their", "theirs", "themselves", "were", "are", "have", "do", "s", "es", "ies", "noun"})


@dataclass(frozen=True)
class Mention:
    """A stretch of seed text replaced by a slot; `value` is what the slot held in this seed."""

    start: int
    end: int
    slot: str
    value: str
    filters: tuple[str, ...] = ()


@dataclass
class Findings:
    """Everything found in one seed: its mentions and the protagonist's identity."""

    name: str
    first: str
    pronouns: str
    mentions: list[Mention] = field(default_factory=list)


def _set_of(subject: str) -> str:
    """The pronoun set a subject pronoun belongs to."""
    return {"he": "he", "she": "she"}.get(subject, "they")


def _apposition(tail: str, heads: tuple[str, ...]) -> bool:
    """Whether the text after a place opens an apposition with one of these heads (", the capital")."""
    return any(re.match(rf", (?:the |its )?{re.escape(head)}\b", tail) for head in heads)


def _words_at(text: str, pattern: str) -> list[re.Match[str]]:
    return list(re.finditer(r"(?<![^\W\d_])" + re.escape(pattern) + r"(?![^\W\d_])", text))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _place_words(know: Knowledge) -> set[str]:
    words: set[str] = set()
    for country, facts in know.countries.items():
        words.update([country] if " " not in country else [])
        words.update(facts["nationality"])
        # A city of one word; the words of 'Santa Cruz' or 'San Juan' are parts of people's names too.
        words.update(city for city in facts["cities"] if " " not in city)
    for region in know.regions:
        words.update(w for w in region.split() if w[0].isupper())
    return words


def detect_pronouns(text: str, sentences: list[Sentence], names: tuple[str, ...]) -> str:
    """The protagonist's pronoun set: the pronoun that most often opens the sentence after one
    that opens on the protagonist's name; else the gendered set used most, else 'they'."""
    votes: Counter[str] = Counter()
    for before, after in zip(sentences, sentences[1:]):
        first = _WORD.match(after.text)
        opening = {"He": "he", "His": "he", "She": "she", "Her": "she", "They": "they", "Their": "they"}
        if before.text.startswith(names) and first and first.group(0) in opening:
            votes[opening[first.group(0)]] += 1
    if votes:
        return max(sorted(votes), key=lambda k: votes[k])
    counts = {
        key: sum(len(_words_at(text.lower(), w)) for w in words)
        for key, words in _PRONOUN_WORDS.items()
        if key != "they"
    }
    if counts["he"] == counts["she"] == 0:
        return "they"
    return "he" if counts["he"] >= counts["she"] else "she"


class _Finder:
    """Collects mentions for one seed; one method per kind of slot."""

    def __init__(self, seed_name: str, text: str, sentences: list[Sentence], know: Knowledge) -> None:
        self.seed_name = seed_name
        self.text = text
        self.sentences = sentences
        self.know = know
        self.found: list[Mention] = []
        self.hero_names: set[str] = set()
        self.surname = ""  # the surname the story calls its hero by
        self.associates: list[Associate] = []  # people named by what they do (`relatives` finds them) ...
        self.associate_mentions: list[tuple[int, int, str, str]] = []  # ... and where the seed names them
        self.people_words: set[str] = set()  # words of people's names, and of known places

    def add(self, start: int, end: int, slot: str, value: str, filters: tuple[str, ...] = ()) -> None:
        self.found.append(Mention(start, end, slot, value, filters))

    # --- people -----------------------------------------------------------------------------
    def protagonist_names(self, full: str, first: str) -> None:
        self.hero_names = {full, first, surname_of(full)}
        taken: list[tuple[int, int]] = []
        for match in _words_at(self.text, full):
            self.add(match.start(), match.end(), "hero.name", full)
            taken.append((match.start(), match.end()))
        surname = self.surname = short_surname(self.text, full, first, taken)
        for match in _words_at(self.text, surname):
            if surname != first and not any(a <= match.start() < b for a, b in taken):
                self.add(match.start(), match.end(), "hero.surname", surname)
                taken.append((match.start(), match.end()))
        for match in _words_at(self.text, first):
            if not any(a <= match.start() < b for a, b in taken):
                self.add(match.start(), match.end(), "hero.first", first)

    def relatives(self, full: str, kin: dict[str, str]) -> None:
        """Relatives' names, as slots of their kin role (see `people`)."""
        # A relative keeps the hero's surname slot only where the slot holds all of it: "Sebastião
        # da Conceição" of a hero called "Conceição" is named in full, not "{{ uncle.first }} da ...".
        shared = self.surname if self.surname == surname_of(full) else ""
        found = find_relatives(self.text, kin, self.hero_names, shared, frozenset(self.know.name_stopwords))
        for start, end, slot, value in relative_slots(self.text, found):
            if slot.endswith(".family"):  # the relative's own form of the name, not the hero's
                self.found = [m for m in self.found if not (m.slot == "hero.surname" and m.start == start)]
            self.add(start, end, slot, value)
        # People named by what they do: names of neither the hero, a relative nor a place.
        taken = {w for name in (*self.hero_names, *(r.full for r in found)) for w in name.split()} | _place_words(self.know)
        self.associates = find_associates(self.text, doer_nouns(self.know.role_nouns), taken,
                                          frozenset(self.know.name_stopwords) | frozenset(self.know.honorifics))
        self.people_words = taken | {w for person in self.associates for w in person.full.split()}
        self.associate_mentions = associate_slots(self.text, self.associates)
        for mention in self.associate_mentions:
            self.add(*mention)

    def gendered_noun(self, full: str, pronoun_set: str) -> None:
        for mention in hero_nouns(self.text, full, pronoun_set):
            self.add(*mention)

    def honorific_names(self) -> None:
        for honorific in self.know.honorifics:
            pattern = re.escape(honorific) + r" [A-Z][a-z]+(?:-[A-Z][a-z]+)?"
            for match in re.finditer(r"(?<![A-Za-z])" + pattern, self.text):
                self.add(match.start(), match.end(), "mentor.name", match.group(0))
                return

    def pronouns(self, pronoun_set: str) -> None:
        words = _PRONOUN_WORDS[pronoun_set]
        forms = self.know.pronoun_sets[pronoun_set]
        spans = [(x.start, x.end) for x in self.sentences]
        people = self.associate_mentions
        named = {a: slot.partition(".")[0] for a, b in spans for start, _, slot, _ in people if a <= start < b}
        secondary = role_subject_pronouns([x.text for x in self.sentences], [x.start for x in self.sentences], self.know.role_nouns,
                                          tuple(self.know.honorifics), (pronoun_set, self.hero_names), named)
        relatives = kin_pronouns(self.text, spans, slot_table().kin, pronoun_set)
        relatives |= associate_pronouns(self.text, spans, people, slot_table().kin, pronoun_set)
        for match in re.finditer(r"[A-Za-z]+", self.text):
            word = match.group(0)
            lower = word.lower()
            filters = ("cap",) if word[0].isupper() else ()
            if match.start() in relatives:  # a relative's: theirs, with the set their word fixes
                form = self._possessive_or_object(lower, match.end()) if lower in ("her", "his") else \
                    _PRONOUN_WORDS[GENDERED[lower]][lower]
                self.add(match.start(), match.end(), f"{relatives[match.start()]}.{form}", lower, filters)
                continue
            if match.start() in secondary:
                # Another character's pronoun: a slot of theirs, so it can never become the hero's.
                role = secondary[match.start()]
                role_forms = self.know.pronoun_sets[_set_of(lower)]
                self.add(match.start(), match.end(), f"{role}.they", lower, filters)
                self._agreeing_verb(match.end(), role_forms, role)
                continue
            if lower not in words or (lower == "them" and _GROUP_BEFORE.search(self.text, 0, match.start())):
                continue  # "one of them writes": a group, not a they-hero
            slot = self._possessive_or_object(lower, match.end()) if lower in ("her", "his") else words[lower]
            self.add(match.start(), match.end(), f"hero.{slot}", forms[slot], filters)
            if slot == "they":
                self._agreeing_verb(match.end(), forms, "hero")

    def _possessive_or_object(self, word: str, end: int) -> str:
        """'her' is 'their' before a noun and 'them' elsewhere; 'his' is 'theirs' when it stands alone."""
        following = _WORD.match(self.text, end + 1) if self.text[end : end + 1] == " " else None
        next_word = following.group(0).lower() if following else ""
        if word == "his":
            return "their" if next_word else "theirs"
        before = re.search(r"([a-z]+) $", self.text[max(0, end - 20) : end - len(word)])
        is_object = not next_word or next_word in self.know.object_followers or object_before(next_word, before.group(1) if before else "")
        return "them" if is_object else "their"

    def _agreeing_verb(self, end: int, forms: dict[str, str], character: str) -> None:
        for start, stop, slot, value in agreement_slots(self.text, end, forms, character):
            self.add(start, stop, slot, value)

    # --- facts ------------------------------------------------------------------------------
    def age(self) -> None:
        for match in _AGE.finditer(self.text):
            article = match.group(1)
            if article:
                filters = ("a", "cap") if article[0] == "A" else ("a",)
                self.add(match.start(), match.end(), "hero.age", match.group(2), filters)
            else:
                self.add(match.start(2), match.end(2), "hero.age", match.group(2))

    def instruments(self) -> None:
        """The protagonist's instrument: the one the story names most (others stay words), of
        the table's and those named in an instrument's frames (`instrument_frames`)."""
        found = hero_instrument(self.text, self.know.instruments, lambda word: len(_words_at(self.text, word)))
        if found is None:
            return
        name, player = found
        for match in _words_at(self.text, player):
            self.add(match.start(), match.end(), "instrument.player", player)
        for match in _words_at(self.text, name):
            self.add(match.start(), match.end(), "instrument.name", name)

    def genres(self) -> None:
        for genre in self.know.genres:
            for match in _words_at(self.text, genre):
                self.add(match.start(), match.end(), "genre", genre)

    def titles(self) -> None:
        kinds: dict[str, str] = {}
        matches = list(_QUOTED.finditer(self.text))
        for match in matches:
            title = match.group(1)
            words = title.split()
            if len(words) > 8 or sum(w[0].isupper() for w in words) * 2 < len(words):
                continue  # speech, not a title
            before = self.text[max(0, match.start() - 40) : match.start()].lower()
            after = self.text[match.end() : match.end() + 30].lower()
            if "album" in before:
                slot = "album"
            elif "competition" in before or "competition" in after:
                slot = "competition"
            else:
                continue
            kinds.setdefault(title, slot)
        for match in matches:  # a title once recognised is the same title wherever it is quoted
            if match.group(1) in kinds:
                self.add(match.start(1), match.end(1), kinds[match.group(1)], match.group(1))

    # --- places -----------------------------------------------------------------------------
    def places(self) -> None:
        know, text = self.know, self.text
        home_country = _home_country(self.text, self.know)
        for country in know.countries:
            slot = "country" if country == home_country else "abroad.country"
            for match in _words_at(text, country):
                self.add(match.start(), match.end(), slot, country)
        for region, adjective in know.region_adjectives.items():
            for match in _words_at(text, adjective):
                self.add(match.start(), match.end(), "region_adjective", adjective)
            for match in _words_at(text, region):
                self.add(match.start(), match.end(), "region", region)
        for country, facts in know.countries.items():
            for rank, adjective in enumerate(facts["nationality"]):
                slot = ("nationality" if rank == 0 else "demonym") if country == home_country else "abroad.nationality"
                for match in _words_at(text, adjective):
                    self.add(match.start(), match.end(), slot, adjective)
        self._cities(home_country)

    def _city_candidates(self) -> list[tuple[int, int, str]]:
        known = {c for facts in self.know.countries.values() for c in facts["cities"]}
        found = [(m.start(), m.end(), c) for c in known for m in _words_at(self.text, c)]
        context = re.compile(
            r"(?:village|town|city|streets|outskirts) of ([A-Z][a-z]+(?: [A-Z][a-z]+)?)"
            r"|\b(?:in|from|to) ([A-Z][a-z]+)(?=, (?:" + "|".join(map(re.escape, self.know.countries)) + r")\b)"
        )
        for match in context.finditer(self.text):
            group = 1 if match.group(1) else 2
            name = match.group(group)
            if name not in self.know.countries and name not in self.know.name_stopwords:
                found.append((match.start(group), match.end(group), name))
        for place in self._framed():
            found.extend((m.start(), m.end(), place.name) for m in _words_at(self.text, place.name))
        return found

    def _framed(self) -> list[FramedPlace]:
        """Places a birth, childhood or move frame names that are not a known country or region."""
        regions = {*self.know.regions, *(r.removeprefix("the ") for r in self.know.regions)}
        return [p for p in framed_places(self.text, frozenset(self.know.name_stopwords))
                if p.name not in self.know.countries and p.name not in regions and p.name not in self.hero_names]

    def _cities(self, home_country: str | None) -> None:
        candidates = sorted(set(self._city_candidates()))
        roles: dict[str, str] = {}
        for _start, end, city in candidates:
            tail = self.text[end : end + 30]
            if _apposition(tail, self.know.capital_appositions):
                roles.setdefault(city, "capital")
            elif _apposition(tail, self.know.largest_appositions):
                roles.setdefault(city, "largest_city")
            country = self.know.country_of_city(city)
            if country and home_country and country != home_country:
                roles.setdefault(city, "abroad.city")
        for place in self._framed():
            if place.name not in roles and place.role not in roles.values():
                roles[place.name] = place.role
        destination = first_destination(self.sentences, self.know.move_cues, candidates, roles)
        if destination:
            roles.setdefault(destination, "city")
        for _, _, city in candidates:
            if city not in roles and "home" not in roles.values():
                roles[city] = "home"
        known = self.know.countries.get(home_country or "", {})
        for _start, _end, city in candidates:  # the home country's capital and largest city, by knowledge
            for role in ("capital", "largest_city"):
                if city == known.get(role) and role not in roles.values():
                    roles.setdefault(city, role)
        for start, end, city in candidates:
            if city in roles:
                self.add(start, end, roles[city], city)
        for mention in town_mentions(self.text, self.know, self.people_words | set(roles)):
            self.add(*mention)
        for city, role in roles.items():
            if role == "abroad.city":
                self._landmarks(city)

    def _landmarks(self, city: str) -> None:
        number = 0
        for landmark in self.know.landmarks.get(city, []):
            bare = landmark[4:] if landmark.startswith("the ") else landmark
            matches = _words_at(self.text, landmark) or _words_at(self.text, bare)
            if matches:
                number += 1
                value = self.text[matches[0].start() : matches[0].end()]
                for match in matches:
                    after_the = re.search(r"\bthe (?:[a-z]+ )?$", self.text[max(0, match.start() - 30) : match.start()])
                    filters = ("bare",) if after_the else ()
                    self.add(match.start(), match.end(), f"abroad.landmark{number}", value, filters)


def _resolve(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions overlapping an earlier, longer one; titles swallow the slots inside them."""
    titles = [m for m in mentions if m.slot in ("album", "competition")]
    rest = [m for m in mentions if m.slot not in ("album", "competition")]
    chosen: list[Mention] = []
    for title in titles:
        inner = sorted((m for m in rest if title.start <= m.start and m.end <= title.end), key=lambda m: m.start)
        value, pos = "", title.start
        for m in inner:
            value += title.value[pos - title.start : m.start - title.start] + "{{ " + m.slot + " }}"
            pos = m.end
        value += title.value[pos - title.start :]
        chosen.append(Mention(title.start, title.end, title.slot, value))
    for m in sorted(rest, key=lambda m: (m.start, -(m.end - m.start))):
        if not any(m.start < c.end and c.start < m.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def _home_country(text: str, know: Knowledge) -> str | None:
    """The country a seed names most, by its name or its nationality's."""
    counts: Counter[str] = Counter()
    for country, facts in know.countries.items():
        counts[country] += len(_words_at(text, country))
        counts[country] += sum(len(_words_at(text, a)) for a in facts["nationality"])
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] else None


def find_mentions(seed_name: str, text: str, sentences: list[Sentence], know: Knowledge) -> Findings:
    """Every slot mention in one seed, non-overlapping and in text order."""
    full, first = find_protagonist(seed_name, text, know.name_stopwords, _place_words(know), tuple(know.honorifics))
    pronoun_set = detect_pronouns(text, sentences, (full, first, surname_of(full)))
    finder = _Finder(seed_name, text, sentences, know)
    finder.titles()
    finder.honorific_names()
    finder.protagonist_names(full, first)
    finder.relatives(full, slot_table().kin)
    finder.gendered_noun(full, pronoun_set)
    finder.age()
    for start, end, slot, value in world_mentions(text, know):  # before places: "the Kazakh language" is the language
        finder.add(start, end, slot, value)
    finder.places()
    finder.instruments()
    finder.genres()
    finder.pronouns(pronoun_set)
    return Findings(full, first, pronoun_set, _absorb_articles(text, _one_value_each(_resolve(finder.found))))


def _absorb_articles(text: str, mentions: list[Mention]) -> list[Mention]:
    """'an {{ nationality }}' would read 'an Kazakh': an article before a slot becomes the slot's
    `a` filter, which gives each value its own. Only where the seed's article is the one the
    filter gives its value, so the seed itself is written back as it was."""
    out = []
    for m in mentions:
        before = re.search(r"(?<![\w'’])(an?|An?) $", text[max(0, m.start - 4) : m.start])
        if before and "a" not in m.filters and m.slot.partition(".")[2] not in _FORM_SLOTS \
                and indefinite_article(m.value) == before.group(1).lower():
            filters = ("a", "cap") if before.group(1)[0] == "A" else ("a",)
            m = Mention(m.start - len(before.group(0)), m.end, m.slot, m.value, filters + m.filters)
        out.append(m)
    return out


def _one_value_each(mentions: list[Mention]) -> list[Mention]:
    """A slot holds one value in a story: where a story names two (two instruments, two countries
    abroad), the one it names most keeps the slot and the others stay words of the template."""
    counts = Counter((m.slot, m.value) for m in mentions)
    best: dict[str, str] = {}
    for (slot, value), n in sorted(counts.items()):
        if slot not in best or n > counts[slot, best[slot]]:
            best[slot] = value
    return [m for m in mentions if best[m.slot] == m.value]
