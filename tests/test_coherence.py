"""The reader's checks (tools/coherence.py): silent on well-told stories, loud on broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import StoryGenerator
from generator.learn.segment import segment
from generator.tools.coherence import Sentence, check_sentences, check_story, seed_predecessors, text_sentences
from generator.tools.stats import measure

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "tests" / "data" / "corpora"


def _findings(path: Path) -> list[tuple[str, str]]:
    text = path.read_text("utf-8")
    found = check_sentences(text_sentences(text, [(s.start, s.end) for s in segment(text)]))
    return [(f"{path.parent.name}/{path.name}", f.kind) for f in found]


def test_the_seeds_hold_nothing_a_reader_would_flag() -> None:
    assert [f for p in sorted((ROOT / "seeds").glob("*.txt")) for f in _findings(p)] == []


def test_other_writers_stories_hold_nothing_either() -> None:
    found = [f for p in sorted(CORPORA.glob("*/*.txt")) for f in _findings(p)]
    # The one exception: a feature's closing callback to an early detail ("he still fixes its
    # buttons with hairpins"), which shares as many words as a repetition does.
    assert found == [("magazine/04_penaloza.txt", "repeated_content")]


def _kinds(*texts: str) -> list[str]:
    sentences = [Sentence(t, k) for k, t in enumerate(texts)]
    return [f.kind for f in check_sentences(sentences)]


@pytest.mark.parametrize(("texts", "kind"), [
    (("She toured the country for years, playing in every town.", "Later she wrote songs at home.",
      "The applause was thunderous."), "scene_breaks"),
    (("He grew up in a village by the sea.", "The judges were stern."), "scene_breaks"),
    (("One day she received an invitation to perform at a festival in Paris.", "She kept writing songs."),
      "unresolved_threads"),
    (("Her debut album was a hit.", "She continued to play gigs at local restaurants and cafes."), "time_regressions"),
    (("He became an icon for a new generation.", "A talent scout offered him a record deal."), "time_regressions"),
    (("At eighteen she moved to the capital.", "At fifteen she started lessons with a neighbour."), "time_regressions"),
    (("She toured concert halls across the nation.", "She played at local cafes for tips."), "time_regressions"),
    (("Her music was a unique blend of old and new, rooted in a rich cultural heritage.",
      "She drew on the rich cultural heritage of her region."), "repeated_content"),
    (("He grew up by the sea.", "He continued to play gigs at local restaurants and cafes."), "scene_breaks"),
    (("She moved to the capital.", "She still plays at weddings on Saturdays."), "scene_breaks"),
])
def test_each_check_catches_what_a_reader_would(texts: tuple[str, ...], kind: str) -> None:
    assert kind in _kinds(*texts)


def test_playing_carried_on_needs_playing_told_before_it() -> None:
    """"continued to play gigs" carries on what an earlier sentence told; told first, it leans on nothing."""
    from generator.model.narrative import carries_on_performing, tells_performing
    assert carries_on_performing("He continued to play gigs at cafes.") and not tells_performing("He continued to play gigs.")
    assert carries_on_performing("She kept performing.") and not carries_on_performing("She continued to write songs.")
    assert tells_performing("He spent nights performing for his family.") and tells_performing("The concert sold out.")
    assert not carries_on_performing("He kept performing and gave a concert.")  # it tells one itself
    told = [Sentence("He spent nights performing for his family and friends.", 0),
            Sentence("He continued to play gigs at local cafes.", 0)]
    assert check_sentences(told) == [] and [f.kind for f in check_sentences(told[::-1])] == ["scene_breaks"]


def test_a_stretch_of_childhood_is_no_single_occasion() -> None:
    """"One day, her journey ... began when she was just a child" reads wrong: no point in time opens it."""
    from generator.model.narrative import one_occasion
    assert not one_occasion("{{ hero.name }}'s journey began when {{ hero.they }} {{ hero.were }} just a child.")
    assert not one_occasion("As a boy he sang in the choir.") and one_occasion("She received a call from the school.")


def test_ages_date_steps_and_other_numbers_do_not() -> None:
    from generator.model.narrative import ages
    assert ages("At fifteen she starts lessons; at the age of four she sang; aged 68; At 18 she left.") == [15, 4, 68, 18]
    assert ages("At seven o'clock it filled. At one point she sang at five, At thirty-four she plays; At 21 years.") == []
    assert check_sentences([Sentence("At fifteen she started lessons.", 0), Sentence("At eighteen she moved away.", 0)]) == []


def test_a_paragraph_of_one_sentence_is_a_fragment() -> None:
    sentences = [Sentence("She was born in a town by a river.", 0), Sentence("She sang before she spoke.", 0),
                 Sentence("As her skills improved, so did her ambition.", 1)]
    assert [f.kind for f in check_sentences(sentences)] == ["fragment_paragraphs"]


def test_a_scene_after_a_move_must_be_where_the_hero_is() -> None:
    sentences = [Sentence("She moved to Almaty.", 0, place="Almaty", moves=True),
                 Sentence("She played a small venue in Astana.", 0, place="Astana")]
    assert [f.kind for f in check_sentences(sentences)] == ["place_jumps"]
    sentences[1] = Sentence("She flew to Astana.", 0, place="Astana", moves=True)
    assert check_sentences(sentences) == []


def test_a_connective_leans_on_the_sentence_it_was_written_after() -> None:
    sentences = [Sentence("She practised every day.", 0), Sentence("But nobody came to listen.", 0, follows_source=False)]
    assert [f.kind for f in check_sentences(sentences)] == ["scene_breaks"]
    sentences[1] = Sentence("But nobody came to listen.", 0, follows_source=True)
    assert "scene_breaks" not in [f.kind for f in check_sentences(sentences)]


def test_stats_reports_the_reader_figures(generator: StoryGenerator) -> None:
    stories = list(generator.stories(7, 0, 200))
    figures = measure(stories, generator.grammar)
    predecessor = seed_predecessors(generator.grammar)
    flagged = sum(bool(check_story(s, predecessor)) for s in stories)
    assert figures.stories_with_coherence_errors == flagged
    assert sum(figures.coherence.values()) == sum(len(check_story(s, predecessor)) for s in stories)
    assert set(figures.coherence) == {"scene_breaks", "unresolved_threads", "time_regressions", "place_jumps",
                                      "repeated_content", "fragment_paragraphs"}
