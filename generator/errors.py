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


class ArgumentError(UsageError, ValueError):
    """An argument of the Python API (or its command-line option) has a value that cannot be used.

    The message names the argument in the API's words ("seed must be between ..."); the
    command line reports `option_message`, which names its option instead ("--seed must be
    between ..."). `template` holds "{}" where the name goes; `shown`, if given, is what stands
    there in the API's message ("split='dev'") instead of the bare argument name."""

    def __init__(self, template: str, argument: str, option: str, shown: str = "") -> None:
        super().__init__(template.format(shown or argument))
        self.argument = argument
        self.option_message = template.format(option)
