"""Where the stories go: stdout or files written atomically, one file per story, a progress bar."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import StorygenError, UsageError

if TYPE_CHECKING:
    from ..engine import StoryGenerator
    from .progress import Progress


class ReaderGone(Exception):
    """stdout's reader closed the pipe (storygen ... | head): stop quietly."""


@contextlib.contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a file written atomically: a temporary file renamed into place on success."""
    if path is None:
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            raise ReaderGone() from None
        return
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"-o {path}: directory '{directory}' does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise StorygenError(f"{path}: cannot write ({exc.strerror})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            yield out
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorygenError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_stream(generator: StoryGenerator, kind: str, seed: int, start: int, count: int, workers: int,
                  load_args: dict[str, Any], out: TextIO, progress: Progress | None,
                  output: Path | None) -> None:
    from ..engine import byte_sink

    sink = byte_sink(out) if workers > 1 and count > 1 else None
    if sink is None:
        generator.write(out, kind, seed, start, count, progress=progress)
        return
    from ..formats.registry import FORMATS
    from .workers import parallel_write

    fmt = FORMATS[kind]
    sink.write(generator.header(fmt, seed, start, count).encode("utf-8"))
    parallel_write(load_args, kind, seed, start, count, workers, sink, progress,
                   scratch=output.parent if output is not None else None)
    sink.write(fmt.footer(count > 0).encode("utf-8"))
    sink.flush()


@contextlib.contextmanager
def progress_bar(wanted: bool | None, count: int, output: Path | None) -> Iterator[Progress | None]:
    """A progress bar on stderr: by default only when stderr is a terminal and the stories are
    not being printed on that terminal too."""
    from .progress import Progress

    if wanted is None:
        wanted = sys.stderr.isatty() and (output is not None or not sys.stdout.isatty())
    if not wanted or count == 0:
        yield None
        return
    bar = Progress(count, sys.stderr)
    finished = False
    try:
        yield bar
        finished = True
    finally:
        bar.close(finished)


def write_out_dir(generator: StoryGenerator, directory: Path, seed: int, start: int, count: int,
                   progress: Progress | None, force: bool = False) -> None:
    """One text file per story, then manifest.jsonl (each line with what made the run); every
    file lands whole or not at all. A folder holding files is refused unless `force`."""
    import hashlib
    import json

    from ..formats.records import meta
    from .out_dir import prepare

    prepare(directory, force)
    made = meta(generator.provenance(seed, start, count))
    manifest = []
    for story in generator.stories(seed, start, count):
        name = f"story-{story.seed}-{story.index:06d}.txt"
        with open_output(directory / name) as out:
            out.write(story.text + "\n")
        if progress is not None:
            progress(1)
        manifest.append({"file": name, "id": story.id, "seed": story.seed, "index": story.index,
                         "sha256": hashlib.sha256((story.text + "\n").encode("utf-8")).hexdigest(),
                         "pronouns": story.pronouns, "hero": story.values["hero.name"], "meta": made})
    with open_output(directory / "manifest.jsonl") as out:
        for entry in manifest:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
