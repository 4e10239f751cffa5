"""Signals of English narrative: what makes a sentence lean on the ones before it, what sets up an
event still to come, which stage of a musician's life a sentence speaks of, and which words and
phrases are salient. Knowledge of English and of the genre, never of particular stories: the
learner binds sentences by it, and the reader's checks (tools/coherence) measure stories by it.
"""

from __future__ import annotations

import re

CONNECTIVE = re.compile(r"^(?:But|And|Yet|However|Still|So|Then|Thus|Meanwhile|Instead|Nevertheless|Even so|"
                         r"After that|That (?:night|evening|day|morning)|The next (?:day|morning|night)|Later that|"
                         r"This time|Again|Despite (?:this|that|the \w+(?=,)))\b")
TIME_ANAPHORA = re.compile(r"^As (?:he|she|they|\w+) (?:began|started) to \w+,|"
                           r"\b[Aa]s the (?:night|evening|day|competition|show|concert|festival|performance) "
                            r"(?:wore on|went on|progressed|continued|unfolded)\b|\b[Tt]he (?:night|day|evening) of the\b")
WINDOW = 4  # sentences back in which a scene's set-up must be
# One occasion, not a summary: singular nouns and verbs of a performance under way ("concerts" or
# "performing at festivals" tell a career, and set up no scene).
_PERFORMANCE = (r"stage|concert|show|gig|set|festival|competition|contest|venue|audition|recital|performance|"
                r"auditorium|theat(?:re|er)|hall|club|played|sang|song|began to (?:play|sing)|crowd|audience|people|spotlight")
# Definite nouns that lean on what came before, and the words that license them: the noun itself,
# or something it belongs to (judges to a competition, a director to a school).
_BRIDGES = {
    r"crowd|audience|applause|spectators|faces|room|space|auditorium|spotlight|lights|venue|hall": _PERFORMANCE,
    r"judges|jury|final|verdict": r"compet\w*|contest|audition|festival|championship|prize|final|round|wins?|won|lose|lost",
    r"director": r"school|academy|conservator\w+|festival|orchestra|ensemble|theat(?:re|er)|choir|label|compan\w+|institute",
    r"producer": r"record\w*|label|album|studio|orchestra|show|film|theat(?:re|er)",
    r"scout|manager|agent": r"$^",
    r"invitation|offer|deal|contract": r"invit\w*|asked|offer\w*|contract|call\w*|email|letter|propos\w+",
    # An event leans on its own earlier mention (one festival is not another's licence); a concert
    # or a show may be the performance already under way.
    **{event: r"$^" for event in ("competition", "festival", "contest", "audition", "tour", "premiere")},
    r"concert|show|recital": _PERFORMANCE,
}
# A definite noun leans back, unless a complement or a name makes it new ("the night of ...",
# "the French producer Michel Duval"), or it is one of a kind ("the national contest").
DEFINITE = re.compile(r"\b(?:[Tt]he|[Tt]hat|[Tt]hose) (?!(?:national|annual|international|world|first|next|last|final|"
                       r"same|following|upcoming) )(?:\w+ )?(?:sea of )?(" + "|".join(_BRIDGES) + r")\b(?! of\b| [A-Z])")
LICENSORS = [(re.compile(rf"^(?:{noun})$"), re.compile(rf"\b(?:{noun}|{licensors})\b", re.IGNORECASE))
              for noun, licensors in _BRIDGES.items()]
SETUP = re.compile(r"\binvit(?:ed|ation)\b|\bupcoming\b|\basked \w+ to (?:perform|play|sing|compete|join|audition)\b|"
                    r"\bbook(?:ed)? a (?:flight|ticket|trip)\b|\bwould (?:perform|play|compete|travel)\b", re.IGNORECASE)
SETUP_EVENTS = re.compile(r"\b(festival|competition|contest|concert|audition|tour|show|recital|premiere|flight|trip)\b",
                           re.IGNORECASE)
