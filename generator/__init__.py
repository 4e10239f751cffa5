"""storygen: learn slot grammars from musician biographies and sample reproducible stories."""

from __future__ import annotations

__version__ = "0.1.0"

from .engine import StoryGenerator
from .errors import GrammarError, SeedError, StorygenError, UsageError
from .model.story import Story

__all__ = ["GrammarError", "SeedError", "Story", "StoryGenerator", "StorygenError", "UsageError", "__version__"]
