"""The options every command that makes stories takes, and what they add up to: the keyword
arguments of `StoryGenerator.load`, validated against the culture pack."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from ..engine import StoryGenerator
    from ..model.controls import Controls
    from ..model.culture import Culture

GrammarOption = Annotated[Path | None, typer.Option("--grammar", "-g", dir_okay=False, help="Grammar file (default: the packaged musician grammar).")]
CultureOption = Annotated[str, typer.Option("--culture", help="Culture pack: a packaged name or a .json path (see: storygen cultures).")]
SetOption = Annotated[list[str] | None, typer.Option("--set", help="Fix a slot, e.g. --set instrument=violin --set pronouns=they (repeatable).")]
PhasesOption = Annotated[str | None, typer.Option("--phases", help="Only these phases, comma-separated, e.g. origin,struggle.")]
SentencesOption = Annotated[str | None, typer.Option("--sentences", help="Bounds on sentences per story, MIN:MAX, e.g. 8:16; bounds the grammar cannot keep for every story are refused.")]
SplitOption = Annotated[str | None, typer.Option("--split", help="Use only the train or the test templates; the two splits share none.")]
PROFILE_HELP = "default, or stress: names and places with diacritics, apostrophes, hyphens, several words."
ProfileOption = Annotated[str, typer.Option("--profile", help=PROFILE_HELP)]


@dataclass(frozen=True)
class Making:
    """The generation options as given on the command line."""

    grammar: Path | None
    culture: str
    settings: list[str] | None
    phases: str | None
    sentences: str | None
    split: str | None
    profile: str

    def load_args(self) -> dict[str, Any]:
        """Everything StoryGenerator.load needs, validated, by name: picklable for worker
        processes, which load their own. A user's grammar file is checked first, like `storygen check`."""
        from ..load.culture import apply_profile, load_culture

        pack = load_culture(self.culture)
        apply_profile(pack, self.profile)  # an unknown profile is refused before the grammar is read
        controls = parse_controls(self.settings, self.phases, self.sentences, pack)
        if self.grammar is not None:
            validate_grammar(self.grammar, pack)
        return {"grammar_path": self.grammar, "culture": self.culture, "profile": self.profile, "split": self.split,
                "controls": controls, "pack": pack}

    def generator(self) -> tuple[StoryGenerator, dict[str, Any]]:
        """The generator these options make (the culture pack read once), and its load arguments."""
        from ..engine import StoryGenerator

        args = self.load_args()
        pack = args.pop("pack")
        made = StoryGenerator.load(args["grammar_path"], pack, profile=self.profile, split=self.split, controls=args["controls"])
        return made, args


def parse_controls(settings: list[str] | None, phases: str | None, sentences: str | None, pack: Culture) -> Controls:
    """--set, --phases and --sentences as Controls, checked against the culture pack `pack`."""
    from ..model.controls import Controls
    from ..sample.controls import parse_phases, parse_sentences, parse_settings

    values, pronouns = parse_settings(settings or [], pack)
    low, high = parse_sentences(sentences) if sentences else (0, None)
    return Controls(values, pronouns, parse_phases(phases) if phases else None, low, high)


def validate_grammar(path: Path, culture: Culture) -> None:
    """Run `storygen check` before generating from a user's grammar; stop at its first error."""
    from ..errors import GrammarError
    from ..lint import check_grammar_file

    problems, _ = check_grammar_file(path, culture)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more: storygen check {path})" if len(errors) > 1 else ""
        raise GrammarError(f"{errors[0].location}: {errors[0].message}{more}")