ARRIVAL = re.compile(r"\barriv\w*|\blanded\b|\breached\b", re.IGNORECASE)
# Stages of a musician's life, earliest first, each with the words that place a sentence there:
# childhood; training and early gigs; the break; the debut and first acclaim; fame; legacy.
STAGES = [re.compile(p, re.IGNORECASE) for p in (
    r"\bborn\b|\bchildhood\b|\bas a (?:child|boy|girl)\b|\bwhen (?:he|she|they) (?:was|were) (?:just )?a child\b|"
    r"\bgrew up\b|^Growing up\b|\bfrom a young age\b",
    r"\bgrew older\b|\bteen\w*|\badulthood\b|\bstudies\b|\bschool\b|\bacademy\b|\bconservator\w+|\blessons\b|"
    r"\blocal (?:festivals|events|restaurants|cafes|bars|clubs|venues)\b|\bgigs?\b|\brejections?\b|\bsetbacks?\b|"
    r"\bbuilding a reputation\b",
    r"\brecord deal\b|\bwinner\b|\bbig break\b|\bbreakthrough\b|\bdiscovered\b|\btalent scout\b",
    r"\bdebut\b|\brising star\b|\btopped charts\b|\bfirst album\b|\bsold-out\b|"
    # playing to the whole of a country, not a town: "across the nation", "nationwide", "a national tour"
    r"\bacross (?:the|th[ea]t|this|\w+'s) (?:country|nation|continent)\b|\bnationwide\b|\bnational tours?\b",
    r"\brise to fame\b|\bnewfound fame\b|\bcritical acclaim\b|\ban icon\b|\binternational fame\b|\blegend\b|\bhousehold name\b|"
    r"\bnew generation\b|\bstardom\b",
    r"\byears later\b|\blegacy\b|\blooking back\b|\bdecades later\b",
)]
GOAL = re.compile(r"\b(?:sights on|dream\w* of|hop\w* (?:to|for)|aspir\w+|in search of|wanted to|longed|"
                   r"goal|ambition)\b", re.IGNORECASE)
MOVE = re.compile(r"\b(?:mov\w+|relocat\w+|set out|left|headed|travel\w*|flew|flight|journey|arriv\w+|return\w*|back to|visit\w*)\b",
                   re.IGNORECASE)
# A place named as where the hero comes from, which no one has to travel to mention ("in her native X").
ORIGIN = re.compile(r"\b(?:native|hometown|home town|birthplace)\s+(?:of\s+)?$")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "from", "with", "by", "as", "is", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she", "they", "him", "her", "them", "his", "hers", "their", "theirs", "himself", "herself", "themselves", "who", "whom", "which", "what", "when", "where", "how", "had", "has", "have", "do", "did", "not", "no", "so", "than", "then", "there", "here", "into", "onto", "out", "up", "down", "over", "under", "about", "after", "before", "through", "one", "all", "any", "each", "every", "some", "such", "very", "just", "also", "only", "even", "more", "most", "much", "many", "own", "same", "other", "another", "i", "you", "we", "my", "your", "our", "would", "could", "should", "will", "can", "may", "might", "must"])


def stage_of(text: str) -> int | None:
    """The latest stage of the life a sentence speaks of (0: childhood ... 5: legacy), if any;
    what it only hopes for ("set his sights on stardom") does not count."""
    text = GOAL.split(text)[0]
    stages = [k for k, pattern in enumerate(STAGES) if pattern.search(text)]
    return max(stages) if stages else None


# What tells a span of time or a habit rather than one occasion: it takes no point in time ("One
# evening, she spent hours practicing" reads wrong), nor does a stretch of a career (`CAREER_STAGE`
# on: the debut, fame, a legacy).
DURATIVE = re.compile(r"\b(?:spen[dt] (?:hours|days|nights|weeks|months|years|countless|many)|continu\w+ to|refus\w+ to|"
                      r"kept (?:on )?\w+ing|would (?:often|always|simply)|(?:every|each) (?:day|night|week|year)|"
                      r"for (?:years|months|decades)|over the years|gradually|increasingly|slowly|(?:every|any)one who|"
                      r"gain\w* (?:attention|recognition|popularity|momentum|a following|fame)|grew|growing|"
                      # habits and skills built over time: "often forgetting to eat", "where he honed his technique"
                      r"often|usually|tirelessly|hon(?:e|es|ed|ing)|"
                      # a stretch of the life: "began when she was just a child", "as a boy", "in her teens"
                      r"(?:when|while) [^,;]{0,48}?\ban? (?:child|boy|girl|kid|teenager)|"
                      r"as an? (?:child|boy|girl|teenager)|childhood|in (?:his|her|their) (?:teens|youth|twenties))\b", re.IGNORECASE)
ITERATIVE = re.compile(r"\b(?:each|every)\b", re.IGNORECASE)  # "With each performance,": a span of occasions
CAREER_STAGE = 3


def one_occasion(text: str) -> bool:
    """Whether a sentence can be set at a point in time: it tells no habit or span of time and no
    stretch of a career."""
    stage = stage_of(text)
    return not DURATIVE.search(text) and (stage is None or stage < CAREER_STAGE)


SAME_THING = 4  # content words two sentences share when they say the same thing


