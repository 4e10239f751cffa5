"""Templates: Jinja2 parsing in the sandbox, lowering to parts, filters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import StoryGenerator
from generator.errors import GrammarError
from generator.load.templates import escape_literal, jinja_render, parse_simple, parse_template, parse_with_jinja
from generator.model.english import indefinite_article
from generator.model.templates import Slot, masked


@pytest.mark.parametrize(
    ("word", "article"),
    [("25", "a"), ("18", "an"), ("8", "an"), ("80", "an"), ("11", "an"), ("110", "a"), ("oud", "an"),
     ("violinist", "a"), ("unique", "a"), ("hour", "an"), ("accordionist", "an"), ("one", "a")],
)
def test_indefinite_article(word: str, article: str) -> None:
    assert indefinite_article(word) == article


def test_parse_lowers_text_and_slots() -> None:
    parts = parse_template("{{ hero.they|cap }} was {{ hero.age|a }}-year-old from {{ home }}.")
    assert parts == (Slot("hero.they", ("cap",)), " was ", Slot("hero.age", ("a",)), "-year-old from ",
                     Slot("home"), ".")


def test_masked_reads_a_verbs_ending_as_its_plain_form() -> None:
    """'fix{{ hero.es }}' reads 'fix', so a rule that compares words ("fixes its buttons with
    hairpins" twice in a story) sees the same word the story will print; other slots are `_`."""
    parts = parse_template("{{ hero.they|cap }} still fix{{ hero.es }} it, stud{{ hero.ies }} and play{{ hero.s }} in {{ home }}.")
    assert masked(parts) == "_ still fix it, study and play in _."


def test_lowered_render_matches_jinja() -> None:
    source = "{{ hero.age|a|cap }}-year-old {{ hero.they }} and {{ '{{' }} literal"
    values = {"hero.age": "18", "hero.they": "she"}
    parts = parse_template(source)
    from generator.model.templates import apply_filters

    lowered = "".join(p if isinstance(p, str) else apply_filters(values[p.key], p.filters) for p in parts)
    assert lowered == jinja_render(source, values) == "An 18-year-old she and {{ literal"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "only slot names"),
        ("{% include 'x' %}", "'include' blocks are not allowed"),
        ("{% import 'x' as y %}", "'import' blocks are not allowed"),
        ("{% for x in y %}{{ x }}{% endfor %}", "'for' blocks are not allowed"),
        ("{{ home|upper }}", "unknown filter 'upper' (known: a, bare, cap)"),
        ("{{ home(1) }}", "only slot names"),
        ("{{ home ", "template syntax error"),
    ],
)
def test_unsafe_or_unsupported_templates_are_rejected(source: str, message: str) -> None:
    with pytest.raises(GrammarError, match=r"^t1: .*" + __import__("re").escape(message)):
        parse_template(source, "t1")


def test_escape_literal_round_trips_braces() -> None:
    text = "a {b} and {{c}} and {% d %}"
    parts = parse_template(escape_literal(text))
    assert parts == (text,)


_FRAGMENTS = st.sampled_from([
    "a", " ", "The ", ".", "'s", "\n", "\r\n", "}}", "{", "}", "{{ hero.name }}", "{{hero.they|cap}}", "{{ home | a }}",
    "{{ x.y|bare|cap }}", "{{ true }}", "{{ if }}", "{{ name|upper }}", "{{- x }}", "{{ x -}}", "{% raw %}", "{# c #}",
    "{{ 'q' }}", "{{ x[0] }}", "{{ x }", "{{", "é", "–",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=8).map("".join))
def test_simple_parse_agrees_with_jinja(source: str) -> None:
    """The fast path reads a template exactly as Jinja2 does, or leaves it to Jinja2."""
    simple = parse_simple(source)
    if simple is not None:
        assert simple == parse_with_jinja(source)


def test_every_packaged_template_takes_the_simple_path(generator: StoryGenerator) -> None:
    for unit in generator.grammar.units:
        for sentence in unit.sentences:
            assert parse_simple(sentence.template) == parse_with_jinja(sentence.template) is not None
