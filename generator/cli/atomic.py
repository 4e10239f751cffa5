"""Output files written atomically: a temporary file beside the target, renamed over it on success.

The temporary file is created the way a shell's `>` creates a file (mode 0666 less the umask, so
0644 under the usual 022), or takes the mode of the file it replaces, so a fixture is as readable
as any other file its user makes. A symbolic link at the target is written through: the file it
points to is replaced and the link stays. A target that is one of the run's inputs is refused.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from ..errors import StorygenError, UsageError
from .signals import held

NEW_FILE_MODE = 0o666  # what open(2) is asked for by a shell's `>`; the umask takes its share

# Temporaries made and not yet renamed into place or removed. A signal can land between a context
# manager's generator yielding and its caller's `with` taking hold, where no `__exit__` runs; the
# run's last step (`remove_unfinished`) then removes what the unwinding could not.
_UNFINISHED: set[Path] = set()


def resolve_target(path: Path, option: str, inputs: Sequence[tuple[str, Path]] = ()) -> Path:
    """The file an output path names: through symbolic links, in a folder that exists, and none of
    the run's `inputs` ((what, path) pairs: reading and overwriting one file would destroy it)."""
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        directory = path.parent if str(path.parent) else Path(".")
        raise UsageError(f"{option} {path}: directory '{directory}' does not exist")
    if target.is_dir():
        raise UsageError(f"{option} {path}: is a directory")
    for what, source in inputs:
        if target.exists() and source.exists() and os.path.samefile(target, source):
            raise UsageError(f"{option} {path}: is {what}, which this run reads; write the output elsewhere")
    return target


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new, empty temporary file in the target's folder, with the mode the target will have."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, NEW_FILE_MODE)
            break
        except FileExistsError:
            continue
    _UNFINISHED.add(tmp)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return fd, tmp  # a new file: the umask has already had its say
    try:
        os.fchmod(fd, mode)
    except OSError:
        os.close(fd)
        _remove(tmp)
        raise
    return fd, tmp


def _remove(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    _UNFINISHED.discard(tmp)


def remove_unfinished() -> None:
    """Remove every temporary this process made and has not renamed into place: a run's last step,
    so that no interruption, wherever it lands, leaves one behind."""
    for tmp in sorted(_UNFINISHED):
        _remove(tmp)


@contextlib.contextmanager
def atomic_file(target: Path, shown: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A binary file open on a temporary beside `target` (and that temporary's path), renamed over
    `target` when the block ends, removed if it raises (an interruption included). `shown` is the
    path as the user gave it, for messages."""
    tmp: Path | None = None
    try:
        # A signal waits until the temporary is both made and known here, so it is always removed.
        with held():
            fd, tmp = _create_beside(target)
        # Opened by name over the descriptor, so that the file's `name` is the temporary's path.
        with open(tmp, "wb", buffering=1 << 20, opener=lambda _path, _flags: fd) as out:
            yield out, tmp
        tmp.replace(target)
        _UNFINISHED.discard(tmp)
    except OSError as exc:
        if tmp is not None:
            _remove(tmp)
        raise StorygenError(f"{shown}: cannot write ({exc.strerror})") from None
    except BaseException:
        if tmp is not None:
            _remove(tmp)
        raise
