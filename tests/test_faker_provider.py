"""The Faker provider: reproducible through seed_instance, independent of global random state."""

from __future__ import annotations

import random

from faker import Faker

from generator import StoryGenerator
from generator.faker_provider import MusicianStoryProvider

RECORD_KEYS = {"id", "seed", "index", "text", "pronouns", "arc", "cast", "slots", "entities", "sentences",
               "phases", "meta"}


def make_faker(seed: int | None = None) -> Faker:
    fake = Faker()
    fake.add_provider(MusicianStoryProvider)
    if seed is not None:
        fake.seed_instance(seed)
    return fake


def test_same_seed_same_stories() -> None:
    fake = make_faker(7)
    first = [fake.musician_story() for _ in range(3)]
    fake.seed_instance(7)
    assert [fake.musician_story() for _ in range(3)] == first
    assert len(set(first)) == 3


def test_different_seed_different_stories() -> None:
    assert make_faker(7).musician_story() != make_faker(8).musician_story()


def test_two_fakers_seeded_alike() -> None:
    a, b = make_faker(42), make_faker(42)
    assert [a.musician_story() for _ in range(2)] == [b.musician_story() for _ in range(2)]
    assert a.musician_story_record() == b.musician_story_record()


def test_record_keys_and_text() -> None:
    rec = make_faker(3).musician_story_record()
    assert set(rec) == RECORD_KEYS
    assert rec["meta"]["culture"] == "kazakh"
    assert rec["index"] == 0
    assert 0 <= rec["seed"] < 2**63
    assert rec["text"] == make_faker(3).musician_story()
    assert rec["text"] == StoryGenerator.load().story(rec["seed"], 0).text


def test_no_global_random_state() -> None:
    fake = make_faker(11)
    expected = [fake.musician_story() for _ in range(3)]
    fake.seed_instance(11)
    state = random.getstate()
    got = []
    for i in range(3):
        random.seed(i + 1)
        got.append(fake.musician_story())
    assert got == expected
    random.seed(1)
    before = random.getstate()
    make_faker(5).musician_story()
    assert random.getstate() == before
    random.setstate(state)


def test_generator_loaded_lazily_once() -> None:
    fake = make_faker(1)
    provider = next(p for p in fake.providers if isinstance(p, MusicianStoryProvider))
    assert provider._storygen == {}
    fake.musician_story()
    loaded = provider._storygen["kazakh"]
    fake.musician_story_record()
    assert provider._storygen == {"kazakh": loaded}


def test_culture_class_attribute() -> None:
    class IrishStories(MusicianStoryProvider):
        culture = "irish"

    fake = Faker()
    fake.add_provider(IrishStories)
    fake.seed_instance(2)
    rec = fake.musician_story_record()
    assert rec["meta"]["culture"] == "irish"
    assert rec["text"] == StoryGenerator.load(culture="irish").story(rec["seed"], 0).text


def test_culture_per_call() -> None:
    fake = make_faker(2)
    rec = fake.musician_story_record(culture="georgian")
    assert rec["meta"]["culture"] == "georgian"
    assert rec["text"] == StoryGenerator.load(culture="georgian").story(rec["seed"], 0).text
    again = make_faker(2)
    assert again.musician_story(culture="georgian") == rec["text"]


def test_the_module_docstring_examples_run() -> None:
    import textwrap

    import generator.faker_provider as module

    blocks = []
    for block in (module.__doc__ or "").split("::\n")[1:]:  # each literal block: the indented lines after '::'
        lines = []
        for line in block.split("\n"):
            if line.strip() and not line.startswith("    "):
                break
            lines.append(line)
        blocks.append(textwrap.dedent("\n".join(lines)))
    code = "\n".join(blocks)
    assert "culture=" in code and "class IrishStories" in code
    exec(compile(code, "generator/faker_provider.py", "exec"), {})
