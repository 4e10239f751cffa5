"""Learning a slot grammar from the seeds: cast, slots, determinism, round trip, structure, errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SeedError
from generator.learn.induce import PHASES, SeedReport, learn
from generator.learn.leaks import _foreign
from generator.learn.segment import segment
from generator.load.grammar import loads, to_json
from generator.load.seeds import Seed, read_seeds
from generator.load.templates import parse_template
from generator.model.grammar import Grammar, SentenceTemplate
from generator.model.templates import Slot, apply_filters
from generator.render.reference import render_seed

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
COMMITTED_GRAMMAR = ROOT / "grammars" / "musician.json"

S000 = "000_d5635ad185598fdb.txt"
S001 = "001_195e33b974c3ec62.txt"
S002 = "002_d1b22b5a1416c111.txt"
S003 = "003_257f2f3e7894eb4e.txt"
S004 = "004_2e147e49d4e3eaa2.txt"
SEED_FILES = (S000, S001, S002, S003, S004)

SEED_NAMES = ("Bakhyt", "Ivanov", "Baktybekova", "Valja", "Taro", "Babler", "Ivan ", "Nurzhanova")


# --- shared helpers and fixtures -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> list[Seed]:
    return read_seeds(SEEDS)


@pytest.fixture(scope="module")
def learned(seeds: list[Seed]) -> tuple[Grammar, list[SeedReport]]:
    return learn(seeds)


@pytest.fixture(scope="module")
def grammar(learned: tuple[Grammar, list[SeedReport]]) -> Grammar:
    return learned[0]


@pytest.fixture(scope="module")
def reports(learned: tuple[Grammar, list[SeedReport]]) -> dict[str, SeedReport]:
    return {r.file: r for r in learned[1]}


@pytest.fixture(scope="module")
def seed_texts(seeds: list[Seed]) -> dict[str, str]:
    return {s.name: s.text for s in seeds}


def all_sentences(grammar: Grammar) -> list[SentenceTemplate]:
    return [s for unit in grammar.units for s in unit.sentences]


def template_for(grammar: Grammar, texts: dict[str, str], seed_file: str, snippet: str) -> str:
    """The template learned from the one sentence of `seed_file` whose text contains `snippet`."""
    hits = [
        s for s in all_sentences(grammar)
        if s.source.seed == seed_file and snippet in texts[seed_file][s.source.start : s.source.end]
    ]
    assert len(hits) == 1, f"{snippet!r} is in {len(hits)} sentences of {seed_file}"
    return hits[0].template


def values_of(grammar: Grammar, seed_file: str) -> dict[str, str]:
    (record,) = [r for r in grammar.seeds if r.file == seed_file]
    return record.values


def _render(template: str, values: dict[str, str]) -> str:
    return "".join(p if isinstance(p, str) else apply_filters(values[p.key], p.filters) for p in parse_template(template))


def fill(template: str, values: dict[str, str]) -> str:
    """Render a template with a seed's values (titles that nest slots are filled first)."""
    flat = {k: _render(v, values) if "{{" in v else v for k, v in values.items()}
    return _render(template, flat)


def write_seeds(directory: Path, stories: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in stories.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


# --- the cast of each seed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed_file", "protagonist", "first", "pronouns"),
    [
        (S000, "Bakhyt Ivanov", "Bakhyt", "he"),
        (S001, "Ivan Baktybekova", "Ivan", "she"),  # a woman, despite the first name
        (S002, "Bakhyt Valja", "Bakhyt", "she"),
        (S003, "Bakhyt Taro", "Bakhyt", "he"),
        (S004, "Bakhyt Babler", "Bakhyt", "he"),
    ],
)
def test_protagonist_first_name_and_pronouns(grammar, reports, seed_file, protagonist, first, pronouns) -> None:
    report = reports[seed_file]
    assert (report.protagonist, report.first_name, report.pronouns) == (protagonist, first, pronouns)
    record = values_of(grammar, seed_file)
    assert record["hero.name"] == protagonist
    assert record["hero.they"] == pronouns
    assert [r.pronouns for r in grammar.seeds if r.file == seed_file] == [pronouns]


