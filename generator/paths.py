"""Where packaged data lives, in a wheel and in a source checkout alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    """The grammars folder: inside the installed package, or beside it in a checkout."""
    installed = _PACKAGE / "grammars"
    return installed if installed.is_dir() else _PACKAGE.parent / "grammars"


def default_grammar() -> Path:
    """The packaged musician grammar."""
    return data_root() / "musician.json"


def seed_dir() -> Path:
    """The seed stories the packaged grammar was learned from (for `storygen explain`)."""
    installed = _PACKAGE / "seeds"
    return installed if installed.is_dir() else _PACKAGE.parent / "seeds"
