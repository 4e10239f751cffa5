"""What `storygen verify` regenerates: the generator and the run a fixture records, with any
option given on the command line in place of what the file says."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..engine import StoryGenerator
from ..errors import GrammarError, StorygenError, UsageError
from ..formats.base import Format, StoryId, WholeFormat, ids_of
from ..model.controls import Controls
from ..model.record import RECORD_VERSION
from .verify import Run, Verdict, story_ids, verify, verify_whole

NEEDS = ("pass --seed (and --start if not 0) and every option it was made with "
         "(--grammar, --culture, --profile, --set, --phases, --sentences, --split)")


@dataclass(frozen=True)
class Overrides:
    """Options given to verify; None (or, for `settings`, an empty value) keeps the file's."""

    seed: int | None = None
    start: int | None = None
    grammar: Path | None = None
    culture: str | None = None
    profile: str | None = None
    split: str | None = None
    settings: tuple[dict[str, str], str | None] | None = None  # --set: slot values and pronouns
    phases: tuple[str, ...] | None = None
    sentences: tuple[int, int | None] | None = None


@dataclass(frozen=True)
class Fixture:
    """A fixture as read: its bytes, what made it (if it records it), its stories' ids (if it
    records them, else `counted`: how many it holds), and its text or, for a binary format
    written whole, its documents."""

    data: bytes
    meta: dict[str, Any] | None
    ids: list[StoryId] | None
    counted: int | None
    content: str = ""
    docs: list[dict[str, Any]] | None = None

    def verify(self, fmt: Format, generator: StoryGenerator, run: Run) -> Verdict:
        """Regenerate `run` and compare it with this fixture."""
        if self.docs is not None and isinstance(fmt, WholeFormat):
            return verify_whole(self.data, self.docs, fmt, generator, run)
        return verify(self.content, fmt, generator, run)


def read_fixture(data: bytes, fmt: Format, name: str) -> Fixture:
    """A fixture file's bytes, read as format `fmt`; `name` names it in errors."""
    if isinstance(fmt, WholeFormat):
        docs = fmt.documents(data)
        return Fixture(data, checked(docs[0].get("meta") if docs else None, fmt), ids_of(docs), None, docs=docs)
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StorygenError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    meta = recorded(content, fmt)
    ids = story_ids(content, fmt)
    return Fixture(data, meta, ids, fmt.count(content) if ids is None else None, content)


def recorded(content: str, fmt: Format) -> dict[str, Any] | None:
    """The meta a fixture records, or None if its format records none (or it holds no story)."""
    try:
        meta = fmt.recorded(content)
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"cannot read what made this {fmt.name} file ({exc})") from None
    return checked(meta, fmt)


def checked(meta: Any, fmt: Format) -> dict[str, Any] | None:
    """`meta` as read from a fixture, refused if it is not an object or of another record version."""
    if meta is not None and not isinstance(meta, dict):
        raise UsageError(f"cannot read what made this {fmt.name} file (its meta is not an object)")
    if meta is not None and meta.get("record_version") != RECORD_VERSION:
        raise StorygenError(f"the file was written with record version {meta.get('record_version')}; this storygen "
                            f"writes version {RECORD_VERSION}: regenerate it, or verify it with the storygen that wrote it")
    return meta


def _controls(meta: dict[str, Any] | None, given: Overrides) -> Controls:
    raw = (meta or {}).get("controls") or {}
    values = {str(k): str(v) for k, v in (raw.get("set") or {}).items()}
    phases = tuple(raw["phases"]) if raw.get("phases") is not None else None
    controls = Controls(values, raw.get("pronouns"), phases, int(raw.get("min_sentences", 0)), raw.get("max_sentences"))
    if given.settings is not None:
        controls = replace(controls, values=given.settings[0], pronouns=given.settings[1])
    if given.phases is not None:
        controls = replace(controls, phases=given.phases)
    if given.sentences is not None:
        controls = replace(controls, min_sentences=given.sentences[0], max_sentences=given.sentences[1])
    return controls


def generator_for(meta: dict[str, Any] | None, given: Overrides) -> StoryGenerator:
    """The generator that made the fixture: the file's grammar, culture pack, profile, split and
    controls, each unless an option says otherwise; a grammar or pack whose SHA-256 is not the
    recorded one is refused, naming the option that would fix it."""
    meta = meta or {}
    culture = given.culture or meta.get("culture") or "kazakh"
    try:
        controls = _controls(meta, given)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"cannot read what made this file (meta.controls: {exc!r})") from None
    try:
        generator = StoryGenerator.load(given.grammar, culture, profile=given.profile or meta.get("profile") or "default",
                                        split=given.split or meta.get("split"), controls=controls)
    except GrammarError as exc:
        if given.culture is None and str(exc).startswith("unknown culture"):
            raise StorygenError(f"made with culture pack '{culture}', which is not a packaged one: pass --culture FILE.json") from None
        raise
    for key, what, option, found, overridden in (("grammar", "grammar", "--grammar", generator.grammar, given.grammar),
                                                 ("culture", "culture pack", "--culture", generator.culture, given.culture)):
        want = meta.get(f"{key}_sha256")
        if overridden is None and want is not None and want != found.sha256:
            raise StorygenError(f"made with {what} '{meta.get(key)}' of sha256 {want[:12]}..., but the one found "
                                f"('{found.name}') has sha256 {found.sha256[:12]}...: pass {option} with the one it was made with")
    return generator


def run_for(meta: dict[str, Any] | None, ids: list[StoryId] | None, counted: int | None, fmt: Format,
            given: Overrides) -> Run:
    """The run the fixture should hold: recorded, else read off its stories; options win."""
    if meta is not None:
        try:
            run = meta["run"]
            seed, start, count = int(run["seed"]), int(run["start"]), int(run["count"])
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"cannot read what made this {fmt.name} file (meta.run: {exc!r})") from None
    elif ids:
        seed, start, count = ids[0][0], ids[0][1], len(ids)
    else:
        held = len(ids) if ids is not None else counted or 0
        if held and given.seed is None:
            raise UsageError(f"a {fmt.name} file does not record what made it: {NEEDS}")
        seed, start, count = 0, 0, held
    return Run(given.seed if given.seed is not None else seed, given.start if given.start is not None else start, count)