def content_words(text: str) -> list[str]:
    """The sentence's content words, lower-cased and crudely stemmed; names (capitalised words
    after the first) and slot values (masked) are left out."""
    words = _WORD.findall(text)
    kept = [w.lower() for k, w in enumerate(words) if (k == 0 or not w[0].isupper()) and w.lower() not in _STOPWORDS]
    return [re.sub(r"(?:ing|ed|es|s)$", "", w) if len(w) > 4 else w for w in kept]


def salient_phrases(text: str) -> set[str]:
    """Runs of three words that are all content words: the salient phrases of a sentence."""
    words = [w for w in _WORD.findall(text)]
    return {" ".join(t).lower() for t in zip(words, words[1:], words[2:])
            if all(w.lower() not in _STOPWORDS and not w[0].isupper() for w in t)}


Salience = tuple[set[str], set[str]]


def salience(text: str) -> Salience:
    """A sentence's salient phrases and content words: what a retelling would repeat."""
    return salient_phrases(text), set(content_words(text))


def say_the_same(a: Salience, b: Salience) -> bool:
    """Two sentences that share a salient phrase, or as many content words as a retelling does."""
    return bool(a[0] & b[0]) or len(a[1] & b[1]) >= SAME_THING


# Words that presuppose what came just before: a contrast ("..., however,"), an action under way
# ("continued to"), an effort told ("paid off"), a state since left behind ("once-struggling").
PRESUPPOSITION = re.compile(r",\s*however,|\bcontinued to\b|\bpaid off\b|\bonce-\w+|\bagain\b|\bas well\b|"
                            r"\b(?:himself|herself|themselves)\b(?=[,.])|"
                            # A change of a state told before ("As her skills improved, ...").
                            r"^As \S+ (?:\S+ )?(?:skills?|talent|technique|confidence|voice|playing) "
                            r"(?:improved|grew|developed|matured|spread|rose|deepened)\b")

# A sentence that announces what the next one tells: a beginning still to be told ("X's journey
# to becoming a musician began when she was just a child.", "It all started with a radio.").
ANNOUNCEMENT = re.compile(r"\b(?:journey|story|love (?:of|for) music|passion|career)\b[^.;]*\b(?:began|started)\b"
                          r"[^;]*[.!]$|^It all (?:began|started)\b", re.IGNORECASE)

# A sentence that ends a life story: a dream come true, a look back from years later, what lasts.
CLOSURE = re.compile(r"\b(?:had|have|has) finally come true\b|\bjust the beginning\b|\bto this day\b|"
                     r"\bfor (?:years|generations) to come\b|\blooking back\b|\b(?:his|her|their) legacy\b|"
                     r"\bone note at a time\b", re.IGNORECASE)

# What a hardship is, and the words that take one as told ("the once-struggling musician").
HARDSHIP = re.compile(r"\b(?:rejections?|setbacks?|struggl(?:e|es|ed|ing)|hardships?|poverty|obstacles?|adversity|"
                      r"doubts?|doubted|refused|failures?|failed|rejected)\b", re.IGNORECASE)
AFTER_HARDSHIP = re.compile(r"\bonce-struggling\b|\bagainst all odds\b|\bovercame\b|\bhumble beginnings\b|"
                            r"\bafter years of (?:struggle|hardship|rejection)\b", re.IGNORECASE)


def tells_hardship(text: str) -> bool:
    """Whether a sentence tells a hardship, not only the resolve it meets it with ("refused to give
    up" needs the rejections told)."""
    return bool(HARDSHIP.search(re.sub(r"\brefus\w* to\b", "", text)))


# Playing for people, in the words of the genre: what "continued to play gigs" carries on.
_PERFORMING = (r"(?:perform(?:s|ed|ing)?|performances?|gigs?|concerts?|recitals?|"
               r"(?:play|plays|played|playing|sang|sing|sings|singing) (?:for|at|in front of|to))\b")
PERFORMING = re.compile(r"\b" + _PERFORMING, re.IGNORECASE)
# A clause that carries on what came before ("continued to play gigs", "kept performing", "still
# plays at weddings"): it presupposes an earlier telling of the same doing.
CONTINUED = re.compile(r"\b(?:continu(?:e|es|ed|ing) to|kept(?: on)?|keeps(?: on)?|went on|goes on|still)"
                       r"(?: [\w'-]+){0,3}? " + _PERFORMING, re.IGNORECASE)


def tells_performing(text: str) -> bool:
    """Whether a sentence tells the hero playing for people, other than as carried on."""
    return bool(PERFORMING.search(CONTINUED.sub(" ", text)))


