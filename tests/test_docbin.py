"""The docbin format: a spaCy DocBin with each story's entities and sentence starts, that `spacy
train` reads; a clear line when spaCy is missing."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from generator import StoryGenerator
from generator.errors import UsageError

spacy = pytest.importorskip("spacy")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True, cwd=cwd)


def _docs(path: Path) -> list[object]:
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


@pytest.mark.parametrize(("culture", "profile"), [("kazakh", "default"), ("irish", "stress")])
def test_each_doc_carries_the_storys_entities_and_sentence_starts(culture: str, profile: str, tmp_path: Path) -> None:
    result = run("--count", "60", "--seed", "7", "--culture", culture, "--profile", profile, "-o", "train.spacy", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    generator = StoryGenerator.load(culture=culture, profile=profile)
    docs = _docs(tmp_path / "train.spacy")
    stories = list(generator.stories(7, 0, 60))
    assert len(docs) == 60
    for doc, story in zip(docs, stories):
        assert doc.user_data["id"] == story.id and doc.text == story.text  # type: ignore[attr-defined]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
            [(e.start, e.end, e.label) for e in story.entities if e.label != "PRONOUN"]  # type: ignore[attr-defined]
        assert [s.start_char for s in doc.sents] == [s.start for s in story.sentences]  # type: ignore[attr-defined]


def test_workers_and_the_api_write_the_same_docbin(tmp_path: Path) -> None:
    assert run("--count", "30", "--seed", "3", "--workers", "2", "-o", "a.spacy", cwd=tmp_path).returncode == 0
    assert run("--count", "30", "--seed", "3", "--format", "docbin", "-o", "b.bin", cwd=tmp_path).returncode == 0
    memory = io.BytesIO()
    StoryGenerator.load().write(memory, "docbin", 3, 0, 30)
    assert (tmp_path / "a.spacy").read_bytes() == (tmp_path / "b.bin").read_bytes() == memory.getvalue()
    with pytest.raises(UsageError, match=r"^the docbin format is binary: write it to a binary file$"):
        StoryGenerator.load().write(io.StringIO(), "docbin", 3, 0, 3)


def test_spacy_train_reads_it(tmp_path: Path) -> None:
    assert run("--count", "8", "--seed", "7", "-o", "train.spacy", cwd=tmp_path).returncode == 0
    spacy_cli = [sys.executable, "-m", "spacy"]
    made = subprocess.run([*spacy_cli, "init", "config", "-l", "en", "-p", "ner", "config.cfg"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    trained = subprocess.run([*spacy_cli, "train", "config.cfg", "--paths.train", "train.spacy", "--paths.dev", "train.spacy",
                              "--training.max_steps", "2", "--training.eval_frequency", "1"], cwd=tmp_path,
                             capture_output=True, text=True)
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert "Pipeline: ['tok2vec', 'ner']" in trained.stdout


def test_without_spacy_one_line_says_how_to_get_it(tmp_path: Path) -> None:
    code = "import sys; sys.modules['spacy'] = None; from generator.cli.app import main; main(sys.argv[1:])"
    result = subprocess.run([sys.executable, "-c", code, "--count", "3", "-o", "train.spacy"], capture_output=True,
                            text=True, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1, "storygen: error: the docbin format needs spaCy, an optional extra: pip install 'storygen[spacy]'\n")
    assert list(tmp_path.iterdir()) == []


def test_never_to_a_terminal(tmp_path: Path) -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "generator.cli", "--count", "3", "-f", "docbin"], stdout=follower,
                                stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    finally:
        os.close(follower)
        os.close(leader)
    assert (result.returncode, result.stderr) == (
        2, "storygen: error: --format docbin is binary: write it to a file (-o FILE.spacy) or a pipe\n")
