"""The docbin format: a spaCy DocBin (what `spacy train` reads), one Doc per story.

Each Doc is spaCy's blank English tokenization of the story text, with the story's entities as
`doc.ents` (pronouns left out, as in CoNLL), a sentence start on the first token of every sentence
and none elsewhere, the story id in `doc.user_data["id"]` and what made the file in
`doc.user_data["meta"]` (a JSON record's `meta`: a DocBin has no place of its own for it, so
every doc carries it, and compression keeps the copies to a few bytes each). spaCy is an optional
extra (`pip install 'storygen[spacy]'`), imported only when this format is written or read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import StorygenError, UsageError
from .base import WholeFormat

if TYPE_CHECKING:
    from ..model.grammar import Grammar
    from ..model.provenance import Provenance
    from ..model.story import Story

MISSING = "the docbin format needs spaCy, an optional extra: pip install 'storygen[spacy]'"


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise StorygenError(MISSING) from None
    return spacy


def story_doc(nlp: Any, story: Story, meta: dict[str, Any] | None = None) -> Any:
    """One story as a spaCy Doc with its entities and sentence starts (and `meta`, what made it)."""
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
    if meta is not None:
        doc.user_data["meta"] = meta
    return doc


def doc_record(doc: Any) -> dict[str, Any]:
    """What `storygen verify` compares of a Doc, as fields: id, seed, index, text, entities,
    sentence starts, tokens and meta."""
    story_id = str(doc.user_data.get("id", ""))
    seed, _, index = story_id.partition("-")
    return {"id": story_id, "seed": int(seed), "index": int(index), "text": doc.text,
            "entities": [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents],
            "sentence_starts": [t.idx for t in doc if t.is_sent_start],
            "tokens": [t.text for t in doc], "meta": doc.user_data.get("meta")}


class DocBin(WholeFormat):
    """A spaCy DocBin of the stories, for NER (and sentence boundary) training."""

    name = "docbin"
    extensions = (".spacy",)

    def ready(self) -> None:
        _spacy()

    def document(self, stories: Iterable[Story], grammar: Grammar, made: Provenance) -> bytes:
        from .records import meta

        spacy = _spacy()
        from spacy.tokens import DocBin as SpacyDocBin

        nlp = spacy.blank("en")
        docs = SpacyDocBin(store_user_data=True)
        recorded = meta(made)
        for story in stories:
            docs.add(story_doc(nlp, story, recorded))
        data: bytes = docs.to_bytes()
        return data

    def documents(self, data: bytes) -> list[dict[str, Any]]:
        spacy = _spacy()
        from spacy.tokens import DocBin as SpacyDocBin

        try:
            docs = list(SpacyDocBin(store_user_data=True).from_bytes(data).get_docs(spacy.blank("en").vocab))
            return [doc_record(doc) for doc in docs]
        except Exception as exc:  # a damaged file fails anywhere inside spaCy, msgpack or zlib
            raise UsageError(f"cannot read this file as a spaCy DocBin ({type(exc).__name__}: {exc})") from None
