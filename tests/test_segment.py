"""Sentence and paragraph segmentation: the seeds' hard cases, exact offsets, small synthetic texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.learn.segment import Sentence, paragraphs, segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

SEED_FILES = (
    "000_d5635ad185598fdb.txt",
    "001_195e33b974c3ec62.txt",
    "002_d1b22b5a1416c111.txt",
    "003_257f2f3e7894eb4e.txt",
    "004_2e147e49d4e3eaa2.txt",
)

# Paragraph number of each sentence, measured once from the committed seeds and pinned here.
PARAGRAPH_OF_SENTENCE = {
    "000_d5635ad185598fdb.txt": [0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
    "001_195e33b974c3ec62.txt": [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7],
    "002_d1b22b5a1416c111.txt": [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5],
    "003_257f2f3e7894eb4e.txt": [0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6],
    "004_2e147e49d4e3eaa2.txt": [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6],
}
SENTENCE_COUNTS = {"000": 15, "001": 20, "002": 18, "003": 18, "004": 19}
PARAGRAPH_COUNTS = {"000": 7, "001": 8, "002": 6, "003": 7, "004": 7}


def seed_text(prefix: str) -> str:
    """The text of the seed whose file name starts with `prefix` ('004')."""
    (name,) = [n for n in SEED_FILES if n.startswith(prefix)]
    return (SEEDS / name).read_text(encoding="utf-8")


def texts(text: str) -> list[str]:
    return [s.text for s in segment(text)]


def sentence_containing(sentences: list[Sentence], snippet: str) -> tuple[int, Sentence]:
    hits = [(i, s) for i, s in enumerate(sentences) if snippet in s.text]
    assert len(hits) == 1, f"{snippet!r} found in {len(hits)} sentences"
    return hits[0]


@pytest.fixture(scope="module")
def segmented() -> dict[str, tuple[str, list[Sentence]]]:
    """Each seed's text and sentences, keyed by the seed's number ('000')."""
    result = {}
    for name in SEED_FILES:
        text = (SEEDS / name).read_text(encoding="utf-8")
        result[name[:3]] = (text, segment(text))
    return result


# --- the seeds' hard cases -----------------------------------------------------------------------


def test_honorific_inside_appositive_stays_one_sentence(segmented) -> None:
    _, sentences = segmented["004"]
    _, sentence = sentence_containing(sentences, "The director,")
    assert sentence.text == (
        'The director, Mrs. Nurzhanova, asked him to perform at the upcoming '
        '"Kazakhstan\'s Musical Talent" competition.'
    )


def test_quoted_title_with_inner_comma_stays_one_sentence(segmented) -> None:
    _, sentences = segmented["001"]
    _, sentence = sentence_containing(sentences, "Steppe Songs")
    assert sentence.text == (
        'Her debut album, "Steppe Songs," was a hit, with its haunting melodies and poignant lyrics '
        "capturing the hearts of Kazakh audiences everywhere."
    )


def test_quoted_speech_ends_after_closing_quote(segmented) -> None:
    text, sentences = segmented["003"]
    i, sentence = sentence_containing(sentences, "believing in yourself")
    assert sentence.text.endswith('say, "It\'s all about believing in yourself, no matter what."')
    assert text[sentence.end - 2 : sentence.end] == '."'
    following = sentences[i + 1]
    assert following.text.startswith("And with that, he'd take a bow")
    assert following.start == sentence.end + 1  # only the single space lies between them
    assert following.paragraph == sentence.paragraph


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("002", "Through her tireless efforts, Bakhyt Valja had become an icon in her own right – a shining "
                "example of what it means to pursue one's passion with unwavering dedication."),
        ("002", "The crowd roared as she began to play, and for those who were lucky enough to witness her "
                "performance, it was clear that they had just experienced something truly special – a testament "
                "to the enduring power of dedication, passion, and the unyielding spirit of Bakhyt Valja."),
        ("004", "When the judges announced Bakhyt Babler as the winner of \"Kazakhstan's Musical Talent,\" the "
                "crowd erupted in applause, and tears of joy welled up in his eyes."),
        ("004", "The young musician had finally achieved recognition for his talents, but more importantly, he "
                "knew that this victory marked a new beginning – an opportunity to share his music with the world."),
        ("004", "As he looked out at a sea of adoring fans, playing his instrument with fervor, he knew that he had "
                "found his true calling – spreading joy through the universal language of music."),
    ],
)
def test_sentences_with_en_dash_or_quoted_title_are_not_split(segmented, prefix: str, expected: str) -> None:
    assert expected in [s.text for s in segmented[prefix][1]]


def test_every_en_dash_in_the_seeds_sits_inside_one_sentence(segmented) -> None:
    dashes = 0
    for text, sentences in segmented.values():
        for offset, char in enumerate(text):
            if char != "–":
                continue
            dashes += 1
            (inside,) = [s for s in sentences if s.start <= offset < s.end]
            assert inside.start < offset - 1 and offset + 2 < inside.end  # words on both sides
    assert dashes == 4


# --- offsets, counts and paragraphs of all five seeds --------------------------------------------


@pytest.mark.parametrize("name", SEED_FILES)
def test_sentence_text_is_the_exact_slice_of_the_story(name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    sentences = segment(text)
    previous_end = 0
    for s in sentences:
        assert s.text == text[s.start : s.end]
        assert s.text == s.text.strip() and s.text
        assert s.start >= previous_end
        assert text[previous_end : s.start].strip() == ""  # nothing but whitespace is skipped
        previous_end = s.end
    assert text[previous_end:].strip() == ""


@pytest.mark.parametrize(("prefix", "count"), sorted(SENTENCE_COUNTS.items()))
def test_sentence_count_per_seed(prefix: str, count: int) -> None:
    assert len(segment(seed_text(prefix))) == count


@pytest.mark.parametrize(("prefix", "count"), sorted(PARAGRAPH_COUNTS.items()))
def test_paragraph_count_per_seed(prefix: str, count: int) -> None:
    text = seed_text(prefix)
    spans = paragraphs(text)
    assert len(spans) == count
    assert [text[a:b] for a, b in spans] == [p.strip() for p in text.split("\n\n") if p.strip()]


@pytest.mark.parametrize("name", SEED_FILES)
def test_paragraph_numbers_per_seed(name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    sentences = segment(text)
    assert [s.paragraph for s in sentences] == PARAGRAPH_OF_SENTENCE[name]
    spans = paragraphs(text)
    for s in sentences:
        start, end = spans[s.paragraph]
        assert start <= s.start and s.end <= end


def test_first_and_last_sentences_of_seed_000(segmented) -> None:
    text, sentences = segmented["000"]
    assert sentences[0] == Sentence(
        0,
        150,
        "Bakhyt Ivanov was a 25-year-old singer-songwriter who had been making waves in the underground "
        "music scene with his soulful voice and poignant lyrics.",
        0,
    )
    assert sentences[-1].text.startswith("And though the journey ahead would be fraught with uncertainty")
    assert sentences[-1].end == len(text.rstrip())
    assert sentences[-1].paragraph == 6


# --- small synthetic texts -----------------------------------------------------------------------


def test_initials_do_not_end_a_sentence() -> None:
    assert texts("J. S. Bach played.") == ["J. S. Bach played."]
    assert texts("J. S. Bach played. Then Aigerim played.") == ["J. S. Bach played.", "Then Aigerim played."]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Abenov taught her.",
        "Mrs. Nurzhanova called him.",
        "Dr. Omarov listened.",
        "They moved to St. Petersburg.",
        "The U.S. Army band played.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(text: str) -> None:
    assert texts(text + " It was loud.") == [text, "It was loud."]


def test_simple_terminators_split() -> None:
    assert texts("Was it? Yes! It was. 2010 was the year.") == ["Was it?", "Yes!", "It was.", "2010 was the year."]
    assert texts("Born in 1990. In 2010 he moved.") == ["Born in 1990.", "In 2010 he moved."]
    assert texts("Wait... Then it rained!") == ["Wait...", "Then it rained!"]


def test_lowercase_after_terminator_does_not_split() -> None:
    assert texts('She asked, "Why?" and left. He stayed.') == ['She asked, "Why?" and left.', "He stayed."]
    assert texts("It cost 3.5 million. He paid.") == ["It cost 3.5 million.", "He paid."]


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    assert texts("He said, “Go home.” Then he left.") == ["He said, “Go home.”", "Then he left."]
    assert texts('She sang "Steppe Songs." "Again!" they shouted.') == ['She sang "Steppe Songs."', '"Again!" they shouted.']
    assert texts("He played (loudly.) Then stopped.") == ["He played (loudly.)", "Then stopped."]


def test_en_dash_does_not_split() -> None:
    text = "She had become an icon – a shining example. Then she rested."
    assert texts(text) == ["She had become an icon – a shining example.", "Then she rested."]


def test_text_without_final_punctuation_is_one_sentence() -> None:
    assert segment("No ending here") == [Sentence(0, 14, "No ending here", 0)]


def test_empty_and_blank_texts_have_no_sentences() -> None:
    assert segment("") == []
    assert segment(" \n\n \t\n") == []
    assert paragraphs("") == []


def test_offsets_and_paragraph_numbers_in_a_synthetic_story() -> None:
    text = "\n\nFirst one. Second one.\n \t\n\n\nThird one.\n"
    assert paragraphs(text) == [(2, 24), (30, 40)]
    assert segment(text) == [
        Sentence(2, 12, "First one.", 0),
        Sentence(13, 24, "Second one.", 0),
        Sentence(30, 40, "Third one.", 1),
    ]


def test_single_newline_does_not_start_a_paragraph() -> None:
    text = "One line.\nAnother line.\n\nNew paragraph."
    assert paragraphs(text) == [(0, 23), (25, 39)]
    assert [(s.text, s.paragraph) for s in segment(text)] == [
        ("One line.", 0), ("Another line.", 0), ("New paragraph.", 1),
    ]


def test_crlf_blank_line_separates_paragraphs() -> None:
    text = "Aigerim played the dombra. She loved it.\r\n\r\nLater she moved to Astana.\r\n"
    assert paragraphs(text) == [(0, 40), (44, 70)]
    assert [s.paragraph for s in segment(text)] == [0, 0, 1]
