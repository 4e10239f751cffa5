"""Read seed stories: one UTF-8 story per `.txt` file, paragraphs split by blank lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SeedError


@dataclass(frozen=True)
class Seed:
    """One seed story as it was read: its file name and its exact text."""

    name: str
    text: str


def decode_utf8(data: bytes, where: str) -> str:
    """Decode UTF-8 or raise a SeedError naming the first bad byte and its offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise SeedError(f"{where}: not UTF-8 text (byte 0x{bad:02x} at offset {exc.start})") from None


def read_seed(path: Path) -> Seed:
    """Read one seed file, rejecting binary, non-UTF-8 and empty files."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"{path}: cannot read ({exc.strerror})") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise SeedError(f"{path}: binary file (NUL byte at offset {nul})")
    text = decode_utf8(data, str(path))
    if text.startswith("\ufeff"):
        text = text[1:]
    # One line-ending convention, so offsets and the round trip mean the same on every platform.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SeedError(f"{path}: empty file (expected a story of one or more paragraphs)")
    return Seed(name=path.name, text=text)


def read_seeds(directory: Path) -> list[Seed]:
    """Read every `*.txt` file in a directory, in file-name order."""
    if not directory.exists():
        raise SeedError(f"{directory}: no such directory")
    if not directory.is_dir():
        raise SeedError(f"{directory}: not a directory (expected a folder of .txt seed stories)")
    paths = sorted(p for p in directory.iterdir() if p.suffix == ".txt" and p.is_file())
    if not paths:
        raise SeedError(f"{directory}: no .txt files (expected one seed story per .txt file)")
    return [read_seed(p) for p in paths]
