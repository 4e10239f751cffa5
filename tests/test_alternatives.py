"""Phrase-level alternatives: learned by aligning seed sentences, kept as reviewable data, drawn
from a decision of their own, and measured by `storygen stats`."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from reference_sampler import ReferenceSampler

from generator.engine import StoryGenerator
from generator.learn.induce import learn
from generator.lint import check_grammar_text
from generator.load import grammar as grammar_io
from generator.load.alternatives import with_paths
from generator.load.seeds import read_seeds
from generator.model.alternatives import Alternative, opener_of, sampled_variants, sentence_texts, taken, told_units, unit_variants
from generator.model.grammar import Grammar
from generator.model.templates import slot_keys
from generator.tools.explain import explain
from generator.tools.shapes import ShapeCount, seed_shapes
from generator.tools.stats import measure

ROOT = Path(__file__).resolve().parent.parent
MUSICIAN = ROOT / "grammars" / "musician.json"
CORPORA = sorted((ROOT / "tests" / "data" / "corpora").iterdir())


def _facts(keys: list[str]) -> set[str]:
    return {k for k in keys if not k.startswith("hero.")}


@pytest.fixture(scope="module")
def shapes(generator: StoryGenerator) -> ShapeCount:
    count = ShapeCount(generator.grammar)
    for story in generator.stories(7, 0, 1000):
        count.add(story)
    return count


# --- the grammar file ---------------------------------------------------------------------------


def test_each_alternative_is_one_line_with_its_provenance() -> None:
    lines = [line for line in MUSICIAN.read_text("utf-8").splitlines() if '"replaces"' in line]
    ids = {s["id"] for u in json.loads(MUSICIAN.read_text("utf-8"))["units"] for s in u["sentences"]}
    assert len(lines) >= 180  # the packaged grammar has 200
    for line in lines:
        alt = json.loads(line.strip().rstrip(","))
        assert list(alt) == ["replaces", "with", "from"], line
        assert alt["from"] and set(alt["from"]) <= ids, line


def test_every_sentence_is_told_through_its_paths_the_seeds_first(generator: StoryGenerator) -> None:
    with_alternatives = [s for u in generator.grammar.units for s in u.sentences if s.alternatives]
    assert len(with_alternatives) >= 60
    for sentence in with_alternatives:
        texts = sentence_texts(sentence)
        assert texts[0] == sentence.template and len(set(texts)) == len(texts) == len(sentence.paths) > 1
        assert [p.template for p in sentence.paths] == texts
        assert all(p.id == sentence.id and p.source == sentence.source for p in sentence.paths)


def test_no_alternative_brings_a_fact_its_unit_lacks_or_a_name(generator: StoryGenerator) -> None:
    """Places, titles and other characters are the unit's own on every path; no capitalised
    word (a name no slot took) or number comes in from another sentence."""
    for unit in generator.grammar.units:
        facts = _facts([k for s in unit.sentences for k in slot_keys(s.parts)])
        for sentence in unit.sentences:
            for alt in sentence.alternatives:
                assert _facts(re.findall(r"\{\{\s*([\w.]+)", alt.text)) <= facts, (sentence.id, alt)
                inner = re.sub(r"\{\{.*?\}\}", "", alt.text)
                words = re.findall(r"[^\W\d_][\w'-]*", inner)[1:] if sentence.template.startswith(alt.replaces) \
                    else re.findall(r"[^\W\d_][\w'-]*", inner)
                assert all(w[0].islower() or w in alt.replaces for w in words), (sentence.id, alt)
                assert not re.search(r"\d", inner), (sentence.id, alt)


def test_variants_take_every_path_equally_often(generator: StoryGenerator) -> None:
    for unit in generator.grammar.units:
        variants = unit_variants(unit)
        assert variants[0] == unit and all(v.id == unit.id for v in variants)
        for k, sentence in enumerate(unit.sentences):
            counts = [sum(v.sentences[k].template == text for v in variants) for text in sentence_texts(sentence)]
            assert min(counts) >= 1 and max(counts) - min(counts) <= 1, (sentence.id, counts)


def test_an_alternative_that_cannot_be_reached_is_reported_with_its_line() -> None:
    data = json.loads(MUSICIAN.read_text("utf-8"))
    sentence = next(s for u in data["units"] for s in u["sentences"] if s.get("alternatives"))
    sentence["alternatives"].append({"replaces": "no such words", "with": "other words", "from": [sentence["id"]]})
    text = grammar_io.to_json(grammar_io.loads(json.dumps(data), "g.json"))
    problems, capacity = check_grammar_text(text, "g.json")
    wrong = [str(p) for p in problems]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "no such words" in row)
    assert len(wrong) == 1 and wrong[0].startswith(f"g.json:{line}: $.units[") and wrong[0].endswith(
        "warning: alternative for 'no such words' cannot be reached: its span is not in the template")
    assert capacity is not None and any(size.sentence == sentence["id"] for size in capacity.lattices)


def test_an_alternative_with_an_unknown_slot_stops_loading_in_one_line() -> None:
    data = json.loads(MUSICIAN.read_text("utf-8"))
    sentence = next(s for u in data["units"] for s in u["sentences"] if s.get("alternatives"))
    sentence["alternatives"][0]["with"] = "{{ hero.nmae }}"
    with pytest.raises(Exception) as caught:
        grammar_io.loads(json.dumps(data, indent=1), "g.json")
    assert "g.json" in str(caught.value) and "unknown slot 'hero.nmae'" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_alternative_needs_its_pronoun_forms_in_every_set() -> None:
    """An alternative is told like its template, so each pronoun form it uses must be in every set."""
    data = json.loads(MUSICIAN.read_text("utf-8"))
    del data["pronouns"]["he"]["forms"]["them"]
    data["units"] = [u for u in data["units"] if not any("hero.them" in s["template"] for s in u["sentences"])]
    k, u = next((k, u) for k, u in enumerate(data["units"]) if u["sentences"][0].get("alternatives"))
    u["sentences"][0]["alternatives"][0]["with"] += " {{ hero.them }}"
    problems, _ = check_grammar_text(json.dumps(data, indent=1), "g.json")
    assert [(p.severity, p.location.split(": ", 1)[1], p.message) for p in problems] == [
        ("error", f"$.units[{k}].sentences[0].alternatives[0].with",
         "slot 'hero.them' needs the form 'them' in every pronoun set with a positive weight, but 'he' has none")]


def test_check_reports_each_lattice_and_nothing_unreachable_in_the_packaged_grammar() -> None:
    problems, capacity = check_grammar_text(MUSICIAN.read_text("utf-8"), "musician.json")
    assert problems == [] and capacity is not None
    grammar = grammar_io.load(MUSICIAN)
    sizes = {size.sentence: size.paths for size in capacity.lattices}
    assert sizes == {s.id: len(s.paths) for u in grammar.units for s in u.sentences if s.alternatives}


# --- sampling -------------------------------------------------------------------------------------


def _without_alternatives(grammar: Grammar) -> Grammar:
    units = tuple(replace(u, sentences=tuple(replace(s, alternatives=(), paths=()) for s in u.sentences))
                  for u in grammar.units)
    return replace(grammar, units=units)


def test_the_variant_draw_moves_no_other_choice(generator: StoryGenerator) -> None:
    """Alternatives change only how a unit is worded: each story keeps its units and values."""
    plain = StoryGenerator(_without_alternatives(generator.grammar), generator.culture)
    for a, b in zip(generator.plans(7, 0, 500), plain.plans(7, 0, 500)):
        assert a.values == b.values and [u.id for u in a.units] == [u.id for u in b.units]
        assert all(u.variant == 0 for u in b.units)
    assert told_units(plain.grammar)[0].units == plain.grammar.units


def test_a_story_tells_an_opener_once_where_its_units_allow(generator: StoryGenerator) -> None:
    """Openers brought in from other sentences ("One day,", "With a deep breath,") are told once
    in a story: of 1,000 stories, only where every variant of a unit would repeat one (30 today)."""
    repeated = 0
    for plan in generator.plans(7, 0, 1000):
        openers = [o for u in plan.units for s in u.sentences if (o := opener_of(s.template))]
        repeated += len(set(openers)) < len(openers)
    assert repeated <= 40
    plain = StoryGenerator(_without_alternatives(generator.grammar), generator.culture)
    for plan in plain.plans(7, 0, 1000):  # the seeds' own wording repeats none
        openers = [o for u in plan.units for s in u.sentences if (o := opener_of(s.template))]
        assert len(set(openers)) == len(openers)


def test_explain_shows_the_alternatives_each_sentence_took(generator: StoryGenerator) -> None:
    seen = 0
    for index in range(10):
        data = explain(generator, 7, index)
        for s in data["sentences"]:
            for alt in s["alternatives"]:
                assert alt["with"] in s["template"] != generator.grammar.sentence(s["template_id"]).template
                seen += 1
    assert seen >= 20


def _village_alternative(grammar: Grammar) -> tuple[Grammar, str]:
    """The grammar with one alternative that calls the home a village, on a sentence whose own
    words claim nothing of it, and that sentence's id."""
    sentence = next(s for u in grammar.units for s in u.sentences
                    if s.template.count("in {{ home }}") == 1 and not s.constraints and not u.literals)
    village = Alternative("in {{ home }}", "in the small village of {{ home }}", (sentence.id,))
    changed = with_paths(replace(sentence, alternatives=(*sentence.alternatives, village), paths=()))
    units = tuple(replace(u, sentences=tuple(changed if s.id == sentence.id else s for s in u.sentences))
                  for u in grammar.units)
    return replace(grammar, units=units), sentence.id


