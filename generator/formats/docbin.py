"""The docbin format: a spaCy DocBin (what `spacy train` reads), one Doc per story.

Each Doc is spaCy's blank English tokenization of the story text, with the story's entities as
`doc.ents` (pronouns left out, as in CoNLL), a sentence start on the first token of every sentence
and none elsewhere, and the story id in `doc.user_data["id"]`. spaCy is an optional extra
(`pip install 'storygen[spacy]'`), imported only when this format is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import StorygenError
from .base import WholeFormat

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.story import Story

MISSING = "the docbin format needs spaCy, an optional extra: pip install 'storygen[spacy]'"


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise StorygenError(MISSING) from None
    return spacy


def story_doc(nlp: Any, story: Story) -> Any:
    """One story as a spaCy Doc with its entities and sentence starts."""
    doc = nlp.make_doc(story.text)
    spans = []
    for e in story.entities:
        if e.label == "PRONOUN":
            continue
        span = doc.char_span(e.start, e.end, label=e.label)
        if span is None:  # the tests hold every entity to token edges; say so if that ever fails
            raise StorygenError(f"story {story.id}: entity {story.text[e.start:e.end]!r} at {e.start}:{e.end} "
                                f"does not fall on spaCy token edges")
        spans.append(span)
    doc.ents = spans
    starts = {s.start for s in story.sentences}
    for token in doc:
        token.is_sent_start = token.idx in starts
    doc.user_data["id"] = story.id
    return doc


class DocBin(WholeFormat):
    """A spaCy DocBin of the stories, for NER (and sentence boundary) training."""

    name = "docbin"
    extensions = (".spacy",)

    def ready(self) -> None:
        _spacy()

    def document(self, stories: Iterable[Story], grammar: Grammar, culture: str) -> bytes:
        spacy = _spacy()
        from spacy.tokens import DocBin as SpacyDocBin

        nlp = spacy.blank("en")
        docs = SpacyDocBin(store_user_data=True)
        for story in stories:
            docs.add(story_doc(nlp, story))
        data: bytes = docs.to_bytes()
        return data
