"""The batched renderer (text, JSONL and JSON made a batch at a time) against the reference path:
`render_story` for the text and spans, `formats.records.record` + `json.dumps` for the records."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest

from generator import StoryGenerator
from generator.cli.progress import Progress
from generator.engine import byte_sink
from generator.formats.base import BatchedFormat
from generator.formats.registry import FORMATS
from generator.formats.text import STORY_BREAK
from generator.model.controls import Controls
from generator.model.templates import Slot
from generator.sample import slot_values
from generator.sample.sampler import BATCH_SIZE


def reference(generator: StoryGenerator, kind: str, seed: int, start: int, count: int, first: bool = True) -> str:
    fmt = FORMATS[kind]
    stories = generator.stories(seed, start, count)
    return "".join(fmt.chunk(s, generator.grammar, generator.provenance(seed, start, count), first and i == 0) for i, s in enumerate(stories))


BATCHED = [name for name, fmt in FORMATS.items() if isinstance(fmt, BatchedFormat)]


def test_text_jsonl_and_json_are_made_a_batch_at_a_time() -> None:
    assert BATCHED == ["text", "jsonl", "json"]


def assert_same_output(generator: StoryGenerator, seed: int = 3, start: int = BATCH_SIZE - 40, count: int = 80) -> None:
    """Every batched format against its per-story chunk: across a batch boundary, as the opening
    chunk and as a later one."""
    for kind in BATCHED:
        for first in (True, False):
            assert generator.chunk(kind, seed, start, count, first) == reference(generator, kind, seed, start, count, first), (kind, first)
    texts = list(generator.texts(seed, start, count))
    assert texts == [s.text for s in generator.stories(seed, start, count)]


@pytest.mark.parametrize("load", [
    {},
    {"profile": "stress"},
    {"culture": "georgian"},
    {"controls": Controls(max_sentences=5)},
    {"controls": Controls(min_sentences=8, max_sentences=20)},
    {"controls": Controls(pronouns="they", phases=("origin", "triumph"))},
    {"controls": Controls(values={"hero.name": "Zoë O'Brien-Nurlan", "hero.first": "Zoë", "hero.age": "18"})},
])
def test_batched_output_equals_the_reference(load: dict) -> None:  # type: ignore[type-arg]
    assert_same_output(StoryGenerator.load(**load))


def test_batched_output_when_full_names_are_not_listed_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slot_values, "MAX_FULL_NAMES", 0)
    generator = StoryGenerator.load()
    assert generator.sampler.slot_values.full_names is None
    assert_same_output(generator)


def test_batched_output_when_a_pronoun_set_lacks_a_form_the_cast_shows(generator: StoryGenerator) -> None:
    """A set may lack a form no template uses; the cast never shows it, as no story tells it."""
    g = generator.grammar
    uses_them = {u.id for u in g.units for s in u.sentences for path in (s, *s.paths) for p in path.parts
                 if isinstance(p, Slot) and p.key.endswith(".them")}
    units = tuple(u for u in g.units if u.id not in uses_them and not set(u.requires) & uses_them)
    sets = {key: {f: w for f, w in forms.items() if not (key == "he" and f == "them")} for key, forms in g.pronoun_sets.items()}
    lacking = StoryGenerator(replace(g, units=units, pronoun_sets=sets), generator.culture)
    records = [json.loads(line) for line in lacking.chunk("jsonl", 5, 0, 200).splitlines()]
    assert all("pronoun_object" not in r["cast"].get("hero", {}) for r in records)
    assert any("pronoun_subject" in r["cast"].get("hero", {}) for r in records)
    assert_same_output(lacking, 5, 0, 200)


def test_offsets_past_the_number_table(generator: StoryGenerator) -> None:
    """Offsets are written by table lookup; a story longer than the table grows it."""
    generator.record_renderer.numbers = type(generator.record_renderer.numbers)(16)
    assert_same_output(generator, 8, 0, 30)


def test_write_sends_bytes_to_binary_and_utf8_files(generator: StoryGenerator) -> None:
    expected = generator.header("json", 7, 0, 30) + generator.chunk("json", 7, 0, 30) + FORMATS["json"].footer(True)
    binary = io.BytesIO()
    generator.write(binary, "json", 7, 0, 30)
    assert binary.getvalue() == expected.encode("utf-8")
    # A text file: what was written as text before stays before the bytes.
    text_file = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")
    text_file.write("before\n")
    generator.write(text_file, "json", 7, 0, 30)
    text_file.write("after\n")
    text_file.flush()
    assert text_file.buffer.getvalue() == ("before\n" + expected + "after\n").encode("utf-8")  # type: ignore[attr-defined]


def test_write_encodes_through_other_text_files(generator: StoryGenerator) -> None:
    expected = generator.chunk("text", 7, 0, 5)
    utf16 = io.TextIOWrapper(io.BytesIO(), encoding="utf-16")
    assert byte_sink(utf16) is None
    generator.write(utf16, "text", 7, 0, 5)
    utf16.flush()
    assert utf16.buffer.getvalue().decode("utf-16") == expected  # type: ignore[attr-defined]
    plain = io.StringIO()
    generator.write(plain, "markdown", 7, 0, 5)
    assert plain.getvalue() == generator.header("markdown", 7, 0, 5) + generator.chunk("markdown", 7, 0, 5)


def test_text_chunks_join_with_the_story_break(generator: StoryGenerator) -> None:
    texts = list(generator.texts(4, 0, 3))
    assert generator.chunk("text", 4, 0, 3) == texts[0] + "\n" + STORY_BREAK + texts[1] + "\n" + STORY_BREAK + texts[2] + "\n"
    assert generator.chunk("text", 4, 0, 1, first=False) == STORY_BREAK + texts[0] + "\n"
    assert generator.chunk("text", 4, 0, 0) == "" and generator.chunk("jsonl", 4, 0, 0) == ""


def test_progress_line_and_its_end() -> None:
    now = [0.0]
    stream = io.StringIO()
    bar = Progress(1000, stream, interval=1.0, clock=lambda: now[0])
    now[0] = 2.0
    bar(250)
    now[0] = 2.5
    bar(250)  # within the interval: not redrawn
    now[0] = 4.0
    bar(500)
    bar.close(finished=True)
    lines = stream.getvalue().split("\r")[1:]
    assert lines == [
        "[######------------------]  25%  250/1,000 stories  125/s  ETA 0:06\x1b[K",
        "[########################] 100%  1,000/1,000 stories  250/s  in 0:04\x1b[K\n",
    ]


def test_unfinished_progress_is_erased() -> None:
    stream = io.StringIO()
    bar = Progress(10, stream, clock=lambda: 1.0)
    bar(3)
    bar.close(finished=False)
    assert stream.getvalue().endswith("\r\x1b[K")
    quiet = io.StringIO()
    Progress(10, quiet).close(finished=True)  # never drawn: nothing to end
    assert quiet.getvalue() == ""


def test_output_does_not_depend_on_which_slots_are_folded(generator: StoryGenerator) -> None:
    """Folding the text after a slot into the slot's piece is an optimisation only."""
    from generator.render.batch import BatchRenderer

    unfolded = StoryGenerator(generator.grammar, generator.culture)
    unfolded.__dict__["batch_renderer"] = BatchRenderer(generator.sampler.told, generator.sampler.option_tables(), fold=False)
    assert len(unfolded.batch_renderer.literals) > len(generator.batch_renderer.literals)
    for kind in ("text", "jsonl"):
        assert unfolded.chunk(kind, 6, 0, 50) == generator.chunk(kind, 6, 0, 50)
