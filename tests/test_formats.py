"""The format registry and the record layout: a format is one registration, a record field one layout entry."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from generator import StoryGenerator
from generator.cli.app import app, main, resolve_format
from generator.formats import registry
from generator.formats.base import Format
from generator.formats.records import record
from generator.model.grammar import Grammar
from generator.model.record import RECORD, Field, cast_layout
from generator.model.slots import slot_table
from generator.model.story import Story
from generator.render import records as record_renderer
from generator.tools.schema import record_schema
from generator.tools.verify import verify


class Toy(Format):
    """One line per story: its id and its hero."""

    name = "toy"
    extensions = (".toy",)

    def chunk(self, story: Story, grammar: Grammar, culture: str, first: bool) -> str:
        return f"{story.id}\t{story.values['hero.name']}\n"

    def count(self, content: str) -> int:
        return content.count("\n")


@pytest.fixture
def toy() -> Iterator[Toy]:
    fmt = registry.register(Toy())
    yield fmt
    del registry.FORMATS[fmt.name]


def test_a_registered_format_is_written_inferred_listed_and_verified(
        toy: Toy, generator: StoryGenerator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    generator.write(out, "toy", 7, 0, 3)
    names = [s.values["hero.name"] for s in generator.stories(7, 0, 3)]
    assert out.getvalue() == "".join(f"7-{i}\t{name}\n" for i, name in enumerate(names))
    assert resolve_format(None, Path("stories.toy")) == "toy" and resolve_format("toy", None) == "toy"
    main(["--count", "3", "--seed", "7", "-o", str(tmp_path / "stories.toy")])
    assert (tmp_path / "stories.toy").read_text("utf-8") == out.getvalue()
    assert verify(out.getvalue(), "toy", generator, seed=7).identical
    with contextlib.suppress(SystemExit):
        main(["--help"])
    assert "Output format: text, jsonl, json, markdown, csv, conll, docbin or toy " in " ".join(capsys.readouterr().out.split())
    option = next(p for p in typer.main.get_command(app).params if p.name == "fmt")
    assert "or toy" in (option.help or "")


def test_unknown_formats_and_extensions_name_the_known_ones(toy: Toy) -> None:
    from generator.errors import UsageError

    with pytest.raises(UsageError, match=r"^--format: unknown format 'xml' \(known: text, jsonl, json, markdown, csv, conll, docbin, toy\)$"):
        resolve_format("xml", None)
    with pytest.raises(UsageError, match=r"\(known: \.txt, \.jsonl, \.json, \.md, \.csv, \.conll, \.spacy, \.toy; or pass --format\)$"):
        resolve_format(None, Path("out.xml"))


def test_a_name_or_an_extension_belongs_to_one_format(toy: Toy) -> None:
    with pytest.raises(ValueError, match="a format named 'toy' is already registered"):
        registry.register(Toy())

    class Other(Toy):
        name = "other"
        extensions = (".other", ".txt")

    with pytest.raises(ValueError, match=r"format 'other': extension '\.txt' is already another format's"):
        registry.register(Other())
    assert "other" not in registry.FORMATS


def test_a_record_and_its_objects_follow_the_layout(generator: StoryGenerator) -> None:
    rec = record(generator.story(7, 3), generator.grammar, "kazakh")
    assert list(rec) == [f.name for f in RECORD]
    for field in RECORD:
        if field.fields and isinstance(rec[field.name], list):
            assert all(list(item) == [f.name for f in field.fields] for item in rec[field.name]), field.name
    assert list(rec["meta"]) == [f.name for f in next(f for f in RECORD if f.name == "meta").fields]


def test_the_assembler_checks_it_writes_the_layouts_fields_in_order(generator: StoryGenerator,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    swapped = (RECORD[1], RECORD[0], *RECORD[2:])
    monkeypatch.setattr(record_renderer, "RECORD", swapped)
    with pytest.raises(RuntimeError, match=r"writes record field 'id' where the record layout \(model/record.py\) has 'seed'"):
        record_renderer.RecordRenderer(generator.batch_renderer)
    monkeypatch.setattr(record_renderer, "RECORD", (*RECORD, Field("extra", {"type": "string"})))
    with pytest.raises(RuntimeError, match="leaves out record field 'extra'"):
        record_renderer.RecordRenderer(generator.batch_renderer)


def test_schema_is_the_layout() -> None:
    schema = record_schema()
    assert list(schema["properties"]) == [f.name for f in RECORD]
    entity = schema["properties"]["entities"]["items"]
    assert entity["properties"]["label"]["enum"] == list(slot_table().labels)
    assert entity["required"] == sorted(entity["properties"])
    assert all(value.get("description") for value in schema["properties"].values())
    assert all(value.get("description") for value in entity["properties"].values())


def test_the_cast_is_the_slot_tables(generator: StoryGenerator) -> None:
    keys = [*generator.grammar.slots, "scout.them", "scout.their"]
    assert cast_layout(keys) == {
        "hero": [("age", "hero.age"), ("first", "hero.first"), ("name", "hero.name"), ("pronoun_possessive", "hero.their"),
                 ("pronoun_object", "hero.them"), ("pronoun_subject", "hero.they")],
        "mentor": [("name", "mentor.name")],
        "scout": [("pronoun_subject", "scout.they"), ("pronoun_object", "scout.them"), ("pronoun_possessive", "scout.their")],
    }


def test_text_output_loads_no_record_code() -> None:
    code = ("import sys, io, contextlib; from generator.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--count', '3'])\n"
            "print(sorted(m for m in ('generator.model.record', 'generator.render.records') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.replace("'", '"')) == []
