"""A pytest plugin giving each test its own stable, reproducible musician stories.

Registered under the ``pytest11`` entry point as ``storygen``; without the entry point,
enable it with ``pytest -p generator.pytest_plugin``.

It adds:

* the option ``--storygen-seed`` (int, default 7), shown in the report header as
  ``storygen: seed 7 (--storygen-seed)``;
* the fixture ``storygen``, a :class:`SeededStories` whose ``seed`` is derived from the option
  seed and the test's node id, so each test gets its own stories, which do not change when
  other tests are added or reordered::

      def test_names(storygen):
          story = storygen.story()
          assert story.values["hero.name"] in story.text
          assert len(storygen.texts(3)) == 3
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from .engine import StoryGenerator
from .model.story import Story

__all__ = ["DEFAULT_SEED", "SeededStories", "derive_seed"]

DEFAULT_SEED = 7
OPTION = "--storygen-seed"


def derive_seed(seed: int, nodeid: str) -> int:
    """The per-test seed: a stable hash of the option seed and the node id, in [0, 2**63)."""
    digest = hashlib.blake2b(f"{seed}:{nodeid}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


@dataclass(frozen=True)
class SeededStories:
    """Stories for one test: ``generator`` with a fixed, per-test ``seed``."""

    seed: int
    generator: StoryGenerator

    def story(self, index: int = 0) -> Story:
        """The story at ``index`` of this test's seed."""
        return self.generator.story(self.seed, index)

    def stories(self, count: int, start: int = 0) -> list[Story]:
        """``count`` stories from index ``start``."""
        return list(self.generator.stories(self.seed, start, count))

    def texts(self, count: int, start: int = 0) -> list[str]:
        """``count`` story texts from index ``start`` (the fast path)."""
        return list(self.generator.texts(self.seed, start, count))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("storygen", "reproducible musician stories (storygen)")
    group.addoption(
        OPTION,
        type=int,
        default=DEFAULT_SEED,
        dest="storygen_seed",
        metavar="SEED",
        help=f"Base seed for the storygen fixture; each test derives its own seed from it "
             f"and its node id (default: {DEFAULT_SEED}).",
    )


def _base_seed(config: pytest.Config) -> int:
    return int(config.getoption("storygen_seed"))


def pytest_report_header(config: pytest.Config) -> str:
    return f"storygen: seed {_base_seed(config)} ({OPTION})"


@pytest.fixture(scope="session")
def _storygen_generator() -> StoryGenerator:
    """The packaged StoryGenerator, loaded once per session."""
    return StoryGenerator.load()


@pytest.fixture
def storygen(request: pytest.FixtureRequest, _storygen_generator: StoryGenerator) -> Iterator[SeededStories]:
    """Stories seeded for this test from ``--storygen-seed`` and the test's node id."""
    yield SeededStories(derive_seed(_base_seed(request.config), request.node.nodeid), _storygen_generator)
