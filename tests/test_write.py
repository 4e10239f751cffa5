"""Output formats: every one carries the same stories; annotations are exact and load as data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from generator import StoryGenerator
from generator.formats.conll import conll_tokens
from generator.formats.records import record
from generator.formats.registry import FORMATS
from generator.formats.text import STORY_BREAK
from generator.model.record import cast_layout
from generator.model.templates import slot_keys
from generator.tools.schema import record_schema


def output(generator: StoryGenerator, kind: str, seed: int = 7, count: int = 5) -> str:
    fmt = FORMATS[kind]
    body = generator.chunk(kind, seed, 0, count)
    return generator.header(fmt, seed, 0, count) + body + fmt.footer(count > 0)


def test_every_format_tells_the_same_stories(generator: StoryGenerator) -> None:
    texts = list(generator.texts(7, 0, 5))
    assert output(generator, "text").split(STORY_BREAK) == [t + "\n" for t in texts[:-1]] + [texts[-1] + "\n"]
    assert [json.loads(line)["text"] for line in output(generator, "jsonl").splitlines()] == texts
    assert [r["text"] for r in json.loads(output(generator, "json"))] == texts
    comment, _, rows = output(generator, "csv").partition("\n")
    assert comment.startswith("# storygen {") and [row["text"] for row in csv.DictReader(io.StringIO(rows))] == texts
    front, _, markdown = output(generator, "markdown").partition("\n---\n\n")
    assert front.startswith("---\nstorygen: {")
    assert markdown.startswith("## Story 7-0\n\n" + texts[0] + "\n\n## Story 7-1\n\n")


def test_empty_json_is_an_empty_array(generator: StoryGenerator) -> None:
    assert json.loads(generator.header("json", 0, 0, 0) + FORMATS["json"].footer(False)) == []


def test_schema_validates_real_records(generator: StoryGenerator) -> None:
    schema = record_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for story in generator.stories(4, 0, 300):
        validator.validate(record(story, generator.grammar, generator.provenance()))
    broken = record(generator.story(4, 0), generator.grammar, generator.provenance())
    broken["entities"][0]["label"] = "ANIMAL"
    assert not validator.is_valid(broken)


def test_spans_check_out_over_10000_stories(generator: StoryGenerator) -> None:
    for story in generator.stories(10, 0, 10_000):
        text = story.text
        for e in story.entities:
            assert 0 <= e.start < e.end <= len(text)
            assert text[e.start : e.end].strip() == text[e.start : e.end]
        assert "".join(text[s.start : s.end] for s in story.sentences).replace(" ", "") == \
            text.replace(" ", "").replace("\n", "")


def test_spacy_blank_tokenizer_aligns_every_entity(generator: StoryGenerator) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    for story in generator.stories(12, 0, 1000):
        doc = nlp(story.text)
        for e in story.entities:
            assert doc.char_span(e.start, e.end) is not None, (story.text[e.start - 10 : e.end + 10], e)


def test_csv_and_jsonl_load_in_pandas(generator: StoryGenerator, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    (tmp_path / "s.csv").write_text(output(generator, "csv", count=20))
    (tmp_path / "s.jsonl").write_text(output(generator, "jsonl", count=20))
    frame = pandas.read_csv(tmp_path / "s.csv", skiprows=1)  # the first line says what made the file
    assert list(frame["index"]) == list(range(20)) and frame["text"].str.len().min() > 500
    lines = pandas.read_json(tmp_path / "s.jsonl", lines=True)
    assert list(lines["id"]) == [f"7-{i}" for i in range(20)]


def test_conll_tags_follow_entities(generator: StoryGenerator) -> None:
    story = generator.story(7, 0)
    sentences = conll_tokens(story)
    assert len(sentences) == len(story.sentences)
    tagged = [(t, tag) for s in sentences for t, tag in s]
    first, last = story.values["hero.name"].split(" ", 1)
    assert (first, "B-PERSON") in tagged and (last, "I-PERSON") in tagged
    assert all(tag == "O" or tag[:2] in ("B-", "I-") for _, tag in tagged)
    assert not any(tag.endswith("PRONOUN") for _, tag in tagged)
    text = output(generator, "conll", count=2)
    comment, _, text = text.partition("\n")
    assert comment.startswith("# storygen {")
    assert text.startswith("-DOCSTART-\tO\n\n") and text.count("-DOCSTART-") == 2
    assert all(len(line.split("\t")) == 2 for line in text.splitlines() if line)


def test_slots_and_cast_hold_only_what_the_text_tells(generator: StoryGenerator) -> None:
    records = [json.loads(line) for line in generator.chunk("jsonl", 7, 0, 1000).splitlines()]
    for story, plan, rec in zip(generator.stories(7, 0, 1000), generator.plans(7, 0, 1000), records):
        mentioned = {e.slot for e in story.entities}
        # The slots of the sentences as told: each unit through the variant the story took.
        named = {key for unit in plan.units for s in unit.sentences for key in slot_keys(s.parts)}
        assert set(rec["slots"]) == named  # every slot a sentence names, and no other
        assert mentioned <= set(rec["slots"])
        for key, value in rec["slots"].items():
            assert value == (int(story.values[key]) if key == "hero.age" else story.values[key])
            spans = [story.text[e.start:e.end].casefold() for e in story.entities if e.slot == key]
            assert not spans or any(span in str(value).casefold() for span in spans)  # filters may cap or drop 'the'
        for role, facts in rec["cast"].items():
            assert facts and all(rec["slots"][key] == facts[fact] for fact, key in cast_layout(rec["slots"])[role])
        hero = rec["cast"].get("hero", {})
        assert ("age" in hero) == ("hero.age" in named) and isinstance(hero.get("age", 0), int)
        assert ("mentor" in rec["cast"]) == ("mentor.name" in named)
    # Story 7-0 draws a city abroad, a competition and a mentor, and tells none of them.
    first = records[0]
    assert not {"abroad.city", "competition", "mentor.name", "hero.age"} & set(first["slots"]) and "mentor" not in first["cast"]
    told_city = sum("abroad.city" in r["slots"] for r in records)
    assert told_city == sum("abroad.city" in {e["slot"] for e in r["entities"]} for r in records) < 500
    # A CSV column is empty where the story does not tell its slot.
    rows = list(csv.DictReader(io.StringIO(output(generator, "csv", count=50).partition("\n")[2])))
    assert [row["abroad.city"] != "" for row in rows] == ["abroad.city" in r["slots"] for r in records[:50]]


def test_conll_tokenizes_as_the_readme_says() -> None:
    """The rule in the README's Formats section, on the cases where it parts from spaCy's tokenizer."""
    from generator.formats.conll import tokenize

    text = "Mrs. D'Arcy's well-known, 25-year-old friend can't stay; Zoë's \"Steppe Songs\" (2019) won't... they'd go."
    assert tokenize(text) == [
        "Mrs", ".", "D", "'", "Arcy", "'s", "well-known", ",", "25-year-old", "friend", "ca", "n't", "stay", ";",
        "Zoë", "'s", '"', "Steppe", "Songs", '"', "(", "2019", ")", "wo", "n't", ".", ".", ".", "they", "'d", "go", ".",
    ]
    assert tokenize("Saint-Jean-de-Luz, O'Brien", 0, 17) == ["Saint-Jean-de-Luz"]
