"""The template language: slot parts, their filters, and the English article rule they use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_AN_EXCEPTIONS = re.compile(r"^(?:uni|use|usu|uto|eu|one|once|ure)", re.IGNORECASE)
_AN_SILENT_H = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_AN_NUMBER = re.compile(r"^(?:8|11(?!\d)|18(?!\d)|11\d\d(?!\d)|18\d\d(?!\d))")


def indefinite_article(word: str) -> str:
    """'a' or 'an' for the sound that starts `word` ('an 18', 'a unique', 'an hour')."""
    if not word:
        return "a"
    if word[0].isdigit():
        return "an" if _AN_NUMBER.match(word) else "a"
    if _AN_SILENT_H.match(word):
        return "an"
    if word[0].lower() in "aeiou" and not _AN_EXCEPTIONS.match(word):
        return "an"
    return "a"


def _with_article(value: str) -> str:
    return f"{indefinite_article(value)} {value}"


def _capitalize_first(value: str) -> str:
    return value[:1].upper() + value[1:]


def _without_the(value: str) -> str:
    return value[4:] if value.startswith("the ") else value


# a: prefix 'a'/'an'; cap: upper-case the first letter; bare: drop a leading 'the' after a
# determiner in the template ("the iconic {{ abroad.landmark2|bare }}").
FILTERS = {"a": _with_article, "cap": _capitalize_first, "bare": _without_the}


@dataclass(frozen=True)
class Slot:
    """A `{{ key|filters }}` expression inside a template."""

    key: str
    filters: tuple[str, ...] = ()

    @property
    def article(self) -> bool:
        return "a" in self.filters


Part = str | Slot

def slot_keys(parts: tuple[Part, ...]) -> list[str]:
    """The slot keys a parsed template refers to, in order."""
    return [p.key for p in parts if isinstance(p, Slot)]


def apply_filters(value: str, filters: tuple[str, ...]) -> str:
    """Apply a slot's filters to its value, in the order written."""
    for name in filters:
        value = FILTERS[name](value)
    return value

def nest(values: Mapping[str, str]) -> dict[str, object]:
    """Turn flat keys ('hero.name') into the nested mapping Jinja2 expects."""
    tree: dict[str, object] = {}
    for key, value in values.items():
        node = tree
        *parents, leaf = key.split(".")
        for parent in parents:
            node = node.setdefault(parent, {})  # type: ignore[assignment]
        node[leaf] = value
    return tree
