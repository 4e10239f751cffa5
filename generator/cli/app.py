"""The `storygen` command: the only place that parses arguments, opens output files or exits."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from .. import __version__
from ..errors import ArgumentError, StorygenError, UsageError
from .atomic import remove_unfinished
from .options import CultureOption, GrammarOption, Making, PhasesOption, ProfileOption, SentencesOption, SetOption, SplitOption
from .output import ReaderGone, open_output, progress_bar, write_out_dir, write_stream
from .signals import Interrupted, stop_on_signals

if TYPE_CHECKING:
    from ..learn.induce import SeedReport
    from ..model.grammar import Grammar
    from ..tools.fixture import Overrides

app = typer.Typer(
    name="storygen",
    help="Generate reproducible musician stories from slot grammars learned from seed stories.",
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"storygen {__version__}")
        raise typer.Exit()


def resolve_format(fmt: str | None, output: Path | None) -> str:
    """--format wins; else the output file's extension; else text."""
    from ..formats import registry

    if fmt is not None:
        if fmt not in registry.FORMATS:
            raise UsageError(f"--format: unknown format '{fmt}' (known: {', '.join(registry.FORMATS)})")
        return fmt
    if output is None:
        return registry.DEFAULT.name
    found = registry.for_extension(output.suffix)
    if found is not None:
        return found.name
    known = ", ".join(registry.extensions())
    raise UsageError(f"-o {output}: cannot tell the format from '{output.suffix or 'no extension'}' (known: {known}; or pass --format)")


def _format_help() -> str:
    """--format's help: the registered formats. Called each time the command is built (annotations
    are evaluated then, see `from __future__ import annotations`), so a format registered later shows."""
    from ..formats import registry

    *most, last = registry.FORMATS
    names = f"{', '.join(most)} or {last}" if most else last
    return f"Output format: {names} (default: from -o's extension, else {registry.DEFAULT.name})."


