"""storygen: learn slot grammars from musician biographies and sample reproducible stories."""

from __future__ import annotations

__version__ = "0.1.0"

from .engine import StoryGenerator
from .errors import ArgumentError, GrammarError, SeedError, StorygenError, UsageError
from .model.controls import Controls
from .model.culture import Culture
from .model.story import Story

# What StoryGenerator.load takes (Controls, a Culture pack or its name) is exported with it.
__all__ = ["ArgumentError", "Controls", "Culture", "GrammarError", "SeedError", "Story", "StoryGenerator", "StorygenError",
           "UsageError", "__version__"]
