"""`storygen verify`: regenerate a fixture file from what it records and report the first difference.

A fixture records what made it (`Format.recorded`: a record's `meta`, a header or comment line):
the grammar and culture pack with their SHA-256, the profile, the split, the controls and the run
(seed, first index, count). The run says which stories the file must hold, so a missing, extra
or reordered story is named before any bytes are compared; then the first differing character
is found and reported with its story, line, column and, where the format has fields, the field.
A binary format written whole (a spaCy DocBin) is regenerated and compared byte for byte; when it
differs, its documents are read back and the first differing story and field are named.
"""

from __future__ import annotations

import bisect
import io
from dataclasses import dataclass
from typing import Any

from ..engine import StoryGenerator
from ..errors import UsageError
from ..formats import registry
from ..formats.base import Format, StoryId, WholeFormat, ids_of


@dataclass(frozen=True)
class Verdict:
    """The result of a verification: identical, or where the first difference is."""

    identical: bool
    stories: int
    message: str


def stories(n: int) -> str:
    """'1 story', '2 stories'."""
    return f"{n:,} {'story' if n == 1 else 'stories'}"


def story_ids(content: str, fmt: Format) -> list[StoryId] | None:
    """(seed, index) of every story in a fixture, where its format records them (else None)."""
    try:
        return fmt.story_ids(content)
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"cannot read the stories of this {fmt.name} file ({exc})") from None


@dataclass(frozen=True)
class Run:
    """The stories a fixture should hold: seed, first index and count."""

    seed: int
    start: int
    count: int

    @property
    def ids(self) -> list[StoryId]:
        return [(self.seed, self.start + i) for i in range(self.count)]

    def describe(self) -> str:
        if not self.count:
            return "no stories"
        last = f" to {self.seed}-{self.start + self.count - 1}" if self.count > 1 else ""
        return f"{stories(self.count)} ({self.seed}-{self.start}{last})"


def _id(story: StoryId) -> str:
    return f"{story[0]}-{story[1]}"


def _order_problem(got: list[StoryId], run: Run) -> str | None:
    """What is wrong with the stories a file holds, against the run it records (None: nothing)."""
    expected = run.ids
    if got == expected:
        return None
    wanted, held = set(expected), set(got)
    missing = [e for e in expected if e not in held]
    extra = [g for g in got if g not in wanted]
    where = f"the file records a run of {run.describe()} and holds {stories(len(got))}"
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        return f"story {_id(missing[0])} is missing{more}: {where}"
    if extra:
        more = f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""
        return f"story {_id(extra[0])} is extra{more}: {where}"
    twice = next((g for k, g in enumerate(got) if g in got[:k]), None)
    if twice is not None:
        return f"story {_id(twice)} appears twice: {where}"
    k = next(k for k, (a, b) in enumerate(zip(got, expected)) if a != b)
    return f"story {_id(got[k])} is where story {_id(expected[k])} should be: the stories are out of order"


def verify(content: str, kind: str | Format, generator: StoryGenerator, run: Run) -> Verdict:
    """Regenerate `run` in format `kind` (a Format or its name) and compare it with `content`."""
    fmt = registry.get(kind)
    got = story_ids(content, fmt)
    if got is not None:
        problem = _order_problem(got, run)
        if problem is not None:
            return Verdict(False, len(got), problem)
    else:
        held = fmt.count(content)
        if held != run.count:
            return Verdict(False, held, f"the file holds {stories(held)}, but {run.describe()} were expected")
    header = generator.header(fmt, run.seed, run.start, run.count)
    body = generator.chunk(fmt, run.seed, run.start, run.count)
    expected = header + body + fmt.footer(run.count > 0)
    if content == expected:
        return Verdict(True, run.count, f"identical: {run.describe()}")
    return Verdict(False, run.count, _first_difference(content, expected, fmt, generator, run))


