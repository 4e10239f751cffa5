"""The pytest plugin: the --storygen-seed option, the report header and the storygen fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import StoryGenerator
from generator.pytest_plugin import DEFAULT_SEED, SeededStories, derive_seed

pytest_plugins = ["pytester"]

PLUGIN = ("-p", "generator.pytest_plugin")

# The generated test module: every test dumps what the fixture gave it to out/<name>.json.
TEST_MODULE = '''
import json
import pathlib

OUT = pathlib.Path(__file__).parent / "out"


def dump(storygen, name):
    OUT.mkdir(exist_ok=True)
    story = storygen.story()
    (OUT / f"{name}.json").write_text(json.dumps({
        "seed": storygen.seed,
        "text": story.text,
        "hero": story.values["hero.name"],
        "index1": storygen.story(1).text,
        "stories": [s.text for s in storygen.stories(2)],
        "texts": storygen.texts(2),
        "texts_from_1": storygen.texts(1, start=1),
        "same_generator": storygen.generator is SHARED.setdefault("g", storygen.generator),
    }))


SHARED = {}


def test_alpha(storygen):
    dump(storygen, "alpha")


def test_beta(storygen):
    dump(storygen, "beta")
'''

EXTRA_TEST = '''

def test_gamma(storygen):
    dump(storygen, "gamma")
'''


@pytest.fixture(autouse=True)
def no_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    """Load only the plugin under test in the subprocess: no third-party plugins, and no second
    registration of it should it be installed under the pytest11 entry point too."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, dict]]:
    """Run the generated tests in a subprocess; the result and each test's dump."""
    out = pytester.path / "out"
    for old in out.glob("*.json") if out.exists() else ():
        old.unlink()
    result = pytester.runpytest_subprocess(*PLUGIN, *args)
    dumps = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")} if out.exists() else {}
    return result, dumps


@pytest.fixture
def module(pytester: pytest.Pytester) -> Path:
    return pytester.makepyfile(test_stories=TEST_MODULE)


def test_header_shows_default_seed(pytester: pytest.Pytester, module: Path) -> None:
    result, _ = run(pytester)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"storygen: seed {DEFAULT_SEED} (--storygen-seed)"])


def test_header_shows_chosen_seed(pytester: pytest.Pytester, module: Path) -> None:
    result, _ = run(pytester, "--storygen-seed", "8")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["storygen: seed 8 (--storygen-seed)"])


def test_option_in_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(*PLUGIN, "--help")
    result.stdout.fnmatch_lines(["*--storygen-seed*"])


def test_same_run_twice_same_stories(pytester: pytest.Pytester, module: Path) -> None:
    first_result, first = run(pytester)
    second_result, second = run(pytester)
    first_result.assert_outcomes(passed=2)
    second_result.assert_outcomes(passed=2)
    assert set(first) == {"alpha", "beta"}
    assert first == second


def test_different_tests_different_stories(pytester: pytest.Pytester, module: Path) -> None:
    _, dumps = run(pytester)
    assert dumps["alpha"]["seed"] != dumps["beta"]["seed"]
    assert dumps["alpha"]["text"] != dumps["beta"]["text"]


def test_seed_option_changes_stories(pytester: pytest.Pytester, module: Path) -> None:
    _, seven = run(pytester)
    result, eight = run(pytester, "--storygen-seed", "8")
    result.assert_outcomes(passed=2)
    for name in ("alpha", "beta"):
        assert seven[name]["seed"] != eight[name]["seed"]
        assert seven[name]["text"] != eight[name]["text"]
    assert eight["alpha"]["seed"] == derive_seed(8, "test_stories.py::test_alpha")


def test_adding_tests_keeps_stories(pytester: pytest.Pytester, module: Path) -> None:
    _, before = run(pytester)
    module.write_text(TEST_MODULE + EXTRA_TEST)
    result, after = run(pytester)
    result.assert_outcomes(passed=3)
    assert after["alpha"] == before["alpha"]
    assert after["beta"] == before["beta"]
    assert after["gamma"]["text"] not in (before["alpha"]["text"], before["beta"]["text"])


def test_selecting_one_test_keeps_its_stories(pytester: pytest.Pytester, module: Path) -> None:
    _, both = run(pytester)
    result, only = run(pytester, "-k", "beta")
    result.assert_outcomes(passed=1, deselected=1)
    assert only == {"beta": both["beta"]}


def test_fixture_matches_story_generator(pytester: pytest.Pytester, module: Path) -> None:
    _, dumps = run(pytester)
    generator = StoryGenerator.load()
    for name in ("alpha", "beta"):
        dump = dumps[name]
        seed = derive_seed(DEFAULT_SEED, f"test_stories.py::test_{name}")
        assert dump["seed"] == seed
        story = generator.story(seed, 0)
        assert dump["text"] == story.text
        assert dump["hero"] == story.values["hero.name"]
        assert dump["index1"] == generator.story(seed, 1).text
        # Calls without an index go on from story to story: 0, then 1 and 2, then 3 and 4.
        assert dump["stories"] == list(generator.texts(seed, 1, 2)) and dump["texts"] == list(generator.texts(seed, 3, 2))
        assert dump["texts_from_1"] == [dump["index1"]]
        assert dump["same_generator"] is True


def test_derive_seed_is_stable_and_in_range() -> None:
    seed = derive_seed(7, "tests/test_x.py::test_y")
    assert seed == derive_seed(7, "tests/test_x.py::test_y")
    assert 0 <= seed < 2**63
    assert seed != derive_seed(8, "tests/test_x.py::test_y")
    assert seed != derive_seed(7, "tests/test_x.py::test_z")


def test_seeded_stories_direct(generator: StoryGenerator) -> None:
    stories = SeededStories(seed=123, generator=generator)
    assert [stories.story().text for _ in range(3)] == list(generator.texts(123, 0, 3))
    assert stories.story(2).text == generator.story(123, 2).text  # an explicit index leaves the sequence
    assert stories.texts(2) == list(generator.texts(123, 3, 2))
    assert [s.text for s in stories.stories(2)] == list(generator.texts(123, 5, 2))
    assert [s.text for s in stories.stories(3, start=1)] == stories.texts(3, start=1)
    assert stories.story().index == 7



def test_installed_entry_point_loads_the_plugin(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain `pytest` run in a project that installed storygen gets the fixture and the header."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    pytester.makepyfile(test_uses="def test_story(storygen):\n    assert storygen.story().text\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["storygen: seed 7 (--storygen-seed)"])
