"""An --out-dir folder: its story files and manifest, as a run writes them and `storygen verify`
regenerates them from the manifest's meta."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import StorygenError, UsageError

if TYPE_CHECKING:
    from ..engine import StoryGenerator
    from ..model.story import Story
    from .verify import Run, Verdict

MANIFEST = "manifest.jsonl"
STORY_FILE = re.compile(r"story-\d+-\d+\.txt")  # the names story_file gives


def story_file(story: Story) -> tuple[str, str]:
    """A story's file name in the folder and the file's text."""
    return f"story-{story.seed}-{story.index:06d}.txt", story.text + "\n"


def manifest_entry(story: Story, made: dict[str, Any]) -> dict[str, Any]:
    """A story's line of manifest.jsonl; `made`: the run's meta."""
    name, text = story_file(story)
    return {"file": name, "id": story.id, "seed": story.seed, "index": story.index,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "pronouns": story.pronouns, "hero": story.values["hero.name"], "meta": made}


def manifest_of(path: Path) -> Path | None:
    """The manifest to verify a folder by: `path` itself if it is a folder's manifest (its lines
    name files), the one inside if `path` is a folder, else None (`path` is some other file)."""
    if path.is_dir():
        return path / MANIFEST
    if path.name != MANIFEST or not path.is_file():
        return None
    with path.open("rb") as f:
        first = f.readline()
    try:
        entry = json.loads(first) if first.strip() else {"file": None}
    except ValueError:
        return None
    return path if isinstance(entry, dict) and "file" in entry else None


def read_manifest(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """A manifest's text and its entries."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise StorygenError(f"{path}: no such file (an --out-dir folder has its manifest.jsonl once its run has ended)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorygenError(f"{path}: cannot read ({exc})") from None
    try:
        entries = [json.loads(line) for line in text.splitlines()]
        if not all(isinstance(e, dict) for e in entries):
            raise ValueError("a line is not an object")
        for e in entries:
            int(e["seed"]), int(e["index"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: cannot read the manifest ({exc!r})") from None
    return text, entries


def verify_folder(folder: Path, text: str, entries: list[dict[str, Any]], generator: StoryGenerator, run: Run) -> Verdict:
    """Regenerate every story file and the manifest of an --out-dir run and compare."""
    from ..formats.records import meta
    from .verify import Verdict, _order_problem, _path, _place

    problem = _order_problem([(int(e["seed"]), int(e["index"])) for e in entries], run)
    if problem is not None:
        return Verdict(False, len(entries), f"{MANIFEST}: {problem}")
    made = meta(generator.provenance(run.seed, run.start, run.count))
    expected: list[dict[str, Any]] = []
    for story in generator.stories(run.seed, run.start, run.count):
        name, want = story_file(story)
        expected.append(manifest_entry(story, made))
        try:
            got = (folder / name).read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return Verdict(False, run.count, f"{name}: story {story.id} is missing from the folder")
        if got != want:
            at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
            lo = max(0, at - 30)
            return Verdict(False, run.count, f"{name}: story {story.id} differs ({_place(got, at)}): "
                                             f"expected {want[lo:at + 30]!r}, found {got[lo:at + 30]!r}")
    names = {e["file"] for e in expected}
    extra = sorted(p.name for p in folder.iterdir() if STORY_FILE.fullmatch(p.name) and p.name not in names)
    if extra:
        return Verdict(False, run.count, f"{extra[0]}: a story file the manifest's run ({run.describe()}) does not hold")
    lines = text.splitlines()
    for k, want_entry in enumerate(expected):
        if json.dumps(want_entry, ensure_ascii=False) != lines[k]:
            field = _path(json.loads(lines[k]), want_entry, "")
            where = f" in field '{field}'" if field else ""
            return Verdict(False, run.count, f"{MANIFEST}: story {want_entry['id']}'s line (line {k + 1}) differs{where}")
    if text != "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in expected):
        return Verdict(False, run.count, f"{MANIFEST}: differs after the line of its last story")
    return Verdict(True, run.count, f"identical: {run.describe()} and their manifest" if run.count else "identical: no stories")
