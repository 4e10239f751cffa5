"""Where the stories go: stdout or files written atomically, one file per story, a progress bar."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import StorygenError, UsageError
from .atomic import atomic_file, resolve_target

if TYPE_CHECKING:
    from ..engine import StoryGenerator
    from .progress import Progress


class ReaderGone(Exception):
    """stdout's reader closed the pipe (storygen ... | head): stop quietly."""


@contextlib.contextmanager
def open_output(path: Path | None, inputs: Sequence[tuple[str, Path]] = (), option: str = "-o") -> Iterator[TextIO]:
    """stdout, or a file written atomically (`atomic.atomic_file`): refused if it is one of the run's
    `inputs`, written through a symbolic link. A file's `name` is its temporary's path until it is
    renamed into place, so worker processes can write into it by name."""
    if path is None:
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            raise ReaderGone() from None
        return
    target = resolve_target(path, option, inputs)
    with atomic_file(target, path) as (raw, _tmp), io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out:
        yield out


def write_stream(generator: StoryGenerator, kind: str, seed: int, start: int, count: int, workers: int,
                  load_args: dict[str, Any], out: TextIO, progress: Progress | None,
                  output: Path | None) -> None:
    from ..engine import byte_sink
    from ..formats.registry import FORMATS

    fmt = FORMATS[kind]
    if not fmt.chunked and output is None and sys.stdout.isatty():
        raise UsageError(f"--format {kind} is binary: write it to a file (-o FILE{fmt.extensions[0]}) or a pipe")
    sink = byte_sink(out) if workers > 1 and count > 1 and fmt.chunked else None
    if sink is None:
        generator.write(out, kind, seed, start, count, progress=progress)
        return
    from .workers import parallel_write

    sink.write(fmt.header(generator.grammar).encode("utf-8"))
    # A file of ours (not stdout) is named after its temporary, which the workers write into.
    parallel_write(load_args, kind, seed, start, count, workers, sink, progress,
                   path=Path(out.name) if output is not None else None, generator=generator)
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
                   progress: Progress | None) -> None:
    """One text file per story, then manifest.jsonl; every file lands whole or not at all."""
    import hashlib
    import json

    if not directory.parent.is_dir():
        raise UsageError(f"--out-dir {directory}: directory '{directory.parent}' does not exist")
    try:
        directory.mkdir(exist_ok=True)
    except OSError as exc:
        raise StorygenError(f"{directory}: cannot create ({exc.strerror})") from None
    manifest = []
    for story in generator.stories(seed, start, count):
        name = f"story-{story.seed}-{story.index:06d}.txt"
        with open_output(directory / name, option="--out-dir") as out:
            out.write(story.text + "\n")
        if progress is not None:
            progress(1)
        manifest.append({"file": name, "id": story.id, "seed": story.seed, "index": story.index,
                         "sha256": hashlib.sha256((story.text + "\n").encode("utf-8")).hexdigest(),
                         "pronouns": story.pronouns, "hero": story.values["hero.name"]})
    with open_output(directory / "manifest.jsonl", option="--out-dir") as out:
        for entry in manifest:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
