"""A Faker provider for reproducible musician biographies.

Usage::

    from faker import Faker
    from generator.faker_provider import MusicianStoryProvider

    fake = Faker()
    fake.add_provider(MusicianStoryProvider)
    fake.seed_instance(7)
    fake.musician_story()          # the story text
    fake.musician_story_record()   # the JSONL record dict (text, slots, entities, ...)

Each call draws a story seed from the Faker instance's own random
(``self.generator.random``), so ``fake.seed_instance(n)`` makes the sequence of stories
reproducible and two Fakers seeded alike give the same stories. Global random state is
never read or changed.

To use another culture pack, subclass and set ``culture``::

    class BritishStories(MusicianStoryProvider):
        culture = "british"

Nothing else in the ``generator`` package imports this module: Faker is only needed here.
"""

from __future__ import annotations

from typing import Any

from faker.providers import BaseProvider

from .engine import DEFAULT_CULTURE, StoryGenerator
from .formats.registry import record
from .model.story import Story

__all__ = ["MusicianStoryProvider"]


class MusicianStoryProvider(BaseProvider):
    """Faker provider with ``musician_story()`` and ``musician_story_record()``.

    The culture pack is the class attribute ``culture``; the StoryGenerator is loaded lazily,
    once per provider instance, on the first call.
    """

    #: Culture pack name (or .json path) handed to ``StoryGenerator.load``.
    culture: str = DEFAULT_CULTURE

    def __init__(self, generator: Any) -> None:
        super().__init__(generator)
        self._storygen: StoryGenerator | None = None

    def _story_generator(self) -> StoryGenerator:
        """The cached StoryGenerator of this provider instance (loaded on first use)."""
        if self._storygen is None:
            self._storygen = StoryGenerator.load(culture=self.culture)
        return self._storygen

    def _next_story(self) -> Story:
        """The story at index 0 of a seed drawn from the Faker instance's random."""
        seed = self.generator.random.getrandbits(63)
        return self._story_generator().story(seed, 0)

    def musician_story(self) -> str:
        """A musician biography as plain text.

        :sample:
        """
        return self._next_story().text

    def musician_story_record(self) -> dict[str, Any]:
        """A musician biography as the JSONL record dict (id, seed, index, text, slots, entities, ...).

        :sample:
        """
        story = self._next_story()
        storygen = self._story_generator()
        return record(story, storygen.grammar, storygen.provenance(story.seed, story.index, 1))
