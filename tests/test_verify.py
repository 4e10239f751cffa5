"""storygen verify: a fixture regenerates from what it records, and any change to it is named."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from generator.cli.app import main

MADE_WITH = ["--count", "20", "--seed", "3", "--culture", "irish", "--profile", "stress", "--set", "instrument=violin",
             "--set", "pronouns=they", "--phases", "origin,struggle,triumph", "--sentences", "6:14", "--split", "train"]


def storygen(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run the command in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same run with every option, in every format."""
    folder = tmp_path_factory.mktemp("fixtures")
    made = {}
    for suffix in ("jsonl", "json", "md", "csv", "conll", "txt"):
        made[suffix] = folder / f"stories.{suffix}"
        assert storygen(*MADE_WITH, "-o", str(made[suffix]))[0] == 0
    return made


def copy(fixtures: dict[str, Path], suffix: str, tmp_path: Path, edit: object = None) -> Path:
    target = tmp_path / f"copy.{suffix}"
    text = fixtures[suffix].read_text("utf-8")
    target.write_text(edit(text) if callable(edit) else text, encoding="utf-8")
    return target


@pytest.mark.parametrize("suffix", ["jsonl", "json", "md", "csv", "conll"])
def test_a_fixture_made_with_every_option_verifies_from_itself(fixtures: dict[str, Path], suffix: str) -> None:
    code, out, err = storygen("verify", str(fixtures[suffix]))
    assert (code, err) == (0, "")
    assert out == f"{fixtures[suffix]}: identical: 20 stories (3-0 to 3-19)\n"


def test_records_carry_everything_that_made_them(fixtures: dict[str, Path]) -> None:
    meta = json.loads(fixtures["jsonl"].read_text("utf-8").splitlines()[4])["meta"]
    assert meta["culture"] == "irish" and meta["profile"] == "stress" and meta["split"] == "train"
    assert meta["controls"] == {"set": {"instrument.name": "violin", "instrument.player": "violinist"}, "pronouns": "they",
                                "phases": ["origin", "struggle", "triumph"], "min_sentences": 6, "max_sentences": 14}
    assert meta["run"] == {"seed": 3, "start": 0, "count": 20}
    assert len(meta["grammar_sha256"]) == len(meta["culture_sha256"]) == 64
    for suffix in ("md", "csv", "conll"):  # a header or comment line carries the same
        assert json.dumps(meta, ensure_ascii=False) in fixtures[suffix].read_text("utf-8").split("\n", 2)[1 if suffix == "md" else 0]


def test_a_text_fixture_says_what_it_needs_and_verifies_with_it(fixtures: dict[str, Path]) -> None:
    code, _, err = storygen("verify", str(fixtures["txt"]))
    assert code == 2
    assert err == ("storygen: error: a text file does not record what made it: pass --seed (and --start if not 0) and "
                   "every option it was made with (--grammar, --culture, --profile, --set, --phases, --sentences, --split)\n")
    given = [a for a in MADE_WITH if a not in ("--count", "20")]
    assert storygen("verify", str(fixtures["txt"]), *given)[0] == 0
    code, _, err = storygen("verify", str(fixtures["txt"]), "--seed", "3")
    assert code == 1 and err.startswith(f"{fixtures['txt']}: story 3-0 differs (line 1, column ")
    assert err.endswith(" (a text file does not record what made it: were all the options it was made with given?)\n")


def test_options_override_what_the_file_records(fixtures: dict[str, Path]) -> None:
    code, _, err = storygen("verify", str(fixtures["jsonl"]), "--culture", "kazakh")
    assert code == 1 and err.startswith(f"{fixtures['jsonl']}: story 3-0 differs in field 'text' (line 1, column ")


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: "".join(_lines(t)[:-1]), "story 3-19 is missing: the file records a run of 20 stories (3-0 to 3-19) and holds 19 stories"),
    (lambda t: "".join(_lines(t)[1:]), "story 3-0 is missing: the file records a run of 20 stories (3-0 to 3-19) and holds 19 stories"),
    (lambda t: t + _lines(t)[0], "story 3-0 appears twice: the file records a run of 20 stories (3-0 to 3-19) and holds 21 stories"),
    (lambda t: "".join([_lines(t)[1], _lines(t)[0], *_lines(t)[2:]]), "story 3-1 is where story 3-0 should be: the stories are out of order"),
    (lambda t: t + "\n", "1 character after the end of the last story (line 21, column 1)"),
])
def test_verify_names_missing_extra_and_reordered_records(fixtures: dict[str, Path], tmp_path: Path, edit: object, message: str) -> None:
    target = copy(fixtures, "jsonl", tmp_path, edit)
    assert storygen("verify", str(target)) == (1, "", f"{target}: {message}\n")