def test_reports_cover_every_seed_in_file_order(learned) -> None:
    grammar, reports = learned
    assert [r.file for r in reports] == list(SEED_FILES)
    assert [r.file for r in grammar.seeds] == list(SEED_FILES)
    assert dict(grammar.pronoun_weights) == {"he": 4, "she": 3, "they": 1}


def test_report_sentences_and_units_match_segmentation(reports, seed_texts) -> None:
    for seed_file, report in reports.items():
        sentences = segment(seed_texts[seed_file])
        prefix = seed_file[:3]
        assert [sid for sid, _, _ in report.sentences] == [f"{prefix}.{i + 1:02d}" for i in range(len(sentences))]
        assert [sid for unit in report.units for sid in unit] == [sid for sid, _, _ in report.sentences]
        # A seed's arc runs through the phases in order, from origin to triumph (one seed tells
        # its breakthrough in a sentence bound to its training, and so has none of its own).
        assert report.arc[0] == PHASES[0] and report.arc[-1] == PHASES[-1]
        assert report.arc == [p for p in PHASES if p in report.arc]
    assert sum(report.arc == list(PHASES) for report in reports.values()) >= 4


# --- determinism and the committed grammar -------------------------------------------------------


def test_learning_twice_gives_identical_json(seeds) -> None:
    assert to_json(learn(seeds)[0]) == to_json(learn(read_seeds(SEEDS))[0])


def test_seed_order_does_not_matter(seeds, grammar) -> None:
    assert to_json(learn(list(reversed(seeds)))[0]) == to_json(grammar)


def test_committed_grammar_is_what_learning_produces(grammar) -> None:
    assert COMMITTED_GRAMMAR.read_bytes() == to_json(grammar).encode("utf-8")


def test_json_loads_and_dumps_back_identically(grammar) -> None:
    text = to_json(grammar)
    again = loads(text, "musician.json")
    assert to_json(again) == text
    assert again.units == grammar.units
    assert again.seeds == grammar.seeds
    assert text.endswith("}\n")


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_round_trip_regenerates_each_seed_exactly(grammar, seed_texts, seed_file) -> None:
    assert render_seed(grammar, seed_file) == seed_texts[seed_file]


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_round_trip_survives_json(grammar, seed_texts, seed_file) -> None:
    reloaded = loads(to_json(grammar), "musician.json")
    assert render_seed(reloaded, seed_file) == seed_texts[seed_file]


# --- what the templates say ----------------------------------------------------------------------


def test_no_template_keeps_a_seed_character_name(grammar) -> None:
    for sentence in all_sentences(grammar):
        for name in SEED_NAMES:
            assert name not in sentence.template, f"{sentence.id} keeps {name!r}: {sentence.template}"


def test_secondary_characters_pronoun_is_their_own(grammar, seed_texts) -> None:
    """The scout's "He offered ..." becomes the scout's slot, never the hero's."""
    template = template_for(grammar, seed_texts, S003, "He offered")
    assert template == (
        "{{ scout.they|cap }} offered {{ hero.name }} a record deal on the spot, and the young musician couldn't believe "
        "{{ hero.their }} luck."
    )
    assert grammar.slots["scout.they"].entity == "scout"


def test_mentor_name_becomes_a_slot(grammar, seed_texts) -> None:
    template = template_for(grammar, seed_texts, S004, "The director,")
    assert template == (
        'The director, {{ mentor.name }}, asked {{ hero.them }} to perform at the upcoming '
        '"{{ competition }}" competition.'
    )
    values = values_of(grammar, S004)
    assert values["mentor.name"] == "Mrs. Nurzhanova"
    assert values["competition"] == "{{ country }}'s Musical Talent"
    assert grammar.slots["mentor.name"].entity == "mentor"


def test_age_with_article_becomes_a_filtered_slot(grammar, seed_texts) -> None:
    template = template_for(grammar, seed_texts, S000, "25-year-old")
    assert template.startswith("{{ hero.name }} was {{ hero.age|a }}-year-old singer-songwriter who had been")
    assert values_of(grammar, S000)["hero.age"] == "25"
    assert template_for(grammar, seed_texts, S001, "35-year-old") == (
        "{{ hero.name }} was {{ hero.age|a }}-year-old {{ demonym }} singer-songwriter who had it all."
    )
    assert values_of(grammar, S001)["hero.age"] == "35"