def test_a_variant_is_told_only_where_the_values_make_its_words_true(generator: StoryGenerator) -> None:
    """A path whose words claim more than its seed's ('the small village of {{ home }}') carries
    that constraint, and a story tells it only if its home is a village; the story keeps its
    units (the seed's own wording claims nothing), and the reference sampler agrees."""
    grammar, sentence_id = _village_alternative(generator.grammar)
    sentence = grammar.sentence(sentence_id)
    claims = [p for p in sentence.paths if "village of" in p.template]
    assert claims and all(p.constraints == ("home:kind=village",) for p in claims)
    assert all(p.constraints == () for p in sentence.paths if p not in claims)
    village = StoryGenerator(grammar, generator.culture)
    kinds = {town.name: town.kind for town in generator.culture.towns}
    told = {"village": 0, "other": 0}
    reference = ReferenceSampler(grammar, generator.culture, village.controls).plans(7, 0, 1000)
    for plan, before, plain in zip(village.plans(7, 0, 1000), generator.plans(7, 0, 1000), reference, strict=True):
        assert [u.id for u in plan.units] == [u.id for u in before.units]
        assert [(u.id, u.variant) for u in plan.units] == [(u.id, u.variant) for u in plain.units]
        for unit in plan.units:
            for s in unit.sentences:
                if s.id == sentence_id and "village of" in s.template:
                    assert kinds.get(plan.values["home"]) == "village", plan.index
                    told["village"] += 1
                elif s.id == sentence_id:
                    told["other"] += 1
    assert told["village"] > 0 and told["other"] > 0


