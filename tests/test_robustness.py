"""Robustness: interrupted writes leave nothing half-written; random arguments never crash."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CLI = [sys.executable, "-m", "generator.cli"]


def test_killed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "big.jsonl"
    proc = subprocess.Popen([*CLI, "--count", "1000000", "--seed", "1", "-o", str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.endswith(".tmp") and p.stat().st_size > 100_000
                                                   for p in tmp_path.iterdir()):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # no chance to clean up: only the rename protects the target
    proc.wait()
    assert not target.exists()


def test_interrupted_write_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "big.txt"
    proc = subprocess.Popen([*CLI, "--count", "1000000", "-o", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []  # Ctrl-C removes the temporary file too


# --count is left out: a huge count is valid and would simply run for a long time.
_OPTION = st.sampled_from(["--seed", "--start", "--format", "-o", "--set", "--phases", "--sentences",
                           "--split", "--profile", "--culture", "--workers", "--grammar", "--bogus", "learn",
                           "stats", "explain", "verify", "schema"])
_VALUE = st.one_of(st.integers(-5, 2**64).map(str), st.sampled_from(["", "x", "jsonl", "out.xml", "pronouns=it",
                   "origin", "3:1", "train", "stress", "kazakh", "nope.json", "a=b=c", "-1"]), st.text(max_size=8))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_OPTION, _VALUE), max_size=3))
def test_random_arguments_fail_cleanly(tmp_path_factory, pairs) -> None:  # type: ignore[no-untyped-def]
    cwd = tmp_path_factory.mktemp("run")
    args = [a for pair in pairs for a in pair if "\x00" not in a]
    result = subprocess.run([*CLI, *args, "--count", "2"], capture_output=True, cwd=cwd, timeout=120)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, (args, stderr)
    if result.returncode != 0:
        assert result.returncode in (1, 2), (args, result.returncode)
        assert stderr.startswith("storygen: error: ") and stderr.count("\n") == 1, (args, stderr)
        assert not [p for p in cwd.iterdir() if p.name.endswith(".tmp")]