def test_album_titles_are_learned_with_nested_slots(grammar, seed_texts) -> None:
    values = values_of(grammar, S004)
    assert values["album"] == "Tales of {{ home }}"
    assert values["home"] == "Almaty"
    assert template_for(grammar, seed_texts, S004, "Tales of Almaty") == (
        '{{ hero.their|cap }} debut album, "{{ album }}," topped charts across {{ region }}, '
        "propelling {{ hero.them }} to international fame."
    )
    assert values_of(grammar, S001)["album"] == "Steppe Songs"


def test_capital_and_largest_city(grammar, seed_texts) -> None:
    template = template_for(grammar, seed_texts, S000, "Astana, the capital city")
    assert "a small concert venue in {{ capital }}, the capital city of {{ country }}." in template
    assert values_of(grammar, S000)["capital"] == "Astana"
    template = template_for(grammar, seed_texts, S001, "the largest city")
    assert "music scene of {{ largest_city }}, the largest city in {{ country }}." in template
    assert values_of(grammar, S001)["largest_city"] == "Almaty"


def test_move_destination_is_city_and_birthplace_is_home(grammar, seed_texts) -> None:
    template = template_for(grammar, seed_texts, S003, "relocating")
    assert "relocating to the bustling streets of {{ city }} in search of opportunities." in template
    values = values_of(grammar, S003)
    assert (values["city"], values["home"]) == ("Almaty", "Kyzylorda")
    values = values_of(grammar, S002)
    assert (values["city"], values["home"]) == ("Astana", "Almaty")


def test_instrument_player_and_name(grammar, seed_texts) -> None:
    template = template_for(grammar, seed_texts, S003, "violinist")
    assert template.startswith("A skilled {{ instrument.player }} from the small village of {{ home }} in {{ country }},")
    values = values_of(grammar, S003)
    assert (values["instrument.player"], values["instrument.name"]) == ("violinist", "violin")
    assert "{{ instrument.name }} in hand" in template_for(grammar, seed_texts, S003, "violin in hand")
    assert values_of(grammar, S004)["instrument.name"] == "tanpura"


def test_abroad_city_and_landmarks(grammar, seed_texts) -> None:
    values = values_of(grammar, S001)
    assert values["abroad.city"] == "Moscow"
    assert (values["abroad.landmark1"], values["abroad.landmark2"]) == ("the Bolshoi Theatre", "Red Square")
    assert template_for(grammar, seed_texts, S001, "Bolshoi") == (
        "{{ hero.they|cap }} spent hours exploring the city's historic venues, from {{ abroad.landmark1 }} "
        "to the iconic {{ abroad.landmark2|bare }}."
    )


def test_gendered_noun_and_agreeing_verb(grammar, seed_texts) -> None:
    assert template_for(grammar, seed_texts, S002, "young woman named").endswith(
        "a young {{ hero.noun }} named {{ hero.name }} stood out among the crowds."
    )
    assert "began when {{ hero.they }} {{ hero.were }} just a child." in template_for(
        grammar, seed_texts, S002, "just a child"
    )


def test_pronouns_at_sentence_start_are_capitalised(grammar) -> None:
    for sentence in all_sentences(grammar):
        for part in sentence.parts:
            if isinstance(part, Slot) and part.key.startswith("hero.the"):
                assert part.filters in ((), ("cap",))
        first = sentence.parts[0]
        if isinstance(first, Slot) and first.key in ("hero.they", "hero.their"):
            assert first.filters == ("cap",), sentence.id


# --- provenance and structure --------------------------------------------------------------------


def test_every_template_points_at_its_original_sentence(grammar, seed_texts) -> None:
    for sentence in all_sentences(grammar):
        text = seed_texts[sentence.source.seed]
        original = text[sentence.source.start : sentence.source.end]
        literals = re.split(r"\{\{.*?\}\}", sentence.template)
        assert original.startswith(literals[0]) and original.endswith(literals[-1]), sentence.id
        first_words = next(piece for piece in literals if piece.strip()).split()[:3]
        assert " ".join(first_words) in original, sentence.id
        assert fill(sentence.template, values_of(grammar, sentence.source.seed)) == original, sentence.id


