"""Domain exceptions: library code raises these, the CLI turns them into one-line messages."""

from __future__ import annotations


class StorygenError(Exception):
    """Base class for every error a user can cause."""

    exit_code = 1


class SeedError(StorygenError):
    """A seed story cannot be read or learned from."""


class GrammarError(StorygenError):
    """A grammar or culture file is malformed or inconsistent."""


class UsageError(StorygenError):
    """An option or argument has a value the command cannot use."""

    exit_code = 2
