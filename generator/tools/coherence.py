"""What a careful reader notices in a story, found by general signals of English narrative.

Each check looks at a story as a list of sentences (and, for generated stories, at where each
sentence came from), never at phrases of particular seeds:
- scene breaks: a sentence that leans on something no earlier sentence set up: a definite
  reference to a scene ("the crowd", "the judges", "the night"), to an event or a person
  ("the competition", "the scout"), another character's pronoun, or, in a generated story, an
  opening connective or time anaphora ("But", "As the night wore on") whose sentence no longer
  follows the one it was written after;
- unresolved threads: a setup (an invitation, an upcoming event, a booked flight) whose event
  never comes;
- time regressions: a sentence that returns to an earlier stage of the life (childhood, training,
  early gigs, the break, the rise, fame, legacy) than the story has reached;
- place jumps: after a move, a scene somewhere else with no travel (generated stories, whose
  places are annotated);
- repeated content: one salient phrase (three words, two of them content words) in two sentences;
- fragment paragraphs: a paragraph of one sentence.
The same checks run on the seeds and on other writers' corpora, which hold none of these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model.grammar import Grammar
from ..model.story import Story

KINDS = ("scene_breaks", "unresolved_threads", "time_regressions", "place_jumps", "repeated_content", "fragment_paragraphs")

_CONNECTIVE = re.compile(r"^(?:But|And|Yet|However|Still|So|Then|Thus|Meanwhile|Instead|Nevertheless|Even so|"
                         r"After that|That (?:night|evening|day|morning)|The next (?:day|morning|night)|Later that|"
                         r"This time|Again|Despite (?:this|that|the \w+,))\b")
_TIME_ANAPHORA = re.compile(r"\b[Aa]s the (?:night|evening|day|competition|show|concert|festival|performance) "
                            r"(?:wore on|went on|progressed|continued|unfolded)\b|\b[Tt]he (?:night|day|evening) of the\b")
_WINDOW = 4  # sentences back in which a scene's set-up must be
# One occasion, not a summary: singular nouns and verbs of a performance under way ("concerts" or
# "performing at festivals" tell a career, and set up no scene).
_PERFORMANCE = (r"stage|concert|show|gig|set|festival|competition|contest|venue|audition|recital|performance|"
                r"auditorium|theat(?:re|er)|hall|club|played|sang|song|began to (?:play|sing)|crowd|audience|people|spotlight")
# Definite nouns that lean on what came before, and the words that license them: the noun itself,
# or something it belongs to (judges to a competition, a director to a school).
_BRIDGES = {
    r"crowd|audience|applause|spectators|faces|room|auditorium|spotlight|lights|venue|hall": _PERFORMANCE,
    r"judges|jury|final|verdict": r"compet\w*|contest|audition|festival|championship|prize|final|round|wins?|won|lose|lost",
    r"director": r"school|academy|conservator\w+|festival|orchestra|ensemble|theat(?:re|er)|choir|label|compan\w+|institute",
    r"producer": r"record\w*|label|album|studio|orchestra|show|film|theat(?:re|er)",
    r"scout|manager|agent": r"$^",
    r"invitation|offer|deal|contract": r"invit\w*|asked|offer\w*|contract|call\w*|email|letter|propos\w+",
    r"competition|festival|contest|concert|audition|tour|premiere|recital|show": _PERFORMANCE + r"|booked|invit\w*",
}
# A definite noun leans back, unless a complement or a name in apposition makes it new ("the
# night of ...", "the producer, Lucía Ferrán,"), or it is one of a kind ("the national contest").
_DEFINITE = re.compile(r"\b(?:[Tt]he|[Tt]hat|[Tt]hose) (?!(?:national|annual|international|world|first|next|last|final|"
                       r"same|following|upcoming) )(?:\w+ )?(?:sea of )?(" + "|".join(_BRIDGES) + r")\b(?! of\b|,? [A-Z])")
_LICENSORS = [(re.compile(rf"^(?:{noun})$"), re.compile(rf"\b(?:{noun}|{licensors})\b", re.IGNORECASE))
              for noun, licensors in _BRIDGES.items()]
_SETUP = re.compile(r"\binvit(?:ed|ation)\b|\bupcoming\b|\basked \w+ to (?:perform|play|sing|compete|join|audition)\b|"
                    r"\bbook(?:ed)? a (?:flight|ticket|trip)\b|\bwould (?:perform|play|compete|travel)\b", re.IGNORECASE)
_SETUP_EVENTS = re.compile(r"\b(festival|competition|contest|concert|audition|tour|show|recital|premiere|flight|trip)\b",
                           re.IGNORECASE)
_ARRIVAL = re.compile(r"\barriv\w*|\blanded\b|\breached\b", re.IGNORECASE)
# Stages of a musician's life, earliest first, each with the words that place a sentence there:
# childhood; training and early gigs; the break; the rise and fame; legacy.
_STAGES = [re.compile(p, re.IGNORECASE) for p in (
    r"\bborn\b|\bchildhood\b|\bas a (?:child|boy|girl)\b|\bwhen (?:he|she|they) (?:was|were) (?:just )?a child\b|"
    r"\bgrew up\b|\bgrowing up\b|\bfrom a young age\b",
    r"\bgrew older\b|\bteen\w*|\badulthood\b|\bstudies\b|\bschool\b|\bacademy\b|\bconservator\w+|\blessons\b|"
    r"\blocal (?:festivals|events|restaurants|cafes|bars|clubs|venues)\b|\bgigs?\b|\brejections?\b|\bsetbacks?\b|"
    r"\bbuilding a reputation\b",
    r"\brecord deal\b|\bwinner\b|\bdebut\b|\bbig break\b|\bbreakthrough\b",
    r"\brising star\b|\bsold-out\b|\bcritical acclaim\b|\btopped charts\b|\brise to fame\b|\ban icon\b|"
    r"\binternational fame\b|\blegend\b|\bhousehold name\b|\bnew generation\b|\bstardom\b",
    r"\byears later\b|\blegacy\b|\blooking back\b|\bdecades later\b",
)]
_GOAL = re.compile(r"\b(?:sights on|dream\w* of|hop\w* (?:to|for)|aspir\w+|in search of|wanted to|longed|"
                   r"goal|ambition)\b", re.IGNORECASE)
_MOVE = re.compile(r"\b(?:mov\w+|relocat\w+|set out|left|headed|travel\w*|flew|flight|journey|arriv\w+|returned)\b",
                   re.IGNORECASE)
_PLACE_SLOTS = ("home", "city", "capital", "largest_city", "abroad.city")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "from", "with", "by", "as", "is", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she", "they", "him", "her", "them", "his", "hers", "their", "theirs", "himself", "herself", "themselves", "who", "whom", "which", "what", "when", "where", "how", "had", "has", "have", "do", "did", "not", "no", "so", "than", "then", "there", "here", "into", "onto", "out", "up", "down", "over", "under", "about", "after", "before", "through", "one", "all", "any", "each", "every", "some", "such", "very", "just", "also", "only", "even", "more", "most", "much", "many", "own", "same", "other", "another", "i", "you", "we", "my", "your", "our", "would", "could", "should", "will", "can", "may", "might", "must"])


@dataclass(frozen=True)
class Sentence:
    """A sentence as the checks see it: its text, its paragraph, the place it is set in (if
    annotated), whether it moves the hero there, whether it still follows the sentence it was
    written after (None: not known), and the spans of slot values in it."""

    text: str
    paragraph: int
    follows_source: bool | None = None
    place: str | None = None
    moves: bool = False
    masked: str = ""  # the text with slot values blanked, for phrases


@dataclass(frozen=True)
class Finding:
    """One thing a reader would flag: its kind, the sentence (0-based) and what it was."""

    kind: str
    sentence: int
    detail: str


def check_sentences(sentences: Sequence[Sentence]) -> list[Finding]:
    """Every finding in one story, in sentence order within each kind."""
    found: list[Finding] = []
    for check in (_scene_breaks, _unresolved_threads, _time_regressions, _place_jumps, _repeats, _fragments):
        found += check(sentences)
    return found


def _scene_breaks(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    for i, s in enumerate(sentences):
        if s.follows_source is False and (_CONNECTIVE.match(s.text) or _TIME_ANAPHORA.search(s.text)):
            found.append(Finding("scene_breaks", i, "leans on a sentence it no longer follows"))
            continue
        before = " ".join(x.text for x in sentences[max(0, i - _WINDOW):i])
        for match in _DEFINITE.finditer(s.text):
            noun = match.group(1)
            licensor = next(lic for pattern, lic in _LICENSORS if pattern.match(noun))
            if not licensor.search(before) and not licensor.search(s.text[:match.start()]):
                found.append(Finding("scene_breaks", i, f"'{match.group(0)}' with nothing before it to refer to"))
                break
    return found


def _unresolved_threads(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    for i, s in enumerate(sentences):
        if not _SETUP.search(s.text):
            continue
        later = " ".join(x.text for x in sentences[i + 1:])
        for event in {m.group(1).lower() for m in _SETUP_EVENTS.finditer(s.text)}:
            paid = _ARRIVAL.search(later) if event in ("flight", "trip") else re.search(rf"\b{event}", later, re.IGNORECASE)
            if not paid:
                found.append(Finding("unresolved_threads", i, f"the {event} never comes"))
    return found


def stage_of(text: str) -> int | None:
    """The latest stage of the life a sentence speaks of (0: childhood ... 4: legacy), if any;
    what it only hopes for ("set his sights on stardom") does not count."""
    text = _GOAL.split(text)[0]
    stages = [k for k, pattern in enumerate(_STAGES) if pattern.search(text)]
    return max(stages) if stages else None


def _time_regressions(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    reached = -1
    for i, s in enumerate(sentences):
        stage = stage_of(s.text)
        if stage is None:
            continue
        if stage < reached:
            found.append(Finding("time_regressions", i, f"back to stage {stage} after stage {reached}"))
        reached = max(reached, stage)
    return found


def _place_jumps(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    here: str | None = None
    moved = False
    for i, s in enumerate(sentences):
        if s.place is None:
            continue
        if s.moves:
            here, moved = s.place, True
        elif moved and s.place != here:
            found.append(Finding("place_jumps", i, f"in {s.place} after moving to {here}, with no travel"))
            here = s.place
        elif here is None:
            here = s.place
    return found


_SAME_THING = 4  # content words two sentences share when they say the same thing


def _content(text: str) -> list[str]:
    """The sentence's content words, lower-cased and crudely stemmed; names (capitalised words
    after the first) and slot values (masked) are left out."""
    words = _WORD.findall(text)
    kept = [w.lower() for k, w in enumerate(words) if (k == 0 or not w[0].isupper()) and w.lower() not in _STOPWORDS]
    return [re.sub(r"(?:ing|ed|es|s)$", "", w) if len(w) > 4 else w for w in kept]


def _phrases(text: str) -> set[str]:
    """Runs of three words that are all content words: the salient phrases of a sentence."""
    words = [w for w in _WORD.findall(text)]
    return {" ".join(t).lower() for t in zip(words, words[1:], words[2:])
            if all(w.lower() not in _STOPWORDS and not w[0].isupper() for w in t)}


def _repeats(sentences: Sequence[Sentence]) -> list[Finding]:
    found = []
    words = [set(_content(x.masked or x.text)) for x in sentences]
    phrases = [_phrases(x.masked or x.text) for x in sentences]
    for i in range(len(sentences)):
        for j in range(i):
            again = phrases[i] & phrases[j]
            shared = words[i] & words[j]
            if again or len(shared) >= _SAME_THING:
                what = f"'{sorted(again)[0]}'" if again else ", ".join(sorted(shared))
                found.append(Finding("repeated_content", i, f"{what} again (sentence {j + 1})"))
                break
    return found


def _fragments(sentences: Sequence[Sentence]) -> list[Finding]:
    sizes: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        sizes.setdefault(s.paragraph, []).append(i)
    return [Finding("fragment_paragraphs", members[0], "a paragraph of one sentence")
            for members in sizes.values() if len(members) == 1]


def text_sentences(text: str, spans: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Sentences of plain prose (a seed, another writer's story) at the given spans."""
    return [Sentence(text[a:b], text.count("\n\n", 0, a)) for a, b in spans]