def _first_difference(content: str, expected: str, fmt: Format, generator: StoryGenerator, run: Run) -> str:
    """Where `content` first leaves `expected`: its story, line, column and field."""
    at = next((i for i, (a, b) in enumerate(zip(content, expected)) if a != b), min(len(content), len(expected)))
    if at == len(expected):
        extra = len(content) - at
        return f"{extra:,} {'character' if extra == 1 else 'characters'} after the end of the last story ({_place(content, at)})"
    chunks = list(generator.story_chunks(fmt, run.seed, run.start, run.count))
    header = len(generator.header(fmt, run.seed, run.start, run.count))
    ends = [header]
    for chunk in chunks:
        ends.append(ends[-1] + len(chunk))
    k = bisect.bisect_right(ends, at)  # 0: the header; 1..count: a story; count+1: the footer
    if k == 0:
        what = "the header (what made the file) differs"
    elif k > run.count:
        what = "the end of the file differs"
    else:
        field = _field(content, expected, fmt, k - 1)
        what = f"story {run.seed}-{run.start + k - 1} differs" + (f" in field '{field}'" if field else "")
    lo = max(0, at - 30)
    if at == len(content):
        return f"{what}: the file ends early ({_place(content, at)})"
    return f"{what} ({_place(content, at)}): expected {expected[lo : at + 30]!r}, found {content[lo : at + 30]!r}"


def _place(content: str, at: int) -> str:
    line = content.count("\n", 0, at) + 1
    column = at - (content.rfind("\n", 0, at) + 1) + 1
    return f"line {line}, column {column}"


def _field(content: str, expected: str, fmt: Format, k: int) -> str | None:
    """The first field of story k that differs, for formats with fields ('entities[3].end')."""
    try:
        got, want = fmt.records(content), fmt.records(expected)
    except (ValueError, KeyError, TypeError):
        return None
    if got is None or want is None or k >= len(got) or k >= len(want):
        return None
    return _path(got[k], want[k], "")


def _path(got: Any, want: Any, where: str) -> str | None:
    """The path of the first value that differs between two parsed records ('' if the whole)."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in [*want, *(k for k in got if k not in want)]:
            if got.get(key, ...) != want.get(key, ...):
                return _path(got.get(key), want.get(key), f"{where}.{key}" if where else key) or key
        return None
    if isinstance(want, list) and isinstance(got, list):
        for i in range(max(len(got), len(want))):
            a, b = (got[i] if i < len(got) else None), (want[i] if i < len(want) else None)
            if a != b:
                return _path(a, b, f"{where}[{i}]") or f"{where}[{i}]"
        return None
    return where if got != want else None


def verify_whole(data: bytes, docs: list[dict[str, Any]], fmt: WholeFormat, generator: StoryGenerator, run: Run) -> Verdict:
    """`verify` for a binary format written whole: `data` is the file, `docs` its documents as
    `fmt.documents` reads them."""
    problem = _order_problem(ids_of(docs), run)
    if problem is not None:
        return Verdict(False, len(docs), problem)
    made = io.BytesIO()
    generator.write(made, fmt, run.seed, run.start, run.count)
    if data == made.getvalue():
        return Verdict(True, run.count, f"identical: {run.describe()}")
    for k, (got, want) in enumerate(zip(docs, fmt.documents(made.getvalue()))):
        field = _path(got, want, "")
        if field is not None:
            return Verdict(False, run.count, f"story {run.seed}-{run.start + k} differs in field '{field}': "
                                             f"expected {_short(_value(want, field))}, found {_short(_value(got, field))}")
    return Verdict(False, run.count, "the documents are the same but the bytes differ from what this storygen "
                                     "writes (was it written with another version of spaCy?)")


def _value(record: Any, path: str) -> Any:
    """The value at a path `_path` gave ('entities[3].end')."""
    for step in path.replace("[", ".[").split("."):
        if step.startswith("["):
            i = int(step[1:-1])
            record = record[i] if isinstance(record, list) and i < len(record) else None
        elif step:
            record = record.get(step) if isinstance(record, dict) else None
    return record


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
