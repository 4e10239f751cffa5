"""Every output format, by name: `--format`'s choices, `-o`'s extensions, what the engine and
`storygen verify` write and read. Adding a format is one `register` call."""

from __future__ import annotations

from typing import TypeVar

from ..errors import UsageError
from .base import Format
from .conll import Conll
from .csv import Csv
from .docbin import DocBin
from .json_format import Json
from .jsonl import JsonLines
from .markdown import Markdown
from .records import record as record  # the reference record; faker_provider imports it from here
from .text import Text

F = TypeVar("F", bound=Format)

FORMATS: dict[str, Format] = {}  # in the order `--format` lists them


def register(fmt: F) -> F:
    """Add an output format: its name becomes a `--format` choice and its extensions `-o`'s."""
    if fmt.name in FORMATS:
        raise ValueError(f"a format named {fmt.name!r} is already registered")
    taken = [ext for ext in fmt.extensions if for_extension(ext) is not None]
    if taken:
        raise ValueError(f"format {fmt.name!r}: extension {taken[0]!r} is already another format's")
    FORMATS[fmt.name] = fmt
    return fmt


def get(kind: str | Format) -> Format:
    """A format by name (a Format is returned as it is)."""
    if isinstance(kind, Format):
        return kind
    fmt = FORMATS.get(kind)
    if fmt is None:
        raise UsageError(f"unknown format '{kind}' (known: {', '.join(FORMATS)})")
    return fmt


def for_extension(suffix: str) -> Format | None:
    """The format a file name ending in `suffix` ('.jsonl') is written in, if any."""
    return next((fmt for fmt in FORMATS.values() if suffix in fmt.extensions), None)


def extensions() -> list[str]:
    """Every extension a format claims, in registry order."""
    return [ext for fmt in FORMATS.values() for ext in fmt.extensions]


DEFAULT = register(Text())  # the format of stdout when nothing says otherwise
for _fmt in (JsonLines(), Json(), Markdown(), Csv(), Conll(), DocBin()):
    register(_fmt)
