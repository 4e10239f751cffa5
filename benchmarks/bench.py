#!/usr/bin/env python
"""Benchmark storygen against its peers on one machine, in one run.

The main run prints a table of stories/s, MB/s (UTF-8 bytes written) and peak RSS for:

  storygen-text   StoryGenerator.write(out, "text", ...): sample + render + write, as the CLI does
  storygen-jsonl  StoryGenerator.write(out, "jsonl", ...): full gold annotations
  tracery         pytracery, grammar.flatten("#origin#") on benchmarks/tracery_musician.json
  markovify       markovify.Text (state_size 2) trained on seeds/*.txt, 18-sentence stories
  jinja2          one compiled story-sized Jinja2 template (the floor for our renderer)

then the ratios storygen/peer with PASS/MISS against their targets. Every row runs in a fresh
subprocess (`bench.py --row NAME`, which prints one JSON object) so rows cannot pollute each
other's peak RSS; each child does its setup, one warm-up run, then REPEATS timed runs. The rows
run in ROUNDS interleaved rounds (the order rotating), so a slow spell on a shared machine hits
every row alike; ratios are paired within a round and the median round is reported.

Extra modes: --startup, --streaming, --learning, --workers, --all (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import filecmp
import glob
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = ROOT / "seeds"
TRACERY_GRAMMAR = HERE / "tracery_musician.json"
JINJA_TEMPLATE = HERE / "jinja_musician.j2"
GNU_TIME = Path("/usr/bin/time")

SEED = 7
REPEATS = 3
ROUNDS = 3
STORY_BREAK = "\n* * *\n\n"  # what storygen's text format puts between stories; peers use it too
MARKOV_SENTENCES = 18
MARKOV_PARAGRAPHS = (5, 4, 5, 4)  # 18 sentences in four paragraphs, like the other rows

# A story-writing function: write `count` stories to `out`, return how many "units" it made
# (sentences for markovify; 0 where there is nothing extra to report).
Work = Callable[[TextIO, int], int]


# --------------------------------------------------------------------------------------------
# Rows: each builds its work function (setup, untimed) and says how many stories to time.
# --------------------------------------------------------------------------------------------


def storygen_row(kind: str) -> Work:
    from generator import StoryGenerator

    generator = StoryGenerator.load()

    def work(out: TextIO, count: int) -> int:
        generator.write(out, kind, SEED, 0, count)
        return 0

    return work


def storygen_text() -> Work:
    return storygen_row("text")


def storygen_jsonl() -> Work:
    return storygen_row("jsonl")


def tracery_row() -> Work:
    import tracery
    from tracery.modifiers import base_english

    grammar = tracery.Grammar(json.loads(TRACERY_GRAMMAR.read_text("utf-8")))
    grammar.add_modifiers(base_english)

    def work(out: TextIO, count: int) -> int:
        for i in range(count):
            if i:
                out.write(STORY_BREAK)
            out.write(grammar.flatten("#origin#"))
            out.write("\n")
            # pytracery never pops pushed rules and logs every rule use, so without this the
            # symbol stacks grow with each story (slower, and memory leaks): reset per story.
            grammar.clear_state()
        return 0

    return work


def markovify_row() -> Work:
    import markovify

    corpus = "\n".join(Path(p).read_text("utf-8") for p in sorted(glob.glob(str(SEEDS / "*.txt"))))
    model = markovify.Text(corpus, state_size=2)

    def story() -> tuple[str, int]:
        paragraphs: list[str] = []
        made = 0
        for size in MARKOV_PARAGRAPHS:
            sentences = [model.make_sentence(tries=100, test_output=False) for _ in range(size)]
            kept = [s for s in sentences if s is not None]
            made += len(kept)
            paragraphs.append(" ".join(kept))
        return "\n\n".join(paragraphs), made

    def work(out: TextIO, count: int) -> int:
        total = 0
        for i in range(count):
            text, made = story()
            if i:
                out.write(STORY_BREAK)
            out.write(text)
            out.write("\n")
            total += made
        return total

    return work


def jinja_values() -> list[dict[str, str]]:
    """A few fixed value dicts (20 keys each), built outside the timed loop."""
    people = [
        ("Arman Abenov", "Arman", "he", "him", "his", "He"),
        ("Aigerim Omarova", "Aigerim", "she", "her", "her", "She"),
        ("Daniyar Iskakov", "Daniyar", "he", "him", "his", "He"),
        ("Madina Sadykova", "Madina", "she", "her", "her", "She"),
    ]
    places = [("Kyzylorda", "Almaty", "Moscow"), ("Semey", "Astana", "Istanbul"), ("Taraz", "Almaty", "Berlin")]
    instruments = [("dombra", "a dombra"), ("accordion", "an accordion"), ("kobyz", "a kobyz")]
    values: list[dict[str, str]] = []
    for i in range(12):
        hero, first, they, them, their, they_cap = people[i % len(people)]
        home, city, abroad = places[i % len(places)]
        instrument, instrument_a = instruments[i % len(instruments)]
        values.append({
            "hero": hero, "first": first, "they": they, "them": them, "their": their,
            "They": they_cap, "home": home, "city": city, "abroad": abroad,
            "instrument": instrument, "instrument_a": instrument_a, "genre": "folk rock",
            "prize": "the Voice of the Steppe", "Album": "Nomad Heart", "year": str(2015 + i),
            "age": "nine", "nationality": "Kazakh", "region": "Central Asia",
            "teacher": "old Mr. Seitkali", "generation": "a whole generation",
        })
    return values


def jinja_row() -> Work:
    import jinja2

    template = jinja2.Environment(autoescape=False).from_string(JINJA_TEMPLATE.read_text("utf-8"))
    values = jinja_values()

    def work(out: TextIO, count: int) -> int:
        for i in range(count):
            if i:
                out.write(STORY_BREAK)
            out.write(template.render(values[i % len(values)]))
            out.write("\n")
        return 0

    return work


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    count: int
    build: Callable[[], Work]


ROWS = {
    row.name: row
    for row in (
        Row("storygen-text", "storygen text", 20_000, storygen_text),
        Row("storygen-jsonl", "storygen JSONL", 20_000, storygen_jsonl),
        Row("tracery", "pytracery", 1_000, tracery_row),
        Row("markovify", "markovify", 1_000, markovify_row),
        Row("jinja2", "bare Jinja2", 20_000, jinja_row),
    )
}


@dataclass(frozen=True)
class Target:
    numerator: str
    denominator: str
    minimum: float | None  # None: reported, no target


TARGETS = (
    Target("storygen-text", "jinja2", 1.0),
    Target("storygen-text", "tracery", 50.0),
    Target("storygen-jsonl", "jinja2", 0.5),
    Target("storygen-text", "markovify", None),
)


# --------------------------------------------------------------------------------------------
# One row, in this (child) process.
# --------------------------------------------------------------------------------------------


def timed_run(work: Work, count: int, path: Path) -> tuple[float, int, int]:
    """Write `count` stories to a fresh file like the CLI does: (seconds, bytes, units)."""
    start = time.perf_counter()
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        units = work(out, count)
    seconds = time.perf_counter() - start
    return seconds, path.stat().st_size, units


def run_row(name: str, repeats: int, scale: float) -> dict[str, Any]:
    """Set up one row, warm it up, time it `repeats` times; the result as a JSON-able dict."""
    row = ROWS[name]
    count = max(1, round(row.count * scale))
    work = row.build()
    with tempfile.TemporaryDirectory(prefix="storygen-bench-") as tmp:
        path = Path(tmp) / f"{name}.out"
        timed_run(work, max(1, count // 10), path)  # warm-up
        runs = [timed_run(work, count, path) for _ in range(repeats)]
    seconds = [r[0] for r in runs]
    median = statistics.median(seconds)
    size = runs[0][1]
    result: dict[str, Any] = {
        "row": name,
        "count": count,
        "repeats": repeats,
        "seconds": seconds,
        "median_s": median,
        "bytes": size,
        "stories_per_s": count / median,
        "mb_per_s": size / median / 1e6,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "note": "",
    }
    if name == "markovify":
        attempted = count * MARKOV_SENTENCES
        made = runs[0][2]
        result["note"] = (f"{made}/{attempted} sentences produced ({attempted - made} None skipped),"
                          f" {made / median:,.0f} sentences/s")
    return result


# --------------------------------------------------------------------------------------------
# The main table, in the parent process.
# --------------------------------------------------------------------------------------------


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def print_machine() -> None:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(
        f"{p} {package_version(p)}" for p in ("storygen", "numpy", "jinja2", "tracery", "markovify")
    )
    print("Machine")
    print(f"  platform : {platform.platform()}")
    print(f"  cpu      : {cpu_model()}")
    print(f"  cores    : {os.cpu_count()} (usable by this process: {usable})")
    print(f"  python   : {platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    print(f"  packages : {versions}")
    print()


def run_child(name: str, repeats: int, scale: float) -> dict[str, Any]:
    """Run one row in a fresh interpreter (`bench.py --row NAME`) and read its JSON line."""
    script = str(Path(__file__).resolve())
    argv = [sys.executable, script, "--row", name, "--repeats", str(repeats), "--scale", str(scale)]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"row {name} failed (exit {done.returncode}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def print_table(results: dict[str, dict[str, Any]]) -> None:
    header = (f"{'row':<16} {'stories':>8} {'median s':>9} {'stories/s':>10} {'MB/s':>7} {'KB/story':>9}"
              f" {'peak RSS':>10}  note")
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        print(
            f"{ROWS[name].label:<16} {r['count']:>8} {r['median_s']:>9.3f} {r['stories_per_s']:>10,.0f}"
            f" {r['mb_per_s']:>7.1f} {r['bytes'] / r['count'] / 1e3:>9.2f}"
            f" {r['peak_rss_kib'] / 1024:>7.1f} MiB  {r['note']}"
        )
    print()


def print_ratios(rounds: list[dict[str, dict[str, Any]]]) -> None:
    print(f"{'ratio':<34} {'stories/s':>10} {'MB/s':>8}  target   (per round)")
    for t in TARGETS:
        if any(t.numerator not in r or t.denominator not in r for r in rounds):
            continue
        # Paired within each round (the rows ran minutes apart at most), then the median round.
        by_story = [r[t.numerator]["stories_per_s"] / r[t.denominator]["stories_per_s"] for r in rounds]
        by_bytes = [r[t.numerator]["mb_per_s"] / r[t.denominator]["mb_per_s"] for r in rounds]
        story, size = statistics.median(by_story), statistics.median(by_bytes)
        label = f"{ROWS[t.numerator].label} / {ROWS[t.denominator].label}"
        if t.minimum is None:
            verdict = "(no target)"
        else:
            verdict = f">= {t.minimum:.1f}  {'PASS' if story >= t.minimum else 'MISS'}"
        each = " ".join(f"{x:.2f}" for x in by_story)
        print(f"{label:<34} {story:>9.2f}x {size:>7.2f}x  {verdict:<13} ({each})")
    print("(targets are judged on stories/s: the median over rounds of the ratio within each round)")
    print()


def pooled(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Each row over all rounds: the median of every timed run, the highest peak RSS."""
    results: dict[str, dict[str, Any]] = {}
    for name in rounds[0]:
        runs = [r[name] for r in rounds]
        seconds = [s for run in runs for s in run["seconds"]]
        median = statistics.median(seconds)
        first = runs[0]
        results[name] = {
            **first,
            "seconds": seconds,
            "median_s": median,
            "stories_per_s": first["count"] / median,
            "mb_per_s": first["bytes"] / median / 1e6,
            "peak_rss_kib": max(run["peak_rss_kib"] for run in runs),
        }
    return results