@app.callback(invoke_without_command=True)
def generate(
    ctx: typer.Context,
    count: Annotated[int, typer.Option("--count", "-n", min=0, help="How many stories to write.")] = 10,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Seed: the same seed always gives the same stories.")] = 0,
    start: Annotated[int, typer.Option("--start", min=0, help="Index of the first story (story i never depends on --count).")] = 0,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=_format_help())] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False, help="Write to this file (atomically) instead of stdout.")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", file_okay=False, help="Write one .txt file per story plus manifest.jsonl into this folder.")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=256, help="Processes to generate with; the output is byte-identical for any number.")] = 1,
    grammar: GrammarOption = None,
    culture: CultureOption = "kazakh",
    settings: SetOption = None,
    phases: PhasesOption = None,
    sentences: SentencesOption = None,
    split: SplitOption = None,
    profile: ProfileOption = "default",
    force: Annotated[bool, typer.Option("--force", help="With --out-dir: clear a folder that holds an earlier run's files first.")] = False,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal and the stories are not printed on it).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Generate stories (the default command): storygen --count 50 --seed 7"""
    if ctx.invoked_subcommand is not None:
        return
    from ..engine import check_indices, check_seed

    check_seed(seed)
    check_indices(start, count)
    if out_dir is not None and (output is not None or fmt is not None):
        raise UsageError("--out-dir writes .txt files and a manifest; it cannot be combined with -o or --format")
    kind = resolve_format(fmt, output)
    from ..formats import registry

    registry.get(kind).ready()  # a missing optional dependency is told before anything is loaded or made
    generator, load_args = Making(grammar, culture, settings, phases, sentences, split, profile).generator()
    with progress_bar(progress, count, output if out_dir is None else out_dir) as bar:
        if out_dir is not None:
            write_out_dir(generator, out_dir, seed, start, count, bar, force)
            return
        with open_output(output, _inputs(grammar, culture)) as out:
            write_stream(generator, kind, seed, start, count, workers, load_args, out, bar, output)


def _inputs(grammar: Path | None, culture: str) -> list[tuple[str, Path]]:
    """The files a generation run reads, which its output must not replace."""
    from ..load.culture import culture_path
    from ..paths import default_grammar

    return [("the grammar file" if grammar else "the packaged grammar", grammar or default_grammar()),
            ("the culture pack", culture_path(culture))]


@app.command()
def learn(
    seeds: Annotated[Path, typer.Argument(help="Folder of seed stories, one UTF-8 .txt file per story.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False, help="Write the grammar here (default: stdout).")] = None,
    name: Annotated[str, typer.Option("--name", help="Name recorded in the grammar.")] = "musician",
    report: Annotated[bool, typer.Option("--report", help="Print what was learned from each seed.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat every warning (a seed's proper noun, or a word of its world, that no slot took) as an error: write nothing.")] = False,
) -> None:
    """Learn a slot grammar from seed stories: storygen learn seeds/ -o grammars/musician.json"""
    from ..errors import SeedError
    from ..learn.induce import learn as induce
    from ..load.grammar import to_json
    from ..load.seeds import read_seeds

    grammar, reports = induce(read_seeds(seeds), name)
    warnings = [f"{seeds / r.file}: sentence {sid}: '{word}' is a proper noun that no slot took, so its unit is "
                f"told only when its seed is regenerated, never in a sampled story" for r in reports for sid, word in r.leaks]
    warnings += [f"{seeds / r.file}: sentence {sid}: '{word}' is a word of its seed's world, not of English, that no slot "
                 f"took, so its unit is told only when its seed is regenerated, never in a sampled story"
                 for r in reports for sid, word in r.world_words]
    if strict and warnings:
        more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
        raise SeedError(warnings[0] + more)
    for warning in warnings:
        print(f"storygen: warning: {warning}", file=sys.stderr)
    with open_output(output, [("a seed story", path) for path in sorted(seeds.glob("*.txt"))]) as out:
        out.write(to_json(grammar))
    if report:
        _print_report(grammar, reports, sys.stdout if output is not None else sys.stderr)


def _print_report(grammar: Grammar, reports: list[SeedReport], stream: TextIO) -> None:
    from .learn_report import report_lines

    for line in report_lines(grammar, reports):
        print(line, file=stream)


@app.command()
def stats(
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many stories to measure.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Seed of the stories to measure.")] = 0,
    start: Annotated[int, typer.Option("--start", min=0, help="Index of the first story to measure.")] = 0,
    grammar: GrammarOption = None,
    culture: CultureOption = "kazakh",
    settings: SetOption = None,
    phases: PhasesOption = None,
    sentences: SentencesOption = None,
    split: SplitOption = None,
    profile: ProfileOption = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
) -> None:
    """Quality figures over many stories, made with any generation option: storygen stats --count 1000 --seed 7"""
    import json

    from ..engine import check_indices, check_seed
    from ..tools.stats import format_figures, measure

    check_seed(seed)
    check_indices(start, count)
    generator, _ = Making(grammar, culture, settings, phases, sentences, split, profile).generator()
    figures = measure(generator.stories(seed, start, count), generator.grammar)
    with open_output(None) as out:
        out.write(json.dumps(figures.to_dict(), indent=2) + "\n" if as_json else format_figures(figures))


@app.command()
def explain(
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Seed of the story.")] = 0,
    index: Annotated[int, typer.Option("--index", "-i", min=0, help="Index of the story.")] = 0,
    grammar: GrammarOption = None,
    culture: CultureOption = "kazakh",
    settings: SetOption = None,
    phases: PhasesOption = None,
    sentences: SentencesOption = None,
    split: SplitOption = None,
    profile: ProfileOption = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
) -> None:
    """Show each sentence of a story (made with any generation option) with its phase, template, source seed sentence and fills."""
    import json

    from ..engine import check_indices, check_seed
    from ..tools.explain import explain as explain_story
    from ..tools.explain import format_explanation

    check_seed(seed)
    check_indices(index, 1)
    generator, _ = Making(grammar, culture, settings, phases, sentences, split, profile).generator()
    data = explain_story(generator, seed, index)
    with open_output(None) as out:
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n" if as_json else format_explanation(data))


@app.command()
def check(
    grammar: Annotated[Path, typer.Argument(dir_okay=False, help="Grammar file to check.")],
    culture: Annotated[str, typer.Option("--culture", help="Culture pack to check against: a packaged name, a .json path, "
                                         "or 'all' for every packaged pack (see: storygen cultures).")] = "kazakh",
    count: Annotated[int | None, typer.Option("--count", "-n", min=1, help="Warn if this many stories would exceed the grammar's capacity.")] = None,
) -> None:
    """Lint a grammar: every problem with its file:line and JSON path, and how many stories it can make."""
    from ..lint import check_grammar_file, format_report
    from ..load.culture import available, load_culture

    names = available() if culture == "all" else [culture]
    problems, capacity = check_grammar_file(grammar, [load_culture(name) for name in names])
    with open_output(None) as out:
        out.write(format_report(problems, capacity, count) + "\n")
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a JSONL / JSON story record."""
    import json

    from ..tools.schema import record_schema

    with open_output(None) as out:
        out.write(json.dumps(record_schema(), indent=2) + "\n")


