"""Rendering: spans index the text exactly, the fast path equals Jinja2, seeds round-trip."""

from __future__ import annotations

import pytest

from generator import StoryGenerator
from generator.load.templates import jinja_render
from generator.render.reference import fill, render_seed, render_story


def test_text_path_equals_annotated_path(generator: StoryGenerator) -> None:
    texts = list(generator.texts(7, 0, 3000))  # more than one batch
    assert texts == [render_story(plan, generator.program).text for plan in generator.plans(7, 0, 3000)]


def test_every_span_matches_its_text(generator: StoryGenerator) -> None:
    for story in generator.stories(2, 0, 1000):
        text = story.text
        for e in story.entities:
            mention = text[e.start : e.end]
            value = story.values[e.slot]
            # Exactly the value, give or take a capital first letter or a dropped leading "the ".
            assert mention in (value, value[:1].upper() + value[1:], value.removeprefix("the ")), (e, mention)
        for s in story.sentences:
            assert text[s.start : s.end].strip() == text[s.start : s.end]
        assert story.phases[0].start == 0 and story.phases[-1].end == len(text)
        assert [p.phase for p in story.phases] == list(dict.fromkeys(p.phase for p in story.phases))


def test_age_span_excludes_the_article(generator: StoryGenerator) -> None:
    story = next(s for s in generator.stories(7, 0, 200) if any(e.slot == "hero.age" for e in s.entities))
    age = next(e for e in story.entities if e.slot == "hero.age")
    assert story.text[age.start : age.end].isdigit()
    assert story.text[age.start - 3 : age.start] in ("an ", " a ", "An ") or story.text[age.start - 2 : age.start] in ("a ", "A ")


def test_pronoun_mentions_share_the_hero_entity(generator: StoryGenerator) -> None:
    story = generator.story(7, 3)
    ids = {e.entity for e in story.entities if e.label in ("PERSON", "PRONOUN") and e.slot.startswith("hero.")}
    assert ids == {"hero"}


def test_fast_renderer_matches_jinja2_for_every_template(generator: StoryGenerator) -> None:
    plan = generator.sampler.plan(7, 0)
    for unit in generator.grammar.units:
        for sentence in unit.sentences:
            fast = "".join(p if isinstance(p, str) else fill(p, plan.values)[0] for p in sentence.parts)
            assert fast == jinja_render(sentence.template, plan.values), sentence.id


@pytest.mark.parametrize("index", range(5))
def test_round_trip_regenerates_each_seed_exactly(generator: StoryGenerator, root, index: int) -> None:  # type: ignore[no-untyped-def]
    record = generator.grammar.seeds[index]
    original = (root / "seeds" / record.file).read_text("utf-8")
    assert render_seed(generator.grammar, record.file) == original