# --- the figures ------------------------------------------------------------------------------------


def test_most_sentences_are_new_and_shapes_are_many(shapes: ShapeCount) -> None:
    """On 1,000 stories: most sentences are not a seed sentence refilled (checked on the text,
    against the seeds' own masked sentences), and there are several times the seeds' shapes."""
    assert shapes.new_share >= 0.65  # 68.7% on seed 7
    # No shape in more than a quarter of the stories (21.8% on seed 7: "<PRONOUN> captivated
    # everyone who crossed <PRONOUN> path.", three others close behind). A regression bound, not the issue's target of 1,000
    # shapes: the seeds' sentences afford about 350 (each sentence's paths, capped by how often
    # its unit is told; no point in time opens a childhood, a habit or a skill honed).
    assert shapes.top_share <= 0.25
    assert shapes.distinct >= 335  # 341 on seed 7


def test_the_seeds_shapes_are_their_sentences(generator: StoryGenerator) -> None:
    """A story told through the seeds' own paths only is all seed shapes, whatever the pronouns."""
    plain = StoryGenerator(_without_alternatives(generator.grammar), generator.culture)
    count = ShapeCount(plain.grammar)
    for story in plain.stories(7, 0, 300):
        count.add(story)
    assert count.new == 0 and count.distinct <= len(seed_shapes(plain.grammar))


def test_stats_reports_the_shapes(generator: StoryGenerator, shapes: ShapeCount) -> None:
    figures = measure(generator.stories(7, 0, 1000), generator.grammar)
    assert (figures.sentence_shapes, figures.new_sentence_share, figures.top_shape_story_share) == (
        shapes.distinct, shapes.new_share, shapes.top_share)
    assert figures.stories_with_coherence_errors == 0


# --- other writers' biographies ---------------------------------------------------------------------


@pytest.mark.parametrize("corpus", CORPORA, ids=[c.name for c in CORPORA])
def test_other_writers_get_alternatives_that_keep_their_facts(corpus: Path) -> None:
    grammar, _ = learn(read_seeds(corpus))
    sentences = [s for u in grammar.units for s in u.sentences]
    sampled = [s for u in grammar.units if not u.literals for s in u.sentences]  # the rest: round trip only
    assert sum(bool(s.alternatives) for s in sampled) >= len(sampled) // 4
    for unit in grammar.units:
        facts = _facts([k for s in unit.sentences for k in slot_keys(s.parts)])
        for sentence in unit.sentences:
            for path in sentence.paths:
                assert _facts(slot_keys(path.parts)) <= facts
                assert not re.search(r"\d", re.sub(r"\{\{.*?\}\}", "", path.template)) or \
                    re.search(r"\d", sentence.template)
    literals = {word for unit in grammar.units for word in unit.literals}
    assert literals  # every test corpus keeps some names no slot takes
    for unit in grammar.units:  # no alternative brings a literal; a unit keeping some is told through the paths free of them
        for alt in (a for s in unit.sentences for a in s.alternatives):
            assert not literals & set(re.findall(r"[\w'-]+", re.sub(r"\{\{.*?\}\}", " ", alt.text))), (unit.id, alt)
        for variant in sampled_variants(unit):
            words = {w for s in variant.sentences for w in re.findall(r"[\w'’-]+", re.sub(r"\{\{.*?\}\}", " ", s.template))}
            assert not words & set(unit.literals), (unit.id, variant.variant)
    assert any(u.literals and sampled_variants(u) for u in grammar.units)  # a drop can free a unit of its seed's names
    again = grammar_io.loads(grammar_io.to_json(grammar), "g.json")
    assert [s.alternatives for u in again.units for s in u.sentences] == [s.alternatives for s in sentences]
    for story in StoryGenerator(grammar, StoryGenerator.load().culture).texts(7, 0, 200):
        assert "{{" not in story and "  " not in story
    assert any(taken(s, p) for s in sentences for p in s.paths)