@app.command()
def verify(
    fixture: Annotated[Path, typer.Argument(help="A file storygen wrote (any format), an --out-dir folder or its manifest.jsonl, or - for stdin (with --format).")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="Format of the file (default: from its extension).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", "-s", min=0, help="Seed, for text files, which do not record it (else: overrides the file's).")] = None,
    start: Annotated[int | None, typer.Option("--start", min=0, help="Index of the first story, for text files (else: overrides the file's).")] = None,
    grammar: GrammarOption = None,
    culture: Annotated[str | None, typer.Option("--culture", help="Culture pack (default: the one the file records).")] = None,
    settings: SetOption = None,
    phases: PhasesOption = None,
    sentences: SentencesOption = None,
    split: SplitOption = None,
    profile: Annotated[str | None, typer.Option("--profile", help="Profile (default: the one the file records).")] = None,
) -> None:
    """Regenerate a fixture from what it records (options only override); exit 0 if identical, else 1 with the first difference."""
    from ..formats.registry import FORMATS
    from ..tools.fixture import checked, generator_for, read_fixture, run_for
    from ..tools.folder import manifest_of, read_manifest, verify_folder

    name = "stdin" if str(fixture) == "-" else str(fixture)
    manifest = manifest_of(fixture) if name != "stdin" and fmt is None else None
    if manifest is not None:
        form = FORMATS["jsonl"]  # a manifest's lines are JSON records, each with the run's meta
        text, entries = read_manifest(manifest)
        meta = checked(entries[0].get("meta") if entries else None, form)
        ids: list[tuple[int, int]] | None = [(int(e["seed"]), int(e["index"])) for e in entries]
        counted = None
    else:
        kind, data = _read_fixture(fixture, fmt)
        form = FORMATS[kind]
        read = read_fixture(data, form, name)
        meta, ids, counted = read.meta, read.ids, read.counted
    pack = culture or (meta or {}).get("culture") or "kazakh"  # what --set is read against
    given = _overrides(seed, start, grammar, culture, pack, settings, phases, sentences, split, profile)
    run = run_for(meta, ids, counted, form, given)
    generator = generator_for(meta, given)
    verdict = (verify_folder(manifest.parent, text, entries, generator, run) if manifest is not None
               else read.verify(form, generator, run))
    if verdict.identical:
        print(f"{name}: {verdict.message}")
        return
    hint = "" if meta is not None or not verdict.stories else (
        f" (a {form.name} file does not record what made it: were all the options it was made with given?)")
    print(f"{name}: {verdict.message}{hint}", file=sys.stderr)
    raise typer.Exit(1)


def _read_fixture(fixture: Path, fmt: str | None) -> tuple[str, bytes]:
    """The fixture's format and bytes; '-' is stdin, whose format --format must give."""
    if str(fixture) == "-":
        if fmt is None:
            raise UsageError("verify -: stdin has no file extension to tell the format by: pass --format")
        return resolve_format(fmt, None), sys.stdin.buffer.read()
    try:
        kind = resolve_format(fmt, fixture)
    except UsageError as exc:
        raise UsageError(str(exc).replace(f"-o {fixture}:", f"verify {fixture}:", 1)) from None
    try:
        return kind, fixture.read_bytes()
    except FileNotFoundError:
        raise StorygenError(f"{fixture}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"verify {fixture}: a folder that --out-dir did not write (it has no manifest.jsonl)") from None
    except OSError as exc:
        raise StorygenError(f"{fixture}: cannot read ({exc.strerror})") from None


def _overrides(seed: int | None, start: int | None, grammar: Path | None, culture: str | None, pack: str,
               settings: list[str] | None, phases: str | None, sentences: str | None, split: str | None,
               profile: str | None) -> Overrides:
    """The options verify was given, parsed (--set against the culture pack `pack`)."""
    from ..load.culture import load_culture
    from ..sample.controls import parse_phases, parse_sentences, parse_settings
    from ..tools.fixture import Overrides

    chosen = parse_settings(settings, load_culture(pack)) if settings else None
    return Overrides(seed, start, grammar, culture, profile, split, chosen, parse_phases(phases) if phases else None,
                     parse_sentences(sentences) if sentences else None)


@app.command()
def cultures() -> None:
    """List the packaged culture packs."""
    from ..load.culture import available, load_culture

    with open_output(None) as out:
        for name in available():
            pack = load_culture(name)
            out.write(f"{name:<10} {pack.country:<12} {pack.description}\n")


def main(argv: list[str] | None = None) -> None:
    """Entry point: one line on stderr for any error, exit 1 (2 for usage), never a traceback, and
    no temporary file left however the run ended."""
    stop_on_signals()
    try:
        _run(argv)
    finally:
        remove_unfinished()


def _run(argv: list[str] | None) -> None:
    """The command, each way it can end turned into its message and exit code."""
    command = typer.main.get_command(app)
    try:
        # Without standalone mode click returns an Exit's code instead of exiting.
        code = command.main(args=argv, prog_name="storygen", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except StorygenError as exc:
        _error(exc.option_message if isinstance(exc, ArgumentError) else str(exc))
        sys.exit(exc.exit_code)
    except ReaderGone:
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:
        # Click's usage errors (typer may vendor its own click, so match on the interface).
        code = getattr(exc, "exit_code", None)
        if hasattr(exc, "format_message") and isinstance(code, int):
            _error(exc.format_message())
            sys.exit(code)
        raise


def _error(message: str) -> None:
    """One line on stderr, even when the message quotes user input holding line breaks."""
    print("storygen: error: " + message.replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)


if __name__ == "__main__":
    main()