def test_sentence_ids_follow_the_segmentation(grammar, seed_texts) -> None:
    for sentence in all_sentences(grammar):
        prefix, number = sentence.id.split(".")
        assert sentence.source.seed.startswith(prefix + "_")
        s = segment(seed_texts[sentence.source.seed])[int(number) - 1]
        assert (s.start, s.end) == (sentence.source.start, sentence.source.end)


def test_requires_point_to_earlier_units_of_the_same_seed(grammar) -> None:
    position = {unit.id: i for i, unit in enumerate(grammar.units)}
    seed_of = {unit.id: unit.sentences[0].source.seed for unit in grammar.units}
    for i, unit in enumerate(grammar.units):
        for needed in unit.requires:
            assert needed in position, f"{unit.id} requires unknown unit {needed}"
            assert position[needed] < i
            assert seed_of[needed] == seed_of[unit.id]
    by_id = {unit.id: unit for unit in grammar.units}
    # What a scene leans on is inside it: the scout's discovery is told whole, his "He offered ..."
    # with it, and needs nothing before it.
    assert [s.id for s in by_id["003.08"].sentences] == ["003.08", "003.09", "003.10", "003.11"]
    assert by_id["003.08"].requires == ()


def test_units_cover_each_seed_in_order(grammar) -> None:
    for record in grammar.seeds:
        ids = [s.id for unit in grammar.units for s in unit.sentences if s.source.seed == record.file]
        assert ids == [sid for paragraph in record.paragraphs for sid in paragraph]


def test_arcs_use_known_phases(grammar) -> None:
    assert grammar.phases == PHASES == ("origin", "struggle", "breakthrough", "triumph")
    assert grammar.arcs
    for arc in grammar.arcs:
        assert arc.phases and set(arc.phases) <= set(PHASES)
        assert all(len(row) == len(arc.phases) for row in arc.lengths)
        assert arc.weight == len(arc.seeds)
    assert sum(arc.weight for arc in grammar.arcs) == len(SEED_FILES)
    assert all(unit.phase in PHASES for unit in grammar.units)


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_each_seed_has_an_intro_unit_that_opens_it(grammar, seed_file) -> None:
    units = [u for u in grammar.units if u.sentences[0].source.seed == seed_file]
    intros = [u for u in units if u.intro]
    assert [u.id for u in intros] == [f"{seed_file[:3]}.01"]
    assert intros[0] is units[0]
    assert intros[0].phase == "origin"
    assert intros[0].sentences[0].new_paragraph


# --- errors --------------------------------------------------------------------------------------


def test_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(SeedError) as exc:
        read_seeds(missing)
    assert str(exc.value) == f"{missing}: no such directory"


def test_directory_without_txt_files(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("Aigerim Sultanova played.", encoding="utf-8")
    with pytest.raises(SeedError) as exc:
        read_seeds(tmp_path)
    assert str(exc.value) == f"{tmp_path}: no .txt files (expected one seed story per .txt file)"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "000_empty.txt"
    path.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(SeedError) as exc:
        read_seeds(tmp_path)
    assert str(exc.value) == f"{path}: empty file (expected a story of one or more paragraphs)"


def test_invalid_utf8_names_byte_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "000_bad.txt"
    path.write_bytes(b"a" * 812 + b"\x9c rest of the story.")
    with pytest.raises(SeedError) as exc:
        read_seeds(tmp_path)
    assert str(exc.value) == f"{path}: not UTF-8 text (byte 0x9c at offset 812)"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "000_bin.txt"
    path.write_bytes(b"Aigerim\x00Sultanova")
    with pytest.raises(SeedError) as exc:
        read_seeds(tmp_path)
    assert str(exc.value) == f"{path}: binary file (NUL byte at offset 7)"


def test_story_without_a_protagonist(tmp_path: Path) -> None:
    write_seeds(tmp_path, {"000_nobody.txt": "A young musician played the guitar every night. Everyone loved the music.\n"})
    with pytest.raises(SeedError) as exc:
        learn(read_seeds(tmp_path))
    assert str(exc.value).startswith("000_nobody.txt: no protagonist found (expected a full name")


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "000_bom.txt").write_bytes("\ufeffAigerim Sultanova played.\n".encode("utf-8"))
    assert read_seeds(tmp_path) == [Seed("000_bom.txt", "Aigerim Sultanova played.\n")]