def main_table(rows: Sequence[str], repeats: int, scale: float, rounds: int) -> None:
    print(f"Throughput: {rounds} rounds; in each, every row runs in a fresh subprocess (one warm-up, then "
          f"{repeats} timed runs), the order rotating from round to round. The table gives the median of all "
          f"{rounds * repeats} timed runs per row; seed {SEED}; MB/s = UTF-8 bytes written / 1e6 / s")
    print()
    per_round: list[dict[str, dict[str, Any]]] = []
    for number in range(rounds):
        shift = number % len(rows)
        results: dict[str, dict[str, Any]] = {}
        for name in [*rows[shift:], *rows[:shift]]:
            if sys.stderr.isatty():
                print(f"  round {number + 1}/{rounds}: {name} ...", file=sys.stderr, flush=True)
            results[name] = run_child(name, repeats, scale)
        per_round.append({name: results[name] for name in rows})
    print_table(pooled(per_round))
    print_ratios(per_round)


# --------------------------------------------------------------------------------------------
# Extra modes, each driving the `storygen` command in subprocesses.
# --------------------------------------------------------------------------------------------


def storygen_exe() -> str:
    """The storygen executable installed next to this interpreter (else the one on PATH)."""
    beside = Path(sys.executable).parent / "storygen"
    if beside.exists():
        return str(beside)
    found = shutil.which("storygen")
    if found is None:
        raise SystemExit("storygen executable not found: pip install -e . first")
    return found