def test_an_edit_names_its_story_and_field(fixtures: dict[str, Path], tmp_path: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")  # '[', then a record per line, each but the last followed by ','
        record = json.loads(lines[9].rstrip(","))
        record["entities"][2]["end"] += 1
        lines[9] = json.dumps(record, ensure_ascii=False) + ","
        return "\n".join(lines)

    target = copy(fixtures, "json", tmp_path, edit)
    code, _, err = storygen("verify", str(target))
    assert code == 1 and err.startswith(f"{target}: story 3-8 differs in field 'entities[2].end' (line 10, column "), err
    target = copy(fixtures, "csv", tmp_path, lambda t: t.replace(",they,", ",she,", 5))
    code, _, err = storygen("verify", str(target))
    assert code == 1 and err.startswith(f"{target}: story 3-0 differs in field 'pronouns' (line 3, column "), err


def test_the_empty_fixture_verifies(tmp_path: Path) -> None:
    for suffix, expected in (("jsonl", "no stories"), ("json", "no stories"), ("csv", "no stories")):
        target = tmp_path / f"empty.{suffix}"
        assert storygen("--count", "0", "--seed", "7", "-o", str(target))[0] == 0
        assert storygen("verify", str(target)) == (0, f"{target}: identical: {expected}\n", "")


def test_stdin_and_one_story(fixtures: dict[str, Path], tmp_path: Path) -> None:
    one = tmp_path / "one.jsonl"
    storygen("--count", "1", "--seed", "5", "-o", str(one))
    assert storygen("verify", str(one)) == (0, f"{one}: identical: 1 story (5-0)\n", "")
    text = fixtures["jsonl"].read_text("utf-8")
    assert storygen("verify", "-", "--format", "jsonl", stdin=text) == (0, "stdin: identical: 20 stories (3-0 to 3-19)\n", "")
    assert storygen("verify", "-", stdin=text) == (
        2, "", "storygen: error: verify -: stdin has no file extension to tell the format by: pass --format\n")


def test_a_broken_record_of_what_made_it_is_one_line(fixtures: dict[str, Path], tmp_path: Path) -> None:
    target = copy(fixtures, "csv", tmp_path, lambda t: t.replace('"run": {"seed": 3', '"run": {"seed": "many"', 1))
    code, _, err = storygen("verify", str(target))
    assert code == 2 and err.startswith("storygen: error: cannot read what made this csv file (meta.run: ") and err.count("\n") == 1
    target = copy(fixtures, "jsonl", tmp_path, lambda t: t.replace('"grammar_sha256": "', '"grammar_sha256": "0', 1))
    code, _, err = storygen("verify", str(target))
    assert code == 1 and err.startswith("storygen: error: made with grammar 'musician' of sha256 0") and "pass --grammar" in err


def test_an_out_dir_folder_verifies_from_its_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    assert storygen(*MADE_WITH[:4], "--culture", "irish", "--set", "pronouns=they", "--out-dir", str(folder))[0] == 0
    for target in (folder, folder / "manifest.jsonl"):
        assert storygen("verify", str(target)) == (0, f"{target}: identical: 20 stories (3-0 to 3-19) and their manifest\n", "")
    story = folder / "story-3-000007.txt"
    text = story.read_text("utf-8")
    story.write_text(text.replace(" ", "  ", 1), encoding="utf-8")
    code, _, err = storygen("verify", str(folder))
    assert code == 1 and err.startswith(f"{folder}: story-3-000007.txt: story 3-7 differs (line 1, column "), err
    story.unlink()
    assert storygen("verify", str(folder)) == (1, "", f"{folder}: story-3-000007.txt: story 3-7 is missing from the folder\n")
    story.write_text(text, encoding="utf-8")
    (folder / "story-3-000020.txt").write_text(text, encoding="utf-8")
    code, _, err = storygen("verify", str(folder))
    assert (code, err) == (1, f"{folder}: story-3-000020.txt: a story file the manifest's run (20 stories (3-0 to 3-19)) does not hold\n")
    (folder / "story-3-000020.txt").unlink()
    manifest = folder / "manifest.jsonl"
    lines = manifest.read_text("utf-8").splitlines(keepends=True)
    manifest.write_text("".join(lines[:5] + lines[6:]), encoding="utf-8")
    code, _, err = storygen("verify", str(manifest))
    assert code == 1 and err.startswith(f"{manifest}: manifest.jsonl: story 3-5 is missing: "), err
    entry = json.loads(lines[5])
    entry["hero"] = "Someone Else"
    manifest.write_text("".join([*lines[:5], json.dumps(entry, ensure_ascii=False) + "\n", *lines[6:]]), encoding="utf-8")
    assert storygen("verify", str(folder)) == (1, "", f"{folder}: manifest.jsonl: story 3-5's line (line 6) differs in field 'hero'\n")