def seed_predecessors(grammar: Grammar) -> dict[str, str | None]:
    """Each sentence template's predecessor in its seed (None for a seed's first sentence)."""
    predecessor: dict[str, str | None] = {}
    for record in grammar.seeds:
        ids = [sid for paragraph in record.paragraphs for sid in paragraph]
        predecessor.update(zip(ids, [None, *ids[:-1]]))
    return predecessor


def story_sentences(story: Story, predecessor: dict[str, str | None]) -> list[Sentence]:
    """A generated story's sentences, with where each came from and the places annotated."""
    text = story.text
    out = []
    previous: str | None = None
    for span in story.sentences:
        inside = [e for e in story.entities if span.start <= e.start < span.end]
        places = [e for e in inside if e.slot in _PLACE_SLOTS]
        masked = list(text[span.start:span.end])
        for e in inside:
            masked[e.start - span.start:e.end - span.start] = "_" * (e.end - e.start)
        place = places[0] if places else None
        moves = place is not None and bool(_MOVE.search(text[span.start:place.start]))
        out.append(Sentence(text[span.start:span.end], text.count("\n\n", 0, span.start),
                            predecessor.get(span.template) == previous,
                            None if place is None else story.values.get(place.slot), moves, "".join(masked)))
        previous = span.template
    return out


def check_story(story: Story, predecessor: dict[str, str | None]) -> list[Finding]:
    """Every finding in a generated story (`predecessor`: see `seed_predecessors`)."""
    return check_sentences(story_sentences(story, predecessor))
