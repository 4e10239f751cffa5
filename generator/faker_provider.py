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

Another culture pack (``storygen cultures`` lists them; a .json path works too) is chosen per
call, or for every call by a subclass::

    fake.musician_story(culture="irish")

    class IrishStories(MusicianStoryProvider):
        culture = "irish"

    fake.add_provider(IrishStories)

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
        self._storygen: dict[str, StoryGenerator] = {}

    def _story_generator(self, culture: str | None) -> StoryGenerator:
        """This provider instance's StoryGenerator for a culture pack (loaded on first use)."""
        name = culture or self.culture
        if name not in self._storygen:
            self._storygen[name] = StoryGenerator.load(culture=name)
        return self._storygen[name]

    def _next_story(self, storygen: StoryGenerator) -> Story:
        """The story at index 0 of a seed drawn from the Faker instance's random."""
        seed = self.generator.random.getrandbits(63)
        return storygen.story(seed, 0)

    def musician_story(self, culture: str | None = None) -> str:
        """A musician biography as plain text; `culture`: a culture pack (default: the class's).

        :sample:
        :sample: culture='irish'
        """
        return self._next_story(self._story_generator(culture)).text

    def musician_story_record(self, culture: str | None = None) -> dict[str, Any]:
        """A musician biography as the JSONL record dict (id, seed, index, text, slots, entities, ...);
        `culture`: a culture pack (default: the class's).

        :sample:
        """
        storygen = self._story_generator(culture)
        story = self._next_story(storygen)
        return record(story, storygen.grammar, storygen.provenance(story.seed, story.index, 1))