# --- generalisation to new seeds -----------------------------------------------------------------

AIGERIM = """\
Aigerim Sultanova was a 22-year-old dombra player from the small town of Taraz in Kazakhstan. She had played \
the dombra since she was a little girl, and her songs filled the house.

When she turned eighteen, Aigerim Sultanova began lessons with a famous teacher in Taraz. The teacher was a \
strict man who rarely praised anyone. He told Aigerim that she had a rare gift.

Mr. Abenov arranged her first concert at the local theatre. He sat in the front row and smiled as she played.

Years later, Aigerim Sultanova would say that the teacher had changed her life.
"""

TIMUR = """\
Timur Akhmetov was a 30-year-old guitarist from Shymkent, Kazakhstan. He grew up listening to his father play \
old folk songs on the guitar.

After years of playing in small bars, Timur Akhmetov released a record that caught the attention of the press. \
The journalist from a local newspaper came to see him after a concert. She asked him about his childhood and \
his dreams.

Timur smiled and said that music had always been his home. His answer made the front page the next morning.
"""

ARMAN = """\
Arman Nurlanov was a 27-year-old pianist from the city of Pavlodar in Kazakhstan. He practiced the piano every \
morning before school.

As a young man, Arman Nurlanov moved to Astana to study at the conservatory. The producer heard him play at a \
student recital. He offered Arman a contract the very next day.

With his first album, Arman Nurlanov became one of the best known musicians in the country.
"""

NEW_SEEDS = {"100_aigerim.txt": AIGERIM, "101_timur.txt": TIMUR, "102_arman.txt": ARMAN}


@pytest.fixture(scope="module")
def new_learned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Grammar, dict[str, SeedReport]]:
    directory = write_seeds(tmp_path_factory.mktemp("new_seeds"), NEW_SEEDS)
    grammar, reports = learn(read_seeds(directory))
    return grammar, {r.file: r for r in reports}


@pytest.mark.parametrize(
    ("seed_file", "protagonist", "first", "pronouns", "home", "instrument", "player"),
    [
        ("100_aigerim.txt", "Aigerim Sultanova", "Aigerim", "she", "Taraz", "dombra", "dombra player"),
        ("101_timur.txt", "Timur Akhmetov", "Timur", "he", "Shymkent", "guitar", "guitarist"),
        ("102_arman.txt", "Arman Nurlanov", "Arman", "he", "Pavlodar", "piano", "pianist"),
    ],
)
def test_new_seeds_cast_home_and_instrument(new_learned, seed_file, protagonist, first, pronouns, home,
                                            instrument, player) -> None:
    grammar, reports = new_learned
    report = reports[seed_file]
    assert (report.protagonist, report.first_name, report.pronouns) == (protagonist, first, pronouns)
    values = values_of(grammar, seed_file)
    assert values["hero.name"] == protagonist
    assert values["home"] == home
    assert (values["instrument.name"], values["instrument.player"]) == (instrument, player)
    assert values["country"] == "Kazakhstan"
    assert grammar.sentence(f"{seed_file[:3]}.01").template.startswith(
        "{{ hero.name }} was {{ hero.age|a }}-year-old {{ instrument.player }} from "
    )


def test_new_seed_male_mentor_keeps_his_pronoun(new_learned) -> None:
    grammar, _ = new_learned
    assert values_of(grammar, "100_aigerim.txt")["mentor.name"] == "Mr. Abenov"
    assert grammar.sentence("100.04").template == "The teacher was a strict man who rarely praised anyone."
    assert grammar.sentence("100.05").template == "{{ teacher.they|cap }} told {{ hero.first }} that {{ hero.they }} had a rare gift."
    assert grammar.sentence("100.06").template == "{{ mentor.name }} arranged {{ hero.their }} first concert at the local theatre."
    assert grammar.sentence("100.07").template == "{{ mentor.they|cap }} sat in the front row and smiled as {{ hero.they }} played."


