"""`storygen verify`: regenerate a fixture file and report the first difference."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from ..engine import StoryGenerator
from ..errors import UsageError
from ..formats.registry import FORMATS, STORY_BREAK


@dataclass(frozen=True)
class Verdict:
    """The result of a verification: identical, or where the first difference is."""

    identical: bool
    stories: int
    message: str


def _ids_from_records(content: str, kind: str) -> list[tuple[int, int]]:
    if kind == "jsonl":
        records = [json.loads(line) for line in content.splitlines() if line.strip()]
    elif kind == "json":
        records = json.loads(content)
    else:  # csv
        records = list(csv.DictReader(io.StringIO(content)))
    return [(int(r["seed"]), int(r["index"])) for r in records]


def story_ids(content: str, kind: str, seed: int | None, start: int) -> list[tuple[int, int]]:
    """(seed, index) of every story in a fixture: read from the file where it carries them."""
    try:
        if kind in ("jsonl", "json", "csv"):
            return _ids_from_records(content, kind)
        if kind == "markdown":
            return [(int(s), int(i)) for s, i in re.findall(r"^## Story (\d+)-(\d+)$", content, flags=re.MULTILINE)]
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"cannot read seed and index from this {kind} file ({exc})") from None
    if seed is None:
        raise UsageError(f"a {kind} file does not record its seed: pass --seed (and --start if not 0)")
    count = content.count("-DOCSTART-") if kind == "conll" else (content.count(STORY_BREAK) + 1 if content else 0)
    return [(seed, start + i) for i in range(count)]


def verify(content: str, kind: str, generator: StoryGenerator, seed: int | None = None, start: int = 0) -> Verdict:
    """Regenerate the stories a fixture claims to hold and compare bytes."""
    ids = story_ids(content, kind, seed, start)
    if not ids:
        return Verdict(False, 0, "no stories found")
    first_seed, first_index = ids[0]
    if ids != [(first_seed, first_index + i) for i in range(len(ids))]:
        return Verdict(False, len(ids), "stories are not one seed with consecutive indices, as storygen writes them")
    fmt = FORMATS[kind]
    header, footer = fmt.header(generator.grammar), fmt.footer(True)
    if header + generator.chunk(kind, first_seed, first_index, len(ids)) + footer == content:
        return Verdict(True, len(ids), f"identical: {len(ids)} stories (seed {first_seed}, from index {first_index})")
    # Story by story, to say which one differs.
    chunks = [header, *(generator.chunk(kind, first_seed, first_index + i, 1, i == 0) for i in range(len(ids)))]
    return Verdict(False, len(ids), _first_difference(content, chunks, "".join(chunks) + footer, ids))


def _first_difference(content: str, chunks: list[str], expected: str, ids: list[tuple[int, int]]) -> str:
    got_lines, want_lines = content.split("\n"), expected.split("\n")
    line = next((n for n, (a, b) in enumerate(zip(got_lines, want_lines)) if a != b), min(len(got_lines), len(want_lines)))
    # Which story holds that line: count the lines of each chunk (the header is chunk 0).
    boundary = 0
    story = ids[-1]
    for k, chunk in enumerate(chunks):
        boundary += chunk.count("\n")
        if line < boundary:
            story = ids[max(k - 1, 0)]
            break
    got = got_lines[line] if line < len(got_lines) else ""
    want = want_lines[line] if line < len(want_lines) else ""
    column = next((c for c, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    lo = max(0, column - 40)
    return (f"line {line + 1}, column {column + 1}: story {story[0]}-{story[1]} differs: "
            f"expected {want[lo : column + 40]!r}, found {got[lo : column + 40]!r}")
