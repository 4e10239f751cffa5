"""Naming the hero: a sentence that opens on the hero's pronoun ("She inspired ...", "Her music
...") may open on the hero's first name instead ("Aigerim inspired ...", "Aigerim's music ..."),
and one that opens on the hero's name as a possessive ("Aigerim's rise to fame") on the pronoun.

Both refer to the hero, whom every story introduces first, so the sentence says the same; a story
then names its hero now by pronoun, now by name, as writers do (and a coreference fixture meets
both kinds of mention). Left alone: a sentence in which a verb agrees with the pronoun set ("they
were", "she plays"), since a name takes the singular whatever the set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .align import Aligned

_AGREES = re.compile(r"\{\{ hero\.(?:were|are|have|do|s|es|ies) \}\}")
_NAMED = {"hero.they": "{{ hero.first }}", "hero.their": "{{ hero.first }}'s"}


def namings(x: Aligned) -> Iterator[tuple[int, int, str]]:
    """The sentence's opening pronoun told as the hero's first name, or its opening possessive
    name ("Aigerim's rise to fame") told as the pronoun ("Her rise to fame"): (x from, x to,
    text), as `align.drops` gives them. A story's first sentence names its hero."""
    a = x.tokens
    if len(a) > 3 and a[0].slot in ("hero.name", "hero.first") and [t.text for t in a[1:3]] in (["'", "s"], ["’", "s"]) \
            and not x.opens_story:
        yield 0, 3, "{{ hero.their|cap }}"
    if not a or "|cap" not in a[0].text or a[0].slot not in _NAMED or _AGREES.search(x.template.template):
        return
    yield 0, 1, _NAMED[a[0].slot]
