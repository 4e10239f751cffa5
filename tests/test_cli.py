"""The command line: golden samples, formats, output files, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE_ARGS = ["--count", "50", "--seed", "7"]
GOLDEN = {"stories.txt": [], "stories.jsonl": ["--format", "jsonl"]}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_samples_are_what_the_main_command_prints(name: str, root: Path, update_golden: bool) -> None:
    result = run(*SAMPLE_ARGS, *GOLDEN[name])
    assert result.returncode == 0, result.stderr
    golden = root / "samples" / name
    if update_golden:
        golden.write_text(result.stdout, encoding="utf-8", newline="\n")
        _write_checksums(root / "samples")
    assert result.stdout == golden.read_text("utf-8"), f"{golden} differs: review, then pytest --update-golden"


def _write_checksums(samples: Path) -> None:
    import hashlib

    lines = [f"{hashlib.sha256((samples / n).read_bytes()).hexdigest()}  {n}\n" for n in sorted(GOLDEN)]
    (samples / "SHA256SUMS").write_text("".join(lines), encoding="utf-8", newline="\n")


def test_main_command_prints_50_distinct_stories(root: Path) -> None:
    text = (root / "samples" / "stories.txt").read_text("utf-8")
    stories = text.split("\n* * *\n\n")
    assert len(stories) == 50 and len(set(stories)) == 50
    records = [json.loads(line) for line in (root / "samples" / "stories.jsonl").read_text("utf-8").splitlines()]
    assert [r["index"] for r in records] == list(range(50))
    assert [r["text"] + "\n" for r in records] == stories[:-1] + [stories[-1]] or [r["text"] for r in records] == [s.rstrip("\n") for s in stories]
    assert {"id", "seed", "index", "text", "slots", "entities", "sentences", "phases", "meta"} <= set(records[0])


def test_jsonl_prefix_is_stable_across_count() -> None:
    ten = run("--count", "10", "--seed", "7", "--format", "jsonl").stdout
    fifty = run("--count", "50", "--seed", "7", "--format", "jsonl").stdout
    assert fifty.splitlines()[:10] == ten.splitlines()


def test_output_file_format_from_extension(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    result = run("--count", "3", "--seed", "1", "-o", str(target))
    assert result.returncode == 0 and result.stdout == ""
    assert [json.loads(line)["index"] for line in target.read_text().splitlines()] == [0, 1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # no temporary file left behind


def test_learn_reproduces_the_committed_grammar(tmp_path: Path, root: Path) -> None:
    target = tmp_path / "x.json"
    result = run("learn", str(root / "seeds"), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == (root / "grammars" / "musician.json").read_bytes()


def test_learn_report_names_protagonists(root: Path, tmp_path: Path) -> None:
    result = run("learn", str(root / "seeds"), "-o", str(tmp_path / "g.json"), "--report")
    assert "001_195e33b974c3ec62.txt: protagonist 'Ivan Baktybekova' (first name 'Ivan'), pronouns she" in result.stdout
    assert "arc: origin -> struggle -> breakthrough -> triumph" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--count", "-1"], 2, "storygen: error: Invalid value for '--count' / '-n': "),
        (["--count", "x"], 2, "storygen: error: Invalid value for '--count' / '-n'"),
        (["--seed", str(2**63)], 2, "storygen: error: --seed must be between 0 and 9223372036854775807, got 9223372036854775808"),
        (["--format", "xml"], 2, "storygen: error: --format: unknown format 'xml' (known: text, jsonl, json, markdown, csv, conll, docbin)"),
        (["--format", "a\nb"], 2, "storygen: error: --format: unknown format 'a\\nb' (known: "),
        (["-o", "out.xml"], 2, "storygen: error: -o out.xml: cannot tell the format from '.xml' (known: .txt, .jsonl, .json, .md, .csv, .conll, .spacy; or pass --format)"),
        (["-o", "missing/out.txt"], 2, "storygen: error: -o missing/out.txt: directory 'missing' does not exist"),
        (["--culture", "atlantis"], 1, "storygen: error: unknown culture 'atlantis' (available: georgian, irish, kazakh, mexican, turkish, uzbek)"),
        (["--grammar", "nope.json"], 1, "storygen: error: nope.json: cannot read grammar (No such file or directory)"),
        (["learn", "nope"], 1, "storygen: error: nope: no such directory"),
        (["--bogus"], 2, "storygen: error: No such option: --bogus"),
    ],
)
def test_errors_are_one_line(args: list[str], code: int, message: str, tmp_path: Path) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == code
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_bad_grammar_json_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format_version": 1,\n  "phases": [,]\n}\n')
    result = run("--grammar", str(bad))
    assert result.returncode == 1
    assert result.stderr == f"storygen: error: {bad}:3:14: invalid JSON: Expecting value\n"


def test_broken_pipe_is_quiet() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "--count", "20000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(200)
    proc.stdout.close()
    assert proc.wait() == 0
    assert proc.stderr.read() == b""


def test_version() -> None:
    from generator import __version__

    assert run("--version").stdout == f"storygen {__version__}\n"


@pytest.mark.parametrize(("suffix", "marker"), [(".json", "["), (".md", "## Story 7-0"), (".csv", "id,seed,index"),
                                                  (".conll", "-DOCSTART-"), (".txt", "")])
def test_output_extension_picks_the_format(tmp_path: Path, suffix: str, marker: str) -> None:
    target = tmp_path / f"out{suffix}"
    assert run("--count", "2", "--seed", "7", "-o", str(target)).returncode == 0
    assert target.read_text().startswith(marker)
    verified = run("verify", str(target), "--seed", "7")
    assert verified.returncode == 0 and "identical: 2 stories" in verified.stdout


def test_verify_catches_a_single_changed_byte(tmp_path: Path) -> None:
    target = tmp_path / "f.jsonl"
    run("--count", "20", "--seed", "7", "-o", str(target))
    data = bytearray(target.read_bytes())
    line_start = data.index(b'"id": "7-12"')
    position = data.index(b"Kazakhstan", line_start) + 3
    data[position] = ord("X")
    target.write_bytes(bytes(data))
    result = run("verify", str(target))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{target}: line 13, column ")
    assert "story 7-12 differs" in result.stderr and result.stderr.count("\n") == 1


def test_verify_text_needs_a_seed(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    run("--count", "2", "--seed", "7", "-o", str(target))
    result = run("verify", str(target))
    assert result.returncode == 2
    assert result.stderr == "storygen: error: a text file does not record its seed: pass --seed (and --start if not 0)\n"


def test_out_dir_writes_one_file_per_story_and_a_manifest(tmp_path: Path) -> None:
    target = tmp_path / "stories"
    assert run("--count", "3", "--seed", "7", "--start", "5", "--out-dir", str(target)).returncode == 0
    names = sorted(p.name for p in target.iterdir())
    assert names == ["manifest.jsonl", "story-7-000005.txt", "story-7-000006.txt", "story-7-000007.txt"]
    manifest = [json.loads(line) for line in (target / "manifest.jsonl").read_text().splitlines()]
    assert [m["id"] for m in manifest] == ["7-5", "7-6", "7-7"]
    expected = run("--count", "1", "--seed", "7", "--start", "6").stdout
    assert (target / "story-7-000006.txt").read_text() == expected


def test_schema_command_prints_the_schema() -> None:
    from generator.tools.schema import record_schema

    assert json.loads(run("schema").stdout) == record_schema()


def test_cultures_command_lists_packs() -> None:
    lines = run("cultures").stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["georgian", "irish", "kazakh", "mexican", "turkish", "uzbek"]


def test_check_command(root: Path) -> None:
    good = run("check", str(root / "grammars" / "musician.json"), "--count", "10000000")
    assert good.returncode == 0
    assert good.stdout.startswith("capacity: at least ") and "warning: --count 10000000 is more than" in good.stdout
    bad = run("check", "tests/data/grammars/unknown_slot.json", cwd=root)
    assert bad.returncode == 1
    assert bad.stdout.startswith("tests/data/grammars/unknown_slot.json:202: $.units[7].sentences[0].template: "
                                 "error: unknown slot 'instrumnet.name' (known: ")


@pytest.mark.parametrize(("name", "message"), [
    ("sandbox_escape.json", "tests/data/grammars/sandbox_escape.json:187: $.units[6].sentences[0].template: "
                            "only slot names such as {{ hero.name }} may appear inside {{ }}"),
    ("include.json", "tests/data/grammars/include.json:187: $.units[6].sentences[0].template: "),
    ("invalid_json.json", "tests/data/grammars/invalid_json.json:4:2: invalid JSON: Expecting ',' delimiter"),
])
def test_generation_validates_a_user_grammar_first(root: Path, name: str, message: str) -> None:
    result = run("--grammar", f"tests/data/grammars/{name}", "--count", "1", cwd=root)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"storygen: error: {message}") and result.stderr.count("\n") == 1


def test_progress_bar_on_request_and_never_by_default_off_a_terminal(tmp_path: Path) -> None:
    shown = run("--count", "3000", "--seed", "7", "-o", str(tmp_path / "a.txt"), "--progress")
    lines = shown.stderr.split("\n")  # the bar's \r reads as a line break here
    assert shown.returncode == 0 and lines[0] == "" and lines[-1] == ""
    assert lines[-2].startswith("[########################] 100%  3,000/3,000 stories  ") and lines[-2].endswith("\x1b[K")
    quiet = run("--count", "3000", "--seed", "7", "-o", str(tmp_path / "b.txt"))
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()


def test_the_main_command_imports_neither_jinja2_nor_faker() -> None:
    """Start-up stays near the cost of its dependencies: the packaged grammar's templates are
    lowered without Jinja2's parser, and culture packs are data, not Faker calls."""
    code = ("import sys; from generator.cli import main; sys.argv = ['storygen', '--count', '3'];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('jinja2', 'faker', 'generator.render.records', 'generator.lint.check') if m in sys.modules),"
            " file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout
    assert result.stderr == "[]\n"