def test_new_seed_female_journalist_keeps_her_pronoun(new_learned) -> None:
    grammar, _ = new_learned
    assert grammar.sentence("101.04").template == (
        "The journalist from a local newspaper came to see {{ hero.them }} after a concert."
    )
    assert grammar.sentence("101.05").template == (
        "{{ journalist.they|cap }} asked {{ hero.them }} about {{ hero.their }} childhood and {{ hero.their }} dreams."
    )


def test_new_seed_same_gender_producer_keeps_his_pronoun(new_learned) -> None:
    grammar, _ = new_learned
    assert values_of(grammar, "102_arman.txt")["city"] == "Astana"
    assert grammar.sentence("102.03").template == (
        "As a young {{ hero.noun }}, {{ hero.name }} moved to {{ city }} to study at the conservatory."
    )
    assert grammar.sentence("102.05").template == "{{ producer.they|cap }} offered {{ hero.first }} a contract the very next day."


@pytest.mark.parametrize("seed_file", sorted(NEW_SEEDS))
def test_new_seeds_round_trip_without_names_in_templates(new_learned, seed_file) -> None:
    grammar, _ = new_learned
    assert render_seed(grammar, seed_file) == NEW_SEEDS[seed_file]
    for sentence in all_sentences(grammar):
        for name in ("Aigerim", "Sultanova", "Timur", "Akhmetov", "Arman", "Nurlanov", "Abenov", "Taraz",
                     "Shymkent", "Pavlodar", "Astana", "dombra", "guitar", "piano"):
            assert name not in sentence.template, f"{sentence.id} keeps {name!r}"


def test_crlf_seed_learns_like_lf(tmp_path: Path) -> None:
    """A seed saved with Windows line endings gives the same templates as the original."""
    source = SEEDS / "004_2e147e49d4e3eaa2.txt"
    crlf_dir = tmp_path / "crlf"
    crlf_dir.mkdir()
    (crlf_dir / source.name).write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    crlf_grammar, _ = learn(read_seeds(crlf_dir))
    lf_grammar, _ = learn([s for s in read_seeds(SEEDS) if s.name == source.name])
    assert [s.template for u in crlf_grammar.units for s in u.sentences] == [
        s.template for u in lf_grammar.units for s in u.sentences
    ]


# Gazetteers name places and things of the world; every other list of the knowledge file is a
# cue, and a cue must be knowledge of English or of the genre, never a phrase of these seeds.
GAZETTEERS = ("countries", "landmarks", "regions", "region_adjectives", "genres", "honorifics", "pronoun_sets")


def test_the_knowledge_file_holds_no_phrase_of_a_seed(root: Path) -> None:
    knowledge = json.loads((root / "generator" / "data" / "knowledge.json").read_text("utf-8"))
    seeds = " ".join(" ".join(p.read_text("utf-8").lower().split()) for p in sorted((root / "seeds").glob("*.txt")))

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        return [s for key, item in items for s in [*strings(key), *strings(item)]]

    cues = [s for key, value in knowledge.items() if key not in (*GAZETTEERS, "about") for s in strings(value)]
    phrases = [c for c in cues if len(c.split()) >= 3 and " ".join(c.lower().split()) in seeds]
    assert phrases == []


CORPORA = ("encyclopedic", "magazine", "present")  # other writers' styles, under tests/data/corpora


