"""Agreement with a subject pronoun: the verbs whose form follows the hero's pronoun set.

'she was' must become 'they were', and 'she moves' 'they move': 'was', 'has' and the like are
slots of their own; a present-tense verb keeps its stem and its ending becomes a slot
('move{{ hero.s }}'). A verb joined to the first by 'and' with the same subject agrees too
('returns home and plays').
"""

from __future__ import annotations

import re

from .inflection import base_form_ending, present_tense_ending, word_ending

# The word a subject pronoun governs, after at most two adverbs ("she still plays").
_FOLLOWING = re.compile(r"((?: (?:still|always|often|never|also|now|soon|finally|rarely|sometimes|already|even|only))*) ([a-z]+)(?=n't\b|\b)")
# A verb joined to the one before by 'and' within its clause: the words between hold no comma,
# no clause break and no subject of their own (at most a short object: 'returns to X and plays').
_COORDINATED = re.compile(r"(?:(?! (?:he|she|they|it|we|you|i|who|which|that)\b) [\w'’-]+){0,14}? and ([a-z]+)\b")
_AGREEING_VERBS = {"was": "were", "were": "were", "is": "are", "are": "are", "has": "have", "have": "have",
                   "does": "do", "do": "do"}

Found = tuple[int, int, str, str]  # start, end, slot, the seed's text


def agreement_slots(text: str, end: int, forms: dict[str, str], character: str) -> list[Found]:
    """The slots of the verb a subject pronoun ending at `end` governs (none if it governs none)."""
    match = _FOLLOWING.match(text, end)
    if not match:
        return []
    word = match.group(2)
    if word in _AGREEING_VERBS:
        slot = _AGREEING_VERBS[word]
        return [(match.start(2), match.end(2), f"{character}.{slot}", forms[slot])]
    found = _verb_ending(text, match.start(2), match.end(2), forms, character)
    joined = _COORDINATED.match(text, match.end(2)) if found else None
    if joined:
        found += _verb_ending(text, joined.start(1), joined.end(1), forms, character)
    return found


def _verb_ending(text: str, start: int, end: int, forms: dict[str, str], character: str) -> list[Found]:
    """The ending of the present-tense verb at start..end as a slot, if it is one."""
    word = text[start:end]
    ending = present_tense_ending(word)
    if ending is not None:
        return [(end - len(word_ending(word, ending)), end, f"{character}.{ending}", forms[ending])]
    ending = base_form_ending(word) if forms.get("s") == "" else None
    if ending == "ies":  # 'study' -> 'stud{{ hero.ies }}': the slot holds the 'y'
        return [(end - 1, end, f"{character}.ies", forms["ies"])]
    if ending is not None:  # 'lose' -> 'lose{{ hero.s }}': the slot is empty for 'they'
        return [(end, end, f"{character}.{ending}", forms[ending])]
    return []
