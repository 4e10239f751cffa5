"""The Python API: its errors are ValueErrors in the API's words, and the types load() takes are exported."""

from __future__ import annotations

import io

import pytest

import generator as package
from generator import ArgumentError, Controls, Culture, StoryGenerator
from generator.load.culture import load_culture


@pytest.mark.parametrize(("call", "argument", "message"), [
    (lambda g: g.write(io.StringIO(), "yaml", 7), "kind",
     "kind: unknown format 'yaml' (known: text, jsonl, json, markdown, csv, conll, docbin)"),
    (lambda g: g.story(-1, 0), "seed", "seed must be between 0 and 9223372036854775807, got -1"),
    (lambda g: g.story(7, -1), "index", "index must be a whole number, at least 0, got -1"),
    (lambda g: list(g.texts(7, 2**63 - 1, 2)), "start + count", "start + count must not exceed 9223372036854775808, got 9223372036854775809"),
    (lambda g: StoryGenerator.load(split="dev"), "split", "split='dev': unknown split (known: train, test)"),
    (lambda g: StoryGenerator.load(profile="loud"), "profile", "profile='loud': unknown profile (known: default, stress)"),
    (lambda g: StoryGenerator.load(controls=Controls(phases=("coda",))), "controls.phases",
     "controls.phases: unknown phase 'coda' (known: origin, struggle, breakthrough, triumph)"),
])
def test_api_errors_are_value_errors_naming_the_argument(generator: StoryGenerator, call: object, argument: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        call(generator)  # type: ignore[operator]
    assert isinstance(caught.value, ArgumentError) and caught.value.argument == argument
    assert str(caught.value) == message
    assert "--" not in str(caught.value)


def test_the_command_line_keeps_its_option_wording(generator: StoryGenerator) -> None:
    with pytest.raises(ArgumentError) as caught:
        StoryGenerator.load(split="dev")
    assert caught.value.option_message == "--split dev: unknown split (known: train, test)"


def test_the_types_load_takes_are_exported() -> None:
    assert {"Controls", "Culture", "ArgumentError"} <= set(package.__all__)
    pack = load_culture("irish")
    assert isinstance(pack, Culture)
    made = StoryGenerator.load(culture=pack, controls=Controls(pronouns="they", max_sentences=12))
    story = made.story(7, 0)
    assert story.pronouns == "they" and len(story.sentences) <= 12
