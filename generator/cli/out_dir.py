"""--out-dir's folder: created, or emptied of an earlier run's files with --force, never mixed."""

from __future__ import annotations

from pathlib import Path

from ..errors import StorygenError, UsageError
from ..tools.folder import MANIFEST, STORY_FILE


def prepare(directory: Path, force: bool) -> None:
    """Make `directory` ready for a run: create it, or, if it holds files, refuse unless `force`,
    which removes an earlier run's files first. Files storygen did not write are never removed:
    the folder is refused, naming one."""
    if not directory.parent.is_dir():
        raise UsageError(f"--out-dir {directory}: directory '{directory.parent}' does not exist")
    try:
        directory.mkdir(exist_ok=True)
        entries = sorted(directory.iterdir())
    except OSError as exc:
        raise StorygenError(f"{directory}: cannot create ({exc.strerror})") from None
    if not entries:
        return
    foreign = [p for p in entries if not (p.is_file() and (p.name == MANIFEST or STORY_FILE.fullmatch(p.name)))]
    if foreign:
        raise UsageError(f"--out-dir {directory}: the folder holds '{foreign[0].name}', which storygen did not write; "
                         "choose an empty or new folder")
    if not force:
        raise UsageError(f"--out-dir {directory}: the folder holds {len(entries):,} files of an earlier run; "
                         "pass --force to clear them first, or choose an empty or new folder")
    for path in entries:
        try:
            path.unlink()
        except OSError as exc:
            raise StorygenError(f"{path}: cannot remove ({exc.strerror})") from None
