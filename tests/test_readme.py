"""The README's Python example runs as written, and its commands are real options."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest


def test_python_api_example_runs(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (root / "README.md").read_text("utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert code is not None
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "README.md", "exec"), {})
    records = (tmp_path / "fixtures.jsonl").read_text("utf-8").splitlines()
    assert len(records) == 100 and records[0].startswith('{"id": "7-0", ')


def test_tour_commands_parse(root: Path) -> None:
    """Every `storygen ...` line in the tour is accepted by the CLI's parser (run with --help)."""
    readme = (root / "README.md").read_text("utf-8")
    tour = readme.split("## A short tour", 1)[1].split("```", 2)[1]
    for line in tour.splitlines():
        if not line.startswith("storygen "):
            continue
        args = line.split("#", 1)[0].split()[1:]
        sub = [a for a in args if not a.startswith("-")][:1]
        command = sub if sub and sub[0] in ("explain", "stats", "verify", "schema", "check", "learn") else []
        result = subprocess.run([sys.executable, "-m", "generator.cli", *command, "--help"], capture_output=True, text=True)
        assert result.returncode == 0, line
        for option in (a.split("=")[0] for a in args if a.startswith("--")):
            assert option in result.stdout, f"{line}: {option} is not an option of storygen {' '.join(command)}"
