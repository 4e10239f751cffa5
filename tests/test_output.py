"""Output files: the umask's mode (or the replaced file's), written through symbolic links, never
over one of the run's inputs."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True,
                          cwd=cwd, umask=umask)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002, 0o027])
def test_every_output_file_gets_the_mode_of_the_umask(umask: int, tmp_path: Path, root: Path) -> None:
    expected = 0o666 & ~umask
    for args in (["--count", "3", "-o", "one.jsonl"], ["--count", "3", "--workers", "2", "-o", "two.txt"],
                 ["--count", "2", "--out-dir", "stories"], ["learn", str(root / "seeds"), "-o", "grammar.json"]):
        result = run(*args, cwd=tmp_path, umask=umask)
        assert result.returncode == 0, result.stderr
    written = [tmp_path / "one.jsonl", tmp_path / "two.txt", tmp_path / "grammar.json",
               *sorted((tmp_path / "stories").iterdir())]
    assert len(written) == 6 and (tmp_path / "stories" / "manifest.jsonl") in written
    assert {str(p.relative_to(tmp_path)): mode(p) for p in written} == {str(p.relative_to(tmp_path)): expected for p in written}


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "fixture.jsonl"
    target.write_text("old\n")
    target.chmod(0o640)
    assert run("--count", "2", "-o", "fixture.jsonl", cwd=tmp_path, umask=0o077).returncode == 0
    assert mode(target) == 0o640 and target.read_text().startswith('{"id": "0-0"')


def test_output_is_written_through_a_symbolic_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "fixture.txt"
    real.write_text("old\n")
    link = tmp_path / "fixture.txt"
    link.symlink_to(Path("real") / "fixture.txt")
    assert run("--count", "2", "-o", "fixture.txt", cwd=tmp_path).returncode == 0
    assert link.is_symlink() and link.readlink() == Path("real") / "fixture.txt"
    assert real.read_text() == run("--count", "2", cwd=tmp_path).stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture.txt", "real"]
    assert [p.name for p in (tmp_path / "real").iterdir()] == ["fixture.txt"]


def test_a_dangling_link_makes_its_target(tmp_path: Path) -> None:
    link = tmp_path / "fixture.txt"
    link.symlink_to("made.txt")
    assert run("--count", "1", "-o", "fixture.txt", cwd=tmp_path).returncode == 0
    assert link.is_symlink() and (tmp_path / "made.txt").read_text() == run("--count", "1", cwd=tmp_path).stdout


def _refused(result: subprocess.CompletedProcess[str], shown: str, what: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"storygen: error: -o {shown}: is {what}, which this run reads; write the output elsewhere\n"
    assert result.stdout == ""


def test_output_onto_an_input_is_refused(tmp_path: Path, root: Path) -> None:
    grammar = tmp_path / "grammar.json"
    shutil.copy(root / "grammars" / "musician.json", grammar)
    culture = tmp_path / "pack.json"
    shutil.copy(root / "grammars" / "cultures" / "irish.json", culture)
    seeds = tmp_path / "seeds"
    shutil.copytree(root / "seeds", seeds)
    before = {p: p.read_bytes() for p in (grammar, culture, *seeds.iterdir())}
    _refused(run("--grammar", "grammar.json", "-o", "grammar.json", cwd=tmp_path), "grammar.json", "the grammar file")
    (tmp_path / "alias.json").symlink_to("grammar.json")
    _refused(run("--grammar", "grammar.json", "-o", "alias.json", cwd=tmp_path), "alias.json", "the grammar file")
    _refused(run("--culture", "pack.json", "-f", "jsonl", "-o", "pack.json", cwd=tmp_path), "pack.json", "the culture pack")
    packaged = root / "grammars" / "musician.json"
    _refused(run("-o", str(packaged), cwd=tmp_path), str(packaged), "the packaged grammar")
    seed = sorted(seeds.iterdir())[0]
    _refused(run("learn", "seeds", "-o", f"seeds/{seed.name}", cwd=tmp_path), f"seeds/{seed.name}", "a seed story")
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alias.json", "grammar.json", "pack.json", "seeds"]