def wall_time(argv: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True, cwd=cwd, env=env)
    return time.perf_counter() - start


def median_wall_time(argv: Sequence[str], repeats: int, env: dict[str, str] | None = None) -> float:
    wall_time(argv, env=env)  # warm-up: caches, and bytecode written where it may be
    return statistics.median(wall_time(argv, env=env) for _ in range(repeats))


def import_times(module: str, top: int) -> list[tuple[int, int, str]]:
    """The `top` entries of `python -X importtime -c "import module"` by cumulative time (us)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True, text=True, check=True, cwd=ROOT, env=env,
    )
    entries: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (.*)$", line)
        if match:
            entries.append((int(match.group(1)), int(match.group(2)), match.group(3).rstrip()))
    return sorted(entries, key=lambda e: e[1], reverse=True)[:top]


TYPER_APP = "import typer; app = typer.Typer(); app.command()(lambda count: None); app(['3'], standalone_mode=False)"


def startup_mode(repeats: int = 10) -> None:
    print(f"== Startup: median wall time of {repeats} runs (after one warm-up) ==")
    # As installed software runs: with bytecode caches (some shells set PYTHONDONTWRITEBYTECODE).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = {
        "storygen --count 50 --seed 7 > /dev/null": [storygen_exe(), "--count", "50", "--seed", str(SEED)],
        'python -c "import numpy, jinja2"': [sys.executable, "-c", "import numpy, jinja2"],
        "python -c <numpy + a one-option typer app>": [sys.executable, "-c", f"import numpy; {TYPER_APP}"],
        'python -c "pass"': [sys.executable, "-c", "pass"],
    }
    times = {label: median_wall_time(argv, repeats, env) for label, argv in commands.items()}
    for label, seconds in times.items():
        print(f"  {label:<45} {seconds * 1e3:>8.1f} ms")
    labels = list(times)
    for floor, what in ((labels[1], "numpy+jinja2 import"), (labels[2], "numpy + typer app")):
        print(f"  storygen over the {what} floor: {(times[labels[0]] - times[floor]) * 1e3:+.1f} ms "
              f"({times[labels[0]] / times[floor]:.2f}x)")
    print()
    print('  top 10 cumulative imports of python -X importtime -c "import generator.cli":')
    print(f"  {'self ms':>8} {'cumul ms':>9}  module")
    for self_us, cumulative_us, name in import_times("generator.cli", 10):
        print(f"  {self_us / 1e3:>8.1f} {cumulative_us / 1e3:>9.1f}  {name}")
    print()


@dataclass(frozen=True)
class ChildUsage:
    seconds: float
    peak_rss_kib: int
    how: str


def measure_child(argv: Sequence[str]) -> ChildUsage:
    """Wall time and peak RSS of one command: /usr/bin/time -v if present, else os.wait4."""
    start = time.perf_counter()
    if GNU_TIME.exists():
        done = subprocess.run([str(GNU_TIME), "-v", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr}")
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        if match is None:
            raise SystemExit(f"cannot read peak RSS from /usr/bin/time -v:\n{done.stderr}")
        return ChildUsage(seconds, int(match.group(1)), "/usr/bin/time -v")
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not all children's
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit {process.returncode}")
    return ChildUsage(seconds, usage.ru_maxrss, "os.wait4 rusage")


def streaming_mode(small: int = 10_000, large: int = 1_000_000) -> None:
    print(f"== Streaming: peak RSS of storygen --count {small:,} vs --count {large:,} (text, to a file) ==")
    usages: dict[int, ChildUsage] = {}
    with tempfile.TemporaryDirectory(prefix="storygen-bench-") as tmp:
        path = Path(tmp) / "stories.txt"
        for count in (small, large):
            argv = [storygen_exe(), "--count", str(count), "--seed", str(SEED), "-o", str(path)]
            usages[count] = measure_child(argv)
            size = path.stat().st_size
            path.unlink()
            u = usages[count]
            print(f"  --count {count:>9,}: peak RSS {u.peak_rss_kib / 1024:7.1f} MiB, {u.seconds:7.1f} s, "
                  f"{size / 1e6:8.1f} MB written, {count / u.seconds:,.0f} stories/s  ({u.how})")
    ratio = usages[large].peak_rss_kib / usages[small].peak_rss_kib
    verdict = "PASS" if ratio <= 1.10 else "MISS"
    print(f"  peak RSS ratio {large:,} / {small:,}: {ratio:.3f}  target <= 1.10  {verdict}")
    print()


# Names and towns for the learning corpus copies: each copy's protagonist gets a fresh name.
MALE_NAMES = ("Arman", "Askar", "Daniyar", "Yerlan", "Nurlan", "Timur", "Serik", "Kairat", "Azamat", "Dauren")
FEMALE_NAMES = ("Aigerim", "Dana", "Madina", "Aruzhan", "Saule", "Gulnara", "Zhanar", "Ainur", "Dinara", "Kamila")
SURNAMES = (
    "Abenov", "Akhmetov", "Bekmukhanov", "Dosmukhamedov", "Ermekov", "Iskakov", "Kassymov", "Mukanov", "Omarov", "Sadykov",
)
# Hometowns swapped per copy. Almaty and Astana stay: the seeds state facts about them
# ("Almaty, the largest city"), and swapping those would make the copies false.
TOWN_SWAPS = {
    "Kyzylorda": ("Aktobe", "Atyrau", "Karaganda", "Kostanay", "Pavlodar", "Semey", "Taraz", "Oskemen", "Petropavl", "Shymkent"),
}


@dataclass(frozen=True)
class Protagonist:
    full: str
    first: str
    pronouns: str


def seed_protagonists(seed_dir: Path) -> dict[str, Protagonist]:
    """Each seed's protagonist, as `storygen learn --report` names it."""
    with tempfile.TemporaryDirectory(prefix="storygen-bench-") as tmp:
        done = subprocess.run(
            [storygen_exe(), "learn", str(seed_dir), "-o", str(Path(tmp) / "grammar.json"), "--report"],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
    found: dict[str, Protagonist] = {}
    pattern = r"^(\S+): protagonist '([^']+)' \(first name '([^']+)'\), pronouns (\w+)"
    for match in re.finditer(pattern, done.stdout, re.MULTILINE):
        found[match.group(1)] = Protagonist(match.group(2), match.group(3), match.group(4))
    return found


def new_name(hero: Protagonist, copy: int, seed_number: int) -> tuple[str, str]:
    """A full and first name for copy `copy` of a seed (distinct for up to 100 copies)."""
    female = hero.pronouns == "she"
    first = (FEMALE_NAMES if female else MALE_NAMES)[copy % 10]
    surname = SURNAMES[(copy // 10 + seed_number) % 10] + ("a" if female else "")
    return f"{first} {surname}", first


def substitute(text: str, hero: Protagonist, copy: int, seed_number: int) -> str:
    """The seed text with the protagonist renamed and hometowns swapped for this copy."""
    full, first = new_name(hero, copy, seed_number)
    text = re.sub(rf"\b{re.escape(hero.full)}\b", full, text)
    text = re.sub(rf"\b{re.escape(hero.first)}\b", first, text)
    for town, swaps in TOWN_SWAPS.items():
        text = re.sub(rf"\b{re.escape(town)}\b", swaps[(copy + seed_number) % len(swaps)], text)
    return text


def make_corpus(target: Path, copies: int, heroes: dict[str, Protagonist]) -> int:
    """Write `copies` renamed copies of every seed into `target`; return how many files."""
    seeds = sorted(SEEDS.glob("*.txt"))
    target.mkdir(parents=True, exist_ok=True)
    number = 0
    for copy in range(copies):
        for i, path in enumerate(seeds):
            text = substitute(path.read_text("utf-8"), heroes[path.name], copy, i)
            (target / f"{number:05d}_copy{copy}_{path.stem.split('_', 1)[-1]}.txt").write_text(text, "utf-8")
            number += 1
    return number


def learning_mode(repeats: int = 3) -> None:
    print(f"== Learning: storygen learn DIR -o grammar.json (median of {repeats}; wall time incl. start-up) ==")
    heroes = seed_protagonists(SEEDS)
    rows: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="storygen-bench-") as tmp:
        out = Path(tmp) / "grammar.json"
        corpora = {"seeds/ (1x)": SEEDS}
        for copies in (10, 100):
            corpora[f"{copies}x copies"] = Path(tmp) / f"x{copies}"
            make_corpus(corpora[f"{copies}x copies"], copies, heroes)
        for label, directory in corpora.items():
            files = len(list(directory.glob("*.txt")))
            argv = [storygen_exe(), "learn", str(directory), "-o", str(out)]
            seconds = statistics.median(wall_time(argv) for _ in range(repeats))
            rows.append((label, files, seconds))
    print(f"  {'corpus':<14} {'seeds':>6} {'seconds':>9} {'s/seed':>9} {'marginal s/seed':>16}")
    previous: tuple[int, float] | None = None
    for label, files, seconds in rows:
        marginal = "" if previous is None else f"{(seconds - previous[1]) / (files - previous[0]):.4f}"
        print(f"  {label:<14} {files:>6} {seconds:>9.3f} {seconds / files:>9.4f} {marginal:>16}")
        previous = (files, seconds)
    print("  (marginal s/seed = extra seconds per extra seed from the row above; about equal => linear)")
    print()


WORKERS_TARGET = 1.6  # --workers 2 over --workers 1, stories/s, on a 2-core machine


def workers_mode(count: int = 200_000, rounds: int = ROUNDS) -> None:
    print(f"== Workers: storygen --count {count:,} --workers 1 vs 2, to a file; {rounds} rounds, the order "
          f"alternating, each speed-up paired within its round ==")
    done = subprocess.run([storygen_exe(), "--help"], capture_output=True, text=True, cwd=ROOT, check=False)
    if "--workers" not in done.stdout:
        print("  skipped: --workers not available")
        print()
        return
    for suffix in (".txt", ".jsonl"):
        speedups: list[float] = []
        same = True
        for number in range(rounds):
            with tempfile.TemporaryDirectory(prefix="storygen-bench-") as tmp:
                seconds: dict[int, float] = {}
                paths: dict[int, Path] = {}
                for workers in ((1, 2) if number % 2 == 0 else (2, 1)):
                    paths[workers] = Path(tmp) / f"workers{workers}{suffix}"
                    argv = [storygen_exe(), "--count", str(count), "--seed", str(SEED), "--workers", str(workers),
                            "-o", str(paths[workers])]
                    seconds[workers] = wall_time(argv)
                same = same and filecmp.cmp(paths[1], paths[2], shallow=False)
            speedups.append(seconds[1] / seconds[2])
            print(f"  {suffix[1:]:<5} round {number + 1}: --workers 1 {seconds[1]:6.2f} s, --workers 2 {seconds[2]:6.2f} s"
                  f" ({count / seconds[2]:>8,.0f} stories/s): {speedups[-1]:.2f}x")
        median = statistics.median(speedups)
        verdict = "PASS" if median >= WORKERS_TARGET else "MISS"
        print(f"  {suffix[1:]:<5} speed-up with 2 workers: {median:.2f}x (median round)  target >= {WORKERS_TARGET}  "
              f"{verdict}; outputs byte-identical: {'yes' if same else 'NO'}")
    print()


# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--row", choices=list(ROWS), help="internal: run one row here and print JSON")
    parser.add_argument("--rows", nargs="+", choices=list(ROWS), default=list(ROWS), help="rows of the main table")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs per row and round")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of the table (rows interleave across rounds)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every row's story count (e.g. 0.1 for a quick look)")
    parser.add_argument("--startup", action="store_true", help="CLI start-up time and import profile")
    parser.add_argument("--streaming", action="store_true", help="peak RSS of 10k vs 1M stories")
    parser.add_argument("--learning", action="store_true", help="learning time on 1x, 10x, 100x corpora")
    parser.add_argument("--workers", action="store_true", help="--workers 1 vs 2, if the CLI has it")
    parser.add_argument("--all", action="store_true", help="the table and every extra mode")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.row:
        print(json.dumps(run_row(args.row, args.repeats, args.scale)))
        return
    modes: dict[str, Callable[[], None]] = {
        "startup": startup_mode, "streaming": streaming_mode, "learning": learning_mode, "workers": workers_mode,
    }
    chosen = [name for name in modes if args.all or getattr(args, name)]
    print_machine()
    if args.all or not chosen:
        main_table(args.rows, args.repeats, args.scale, args.rounds)
    for name in chosen:
        modes[name]()


if __name__ == "__main__":
    main()
