"""`storygen verify`: regenerate a fixture file and report the first difference."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import StoryGenerator
from ..errors import UsageError
from ..formats import registry
from ..formats.base import Format, StoryId


@dataclass(frozen=True)
class Verdict:
    """The result of a verification: identical, or where the first difference is."""

    identical: bool
    stories: int
    message: str


def story_ids(content: str, fmt: Format, seed: int | None, start: int) -> list[StoryId]:
    """(seed, index) of every story in a fixture: read from the file where its format records
    them, else counted and numbered from `seed` and `start`."""
    try:
        ids = fmt.story_ids(content)
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"cannot read seed and index from this {fmt.name} file ({exc})") from None
    if ids is not None:
        return ids
    if seed is None:
        raise UsageError(f"a {fmt.name} file does not record its seed: pass --seed (and --start if not 0)")
    return [(seed, start + i) for i in range(fmt.count(content))]


def verify(content: str, kind: str | Format, generator: StoryGenerator, seed: int | None = None, start: int = 0) -> Verdict:
    """Regenerate the stories a fixture in format `kind` (a Format or its name) claims to hold and compare bytes."""
    fmt = registry.get(kind)
    ids = story_ids(content, fmt, seed, start)
    if not ids:
        return Verdict(False, 0, "no stories found")
    first_seed, first_index = ids[0]
    if ids != [(first_seed, first_index + i) for i in range(len(ids))]:
        return Verdict(False, len(ids), "stories are not one seed with consecutive indices, as storygen writes them")
    header, footer = fmt.header(generator.grammar), fmt.footer(True)
    if header + generator.chunk(fmt, first_seed, first_index, len(ids)) + footer == content:
        return Verdict(True, len(ids), f"identical: {len(ids)} stories (seed {first_seed}, from index {first_index})")
    # Story by story, to say which one differs.
    chunks = [header, *(generator.chunk(fmt, first_seed, first_index + i, 1, i == 0) for i in range(len(ids)))]
    return Verdict(False, len(ids), _first_difference(content, chunks, "".join(chunks) + footer, ids))


def _first_difference(content: str, chunks: list[str], expected: str, ids: list[StoryId]) -> str:
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
