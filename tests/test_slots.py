"""The slot table is the one home of slot knowledge: a slot added there reaches every path."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest

from generator import StoryGenerator
from generator.load.templates import parse_template
from generator.model import slots
from generator.model.constraints import derive
from generator.model.controls import Controls
from generator.model.grammar import Grammar, SentenceTemplate, SlotType
from generator.sample.controls import parse_settings, settable

TOY = {"label": "GPE", "entity": "birthplace", "source": {"kind": "record", "field": "towns", "key": "name", "draw": "birthplace"},
       "set": "birthplace"}


@pytest.fixture
def toy_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The packaged slot table plus one entry: a 'birthplace' drawn from the culture's towns."""
    raw = json.loads(slots._read_table())
    raw["slots"]["birthplace"] = TOY
    monkeypatch.setattr(slots, "_read_table", lambda: json.dumps(raw))
    slots.slot_table.cache_clear()
    yield
    slots.slot_table.cache_clear()


def _with_birthplace(grammar: Grammar) -> Grammar:
    """The grammar with every '{{ home }}' written as '{{ birthplace }}'."""
    def sentence(s: SentenceTemplate) -> SentenceTemplate:
        template = s.template.replace("{{ home }}", "{{ birthplace }}")
        parts = parse_template(template)
        alternatives = tuple(dataclasses.replace(a, replaces=a.replaces.replace("{{ home }}", "{{ birthplace }}"),
                                                 text=a.text.replace("{{ home }}", "{{ birthplace }}")) for a in s.alternatives)
        return dataclasses.replace(s, template=template, parts=parts, constraints=derive(parts), alternatives=alternatives,
                                   paths=tuple(sentence(p) for p in s.paths))

    units = tuple(dataclasses.replace(u, sentences=tuple(sentence(s) for s in u.sentences)) for u in grammar.units)
    return dataclasses.replace(grammar, units=units, slots={**grammar.slots, "birthplace": SlotType("GPE", "birthplace")})


def test_a_slot_added_to_the_table_reaches_every_path(toy_table: None, generator: StoryGenerator) -> None:
    grammar = _with_birthplace(generator.grammar)
    toy = StoryGenerator(grammar, generator.culture)
    stories = list(toy.stories(7, 0, 200))
    told = [s for s in stories if any(e.slot == "birthplace" for e in s.entities)]
    assert len(told) > 100  # the sampler draws it and the renderer writes it
    assert {s.values["birthplace"] for s in told} <= {t.name for t in generator.culture.towns}
    assert len({s.values["birthplace"] for s in told}) > 5
    for story in told:
        for e in story.entities:
            if e.slot == "birthplace":
                assert (e.label, e.entity, story.text[e.start:e.end]) == ("GPE", "birthplace", story.values["birthplace"])
    # The batched JSON records hold it too, the same as the reference.
    records = [json.loads(line) for line in toy.chunk("jsonl", 7, 0, 50).splitlines()]
    for r, s in zip(records, stories):  # shown where the text tells it
        assert r["slots"].get("birthplace") == (s.values["birthplace"] if "birthplace" in s.told else None)
    assert any("birthplace" in r["slots"] for r in records)
    # --set knows it, with the culture's towns as its values.
    assert settable(generator.culture)["birthplace"] == [t.name for t in generator.culture.towns]
    values, _ = parse_settings(["birthplace=Aktau"], generator.culture)
    fixed = StoryGenerator(grammar, generator.culture, Controls(values))
    assert {s.values["birthplace"] for s in fixed.stories(7, 0, 20)} == {"Aktau"}
