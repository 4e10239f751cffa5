"""Find the typed slots of one seed: its cast, pronouns, age, places, instrument and titles."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .inflection import present_tense_ending, word_ending
from .knowledge import Knowledge
from .protagonist import find_protagonist, surname_of
from .segment import Sentence
from .world import world_mentions

_FULL_NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_QUOTED = re.compile(r"\"([^\"\n]+?)([,.!?]?)\"")
_AGE = re.compile(r"\b(?:(an?|An?) )?(\d{1,3})(?=-year-old\b)")
_WORD = re.compile(r"[A-Za-z']+")
_PRONOUN_WORDS = {
    "he": {"he": "they", "him": "them", "his": "their", "himself": "themselves"},
    "she": {"she": "they", "her": "them", "hers": "theirs", "herself": "themselves"},
    "they": {"they": "they", "them": "them", "their": "their", "theirs": "theirs", "themselves": "themselves"},
}
# The word a subject pronoun governs, after at most two adverbs ("she still plays").
_FOLLOWING = re.compile(r"((?: (?:still|always|often|never|also|now|soon|finally|rarely|sometimes|already|even|only))*) ([a-z]+)(?=n't\b|\b)")
_AGREEING_VERBS = {"was": "were", "were": "were", "is": "are", "are": "are", "has": "have", "have": "have",
                   "does": "do", "do": "do"}


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
        words.update(country.split())
        words.update(facts["nationality"])
        for city in facts["cities"]:
            words.update(city.split())
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

    def add(self, start: int, end: int, slot: str, value: str, filters: tuple[str, ...] = ()) -> None:
        self.found.append(Mention(start, end, slot, value, filters))

    # --- people -----------------------------------------------------------------------------
    def protagonist_names(self, full: str, first: str) -> None:
        taken: list[tuple[int, int]] = []
        for match in _words_at(self.text, full):
            self.add(match.start(), match.end(), "hero.name", full)
            taken.append((match.start(), match.end()))
        surname = surname_of(full)
        for match in _words_at(self.text, surname):
            if surname != first and not any(a <= match.start() < b for a, b in taken):
                self.add(match.start(), match.end(), "hero.surname", surname)
                taken.append((match.start(), match.end()))
        for match in _words_at(self.text, first):
            if not any(a <= match.start() < b for a, b in taken):
                self.add(match.start(), match.end(), "hero.first", first)

    def gendered_noun(self, full: str) -> None:
        """'a young woman named X': the noun must follow the protagonist's pronoun set."""
        pattern = r"\b(woman|man|girl|boy)(?= named " + re.escape(full) + r"\b)"
        for match in re.finditer(pattern, self.text):
            self.add(match.start(), match.end(), "hero.noun", match.group(1))

    def honorific_names(self) -> None:
        for honorific in self.know.honorifics:
            pattern = re.escape(honorific) + r" [A-Z][a-z]+(?:-[A-Z][a-z]+)?"
            for match in re.finditer(r"(?<![A-Za-z])" + pattern, self.text):
                self.add(match.start(), match.end(), "mentor.name", match.group(0))
                return

    def pronouns(self, pronoun_set: str) -> None:
        words = _PRONOUN_WORDS[pronoun_set]
        forms = self.know.pronoun_sets[pronoun_set]
        secondary = self._secondary_subject_pronouns()
        for match in re.finditer(r"[A-Za-z]+", self.text):
            word = match.group(0)
            lower = word.lower()
            filters = ("cap",) if word[0].isupper() else ()
            if match.start() in secondary:
                # Another character's pronoun: a slot of theirs, so it can never become the hero's.
                role = secondary[match.start()]
                role_forms = self.know.pronoun_sets[_set_of(lower)]
                self.add(match.start(), match.end(), f"{role}.they", lower, filters)
                self._agreeing_verb(match.end(), role_forms, role)
                continue
            if lower not in words:
                continue
            slot = words[lower]
            if lower in ("her", "his"):
                slot = self._possessive_or_object(lower, match.end())
            self.add(match.start(), match.end(), f"hero.{slot}", forms[slot], filters)
            if slot == "they":
                self._agreeing_verb(match.end(), forms, "hero")

    def _possessive_or_object(self, word: str, end: int) -> str:
        """'her' is 'their' before a noun and 'them' elsewhere; 'his' is 'theirs' when it stands alone."""
        following = _WORD.match(self.text, end + 1) if self.text[end : end + 1] == " " else None
        next_word = following.group(0).lower() if following else ""
        if word == "his":
            return "their" if next_word else "theirs"
        return "their" if next_word and next_word not in self.know.object_followers else "them"

    def _agreeing_verb(self, end: int, forms: dict[str, str], character: str) -> None:
        """The verb a subject pronoun governs agrees with its pronoun set: 'was', 'has' and the
        like are slots of their own; a present-tense verb's ending is ('move{{ hero.s }}')."""
        match = _FOLLOWING.match(self.text, end)
        if not match:
            return
        word = match.group(2)
        if word in _AGREEING_VERBS:
            slot = _AGREEING_VERBS[word]
            self.add(match.start(2), match.end(2), f"{character}.{slot}", forms[slot])
            return
        ending = present_tense_ending(word)
        if ending is not None:
            self.add(match.end(2) - len(word_ending(word, ending)), match.end(2), f"{character}.{ending}", forms[ending])

    def _secondary_subject_pronouns(self) -> dict[int, str]:
        """Sentence-initial pronouns whose antecedent is another character: offset -> role."""
        found: dict[int, str] = {}
        roles = sorted(self.know.role_nouns, key=len, reverse=True)
        for previous, sentence in zip(self.sentences, self.sentences[1:]):
            head = previous.text.lower()
            role = next((r for r in roles for art in ("the", "a") if head.startswith(f"{art} {r}")), None)
            if role is None and previous.text.startswith(tuple(self.know.honorifics)):
                role = "mentor"
            first = _WORD.match(sentence.text)
            if role and first and first.group(0) in ("He", "She", "They"):
                found[sentence.start] = role.split()[-1]
        return found

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
        """The protagonist's instrument: the one the story names most (others stay words)."""
        counts = {name: len(_words_at(self.text, name)) + len(_words_at(self.text, player))
                  for name, player in self.know.instruments.items()}
        name = max(counts, key=lambda n: (counts[n], n)) if counts else ""
        if not counts or counts[name] == 0:
            return
        player = self.know.instruments[name]
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
        home_country = self._home_country()
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

    def _home_country(self) -> str | None:
        counts: Counter[str] = Counter()
        for country, facts in self.know.countries.items():
            counts[country] += len(_words_at(self.text, country))
            counts[country] += sum(len(_words_at(self.text, a)) for a in facts["nationality"])
        best = counts.most_common(1)
        return best[0][0] if best and best[0][1] else None

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
        return found

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
        destination = self._destination(candidates, roles)
        if destination:
            roles.setdefault(destination, "city")
        for _, _, city in candidates:
            if city not in roles and "home" not in roles.values():
                roles[city] = "home"
        for start, end, city in candidates:
            if city in roles:
                self.add(start, end, roles[city], city)
        for city, role in roles.items():
            if role == "abroad.city":
                self._landmarks(city)

    def _destination(self, candidates: list[tuple[int, int, str]], roles: dict[str, str]) -> str | None:
        """The city named in the first sentence that tells of a move."""
        for sentence in self.sentences:
            lower = sentence.text.lower()
            if any(cue in lower for cue in self.know.move_cues):
                inside = [c for s, _, c in candidates if sentence.start <= s < sentence.end]
                for city in inside:
                    if roles.get(city) != "abroad.city":
                        return city
        return None

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