def carries_on_performing(text: str) -> bool:
    """Whether a sentence carries on a performing it does not tell ("He continued to play gigs at
    local cafes"): a story must have told the hero playing for people before it."""
    return bool(CONTINUED.search(text)) and not tells_performing(text)


def opens_on_what_came_before(text: str) -> bool:
    """A connective, time anaphora or presupposition ("But", "As the night wore on", "..., however,",
    "continued to"): the sentence continues the one it was written after. Playing carried on
    ("continued to play gigs") leans on no one sentence: on any that tells the playing, which
    the sampler's needs and the reader's check look for (`carries_on_performing`)."""
    rest = CONTINUED.sub(" ", text)
    return bool(CONNECTIVE.match(text) or TIME_ANAPHORA.search(text) or PRESUPPOSITION.search(rest))


def definite_references(text: str) -> list[tuple[str, re.Pattern[str]]]:
    """The definite references a sentence leans back with, each with what licenses it (the noun
    itself, or something it belongs to), that the sentence does not license itself."""
    found = []
    for match in DEFINITE.finditer(text):
        licensor = next(lic for pattern, lic in LICENSORS if pattern.match(match.group(1)))
        if not licensor.search(text[:match.start()]):
            found.append((match.group(0), licensor))
    return found


def is_event_reference(reference: str) -> bool:
    """A reference to an event or an offer ("the competition", "the invitation"), which may lean
    on a sentence however far back; scene nouns ("the crowd") lean on the last few."""
    return bool(re.search(r"\b(?:competition|festival|contest|concert|audition|tour|premiere|recital|show|invitation|"
                          r"offer|deal|contract)$", reference))


# An intention to go somewhere ("she needed to venture beyond her hometown"): its payoff is a move.
INTENT_TO_LEAVE = re.compile(r"\b(?:needed|wanted|decided|planned|longed|hoped|dreamed) (?:of |to )?"
                             r"(?:venture|leave|leaving|move|moving|go|going|travel\w*)\b", re.IGNORECASE)


def setups(text: str) -> set[str]:
    """The events a sentence sets up for later (an invitation to a festival, a booked flight,
    an intention to leave home)."""
    found = {"journey"} if INTENT_TO_LEAVE.search(text) else set()
    if SETUP.search(text):
        found |= {m.group(1).lower() for m in SETUP_EVENTS.finditer(text)}
    return found


def pays_off(event: str, text: str) -> bool:
    """Whether a sentence tells the event a setup promised (the festival itself, the arrival)."""
    if event in ("flight", "trip"):
        return bool(ARRIVAL.search(text))
    if event == "journey":
        return bool(MOVE.search(text))
    return bool(re.search(rf"\b{event}", text, re.IGNORECASE))


# A year of the common era, and a life's span as an encyclopedia writes it ("(1936–2004)").
YEAR = re.compile(r"(?<![\d–-])(1[5-9]\d\d|20\d\d)(?![\d])")
LIFESPAN = re.compile(r"\((?:[^()]*?; )?(1[5-9]\d\d|20\d\d)\s*[–-]\s*(1[5-9]\d\d|20\d\d)\)")


DEATH = re.compile(r"\b(?:died|passed away)\b")


def years(text: str) -> tuple[tuple[int, int] | None, list[int]]:
    """The life's span a text gives, if any, and the other years it names, in order."""
    span = LIFESPAN.search(text)
    rest = LIFESPAN.sub(" ", text)
    return (int(span.group(1)), int(span.group(2))) if span else None, [int(y) for y in YEAR.findall(rest)]


# The hero's age where a life story dates a step by it: "At fifteen she starts lessons", "at the
# age of four", "aged 68". (Not a lower-case "at five": "every morning at five" is a time of day;
# not "At thirty-four", which no rule needs yet.)
_AGE_WORDS = {w: n for n, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                          "eighteen", "nineteen", "twenty"])}
_AGE_WORDS |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
AGE = re.compile(r"(?:\bAt|\baged|\bat the age of) (\d{1,2}|" + "|".join(sorted(_AGE_WORDS, key=len, reverse=True)) + r")\b"
                 r"(?![-–]| (?:o'clock|years|percent|point|time|times|a\.m|p\.m)\b)")


def ages(text: str) -> list[int]:
    """The ages a text dates its steps by, in order."""
    return [int(a) if a.isdigit() else _AGE_WORDS[a] for a in AGE.findall(text)]


def ages_run_backwards(earlier: list[int], later: list[int]) -> bool:
    """Whether a later step names an age below one an earlier step named ("At eighteen ...", then
    "At fifteen ...")."""
    return bool(earlier) and bool(later) and min(later) < max(earlier)