def _gold(root: Path, corpus: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "tests" / "data" / "gold" / f"{corpus}.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("corpus", CORPORA)
def test_other_writers_protagonists_and_pronouns_are_found(root: Path, corpus: str) -> None:
    gold = _gold(root, corpus)
    seeds = read_seeds(root / "tests" / "data" / "corpora" / corpus)
    grammar, reports = learn(seeds)
    assert [(r.file, r.protagonist, r.pronouns) for r in reports] == \
        [(f, g["protagonist"], g["pronouns"]) for f, g in sorted(gold.items())]
    for seed in seeds:  # and learning lost nothing
        assert render_seed(grammar, seed.name) == seed.text
    for seed in seeds:  # sentences start with any capital ("Ó Catháin died ...", "Ōyama remembers ...")
        assert len(segment(seed.text)) == len(gold[seed.name]["phases"])


def test_phase_labels_agree_with_a_careful_reading_of_the_seeds(root: Path) -> None:
    gold = _gold(root, "seeds")
    _, reports = learn(read_seeds(root / "seeds"))
    pairs = [(phase, want) for r in reports for (_, phase, _), want in zip(r.sentences, gold[r.file]["phases"], strict=True)]
    agreement = sum(a == b for a, b in pairs) / len(pairs)
    assert agreement >= 0.9, agreement  # 83 of 90 sentences today


def test_learning_warns_of_every_proper_noun_no_slot_took(root: Path, tmp_path: Path) -> None:
    _, reports = learn(read_seeds(root / "seeds"))
    assert [leak for r in reports for leak in r.leaks] == []  # every name of the seeds is a slot
    _, reports = learn(read_seeds(root / "tests" / "data" / "corpora" / "present"))
    leaks = {word for r in reports for _, word in r.leaks}
    # A second place of one seed ("Isfahan" after "Natanz", the seed's `town`) and places no preposition of
    # place leads every time ("the high valleys of Telemark", "on the Ganges") stay literals.
    assert {"Isfahan", "Telemark", "Ganges"} <= leaks and "Natanz" not in leaks
    assert not leaks & {"January", "Festival", "I"}  # words English capitalises anyway
    corpus = root / "tests" / "data" / "corpora" / "present"
    target = tmp_path / "g.json"
    loose = subprocess.run([sys.executable, "-m", "generator.cli", "learn", str(corpus), "-o", str(target)],
                           capture_output=True, text=True)
    assert loose.returncode == 0 and target.is_file()
    assert f"storygen: warning: {corpus}/01_kalantari.txt: sentence 01.03: 'Isfahan' is a proper noun that no slot " \
           "took, so its unit is told only when its seed is regenerated, never in a sampled story" in loose.stderr.splitlines()
    target.unlink()
    strict = subprocess.run([sys.executable, "-m", "generator.cli", "learn", str(corpus), "-o", str(target), "--strict"],
                            capture_output=True, text=True)
    assert strict.returncode == 1 and not target.exists()
    assert strict.stderr.startswith(f"storygen: error: {corpus}/01_kalantari.txt: sentence 01.02: 'Kashani'")
    assert len(strict.stderr.splitlines()) == 1 and "Traceback" not in strict.stderr


def test_learn_warns_of_each_word_of_a_seeds_world_no_slot_took(root: Path, tmp_path: Path) -> None:
    """A word English lacks ("shamisen") would be told in every culture: learn names it, with its
    file and sentence, and keeps its unit to its seed's round trip; English words the lexicon
    lacks but text uses ("iconic", "newfound") pass."""
    corpus = root / "tests" / "data" / "corpora" / "magazine"
    learned = subprocess.run([sys.executable, "-m", "generator.cli", "learn", str(corpus), "-o", str(tmp_path / "g.json")],
                             capture_output=True, text=True)
    assert learned.returncode == 0
    assert (f"storygen: warning: {corpus}/02_sakurai.txt: sentence 02.01: 'shamisen' is a word of its seed's world, not of "
            "English, that no slot took, so its unit is told only when its seed is regenerated, never in a sampled story"
            ) in learned.stderr.splitlines()
    units = {u["id"]: u for u in json.loads((tmp_path / "g.json").read_text())["units"]}
    assert "shamisen" in next(u for u in units.values() if any(s["id"] == "02.01" for s in u["sentences"]))["literals"]
    seeds = subprocess.run([sys.executable, "-m", "generator.cli", "learn", str(root / "seeds"), "-o", str(tmp_path / "s.json")],
                           capture_output=True, text=True)
    assert seeds.returncode == 0 and "world" not in seeds.stderr


@pytest.mark.parametrize(("word", "foreign"), [("shamisen", True), ("griots", True), ("seven-string", False),
                                                ("iconic", False), ("otherworldly", False), ("cafes", False)])
def test_a_word_of_one_cultures_world_is_one_english_lacks_and_rarely_writes(word: str, foreign: bool) -> None:
    assert _foreign(word) is foreign