def find_mentions(seed_name: str, text: str, sentences: list[Sentence], know: Knowledge) -> Findings:
    """Every slot mention in one seed, non-overlapping and in text order."""
    full, first = find_protagonist(seed_name, text, know.name_stopwords, _place_words(know), tuple(know.honorifics))
    pronoun_set = detect_pronouns(text, sentences, (full, first, surname_of(full)))
    finder = _Finder(seed_name, text, sentences, know)
    finder.titles()
    finder.honorific_names()
    finder.protagonist_names(full, first)
    finder.gendered_noun(full)
    finder.age()
    for start, end, slot, value in world_mentions(text, know):  # before places: "the Kazakh language" is the language
        finder.add(start, end, slot, value)
    finder.places()
    finder.instruments()
    finder.genres()
    finder.pronouns(pronoun_set)
    return Findings(full, first, pronoun_set, _one_value_each(_resolve(finder.found)))


def _one_value_each(mentions: list[Mention]) -> list[Mention]:
    """A slot holds one value in a story: where a story names two (two instruments, two countries
    abroad), the one it names most keeps the slot and the others stay words of the template."""
    counts = Counter((m.slot, m.value) for m in mentions)
    best: dict[str, str] = {}
    for (slot, value), n in sorted(counts.items()):
        if slot not in best or n > counts[slot, best[slot]]:
            best[slot] = value
    return [m for m in mentions if best[m.slot] == m.value]
