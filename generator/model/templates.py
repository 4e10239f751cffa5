"""The template language: slot parts, their filters, and the English article rule they use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .english import indefinite_article


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


def article_offset(value: str | None, filters: tuple[str, ...]) -> int:
    """Where a slot's own value starts in its filtered text: after the article the `a` filter
    adds ('an 18' -> 3), since an entity's span leaves the article out."""
    return len(indefinite_article(value)) + 1 if value is not None and "a" in filters else 0


def fill_parts(parts: tuple[Part, ...], value_of: Callable[[Slot], Any]) -> Any:
    """Join a template's parts, each slot's text from `value_of` (its value with its filters
    applied). Works on one story (strings) or many at once (object arrays of strings)."""
    text: Any = ""
    for part in parts:
        text = text + (part if isinstance(part, str) else value_of(part))
    return text


# A verb's ending slot in its plain form, so that the word reads whole: "fix{{ hero.es }}" is
# "fix" and "stud{{ hero.ies }}" is "study", not "fix_" and "stud_".
PLAIN_ENDINGS = {"s": "", "es": "", "ies": "y"}


def masked(parts: tuple[Part, ...], mask: str = "_") -> str:
    """A template's literal text with each slot written as `mask` (a verb's ending in its plain
    form): what a rule may read of a template without its values."""
    return "".join(p if isinstance(p, str) else PLAIN_ENDINGS.get(p.key.rpartition(".")[2], mask) for p in parts)
