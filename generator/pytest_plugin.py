"""A pytest plugin giving each test its own stable, reproducible musician stories.

Registered under the ``pytest11`` entry point as ``storygen``; without the entry point,
enable it with ``pytest -p generator.pytest_plugin``.

It adds:

* the option ``--storygen-seed`` (int, default 7), shown in the report header as
  ``storygen: seed 7 (--storygen-seed)``;
* the fixture ``storygen``, a :class:`SeededStories` whose ``seed`` is derived from the option
  seed and the test's node id, so each test gets its own stories, which do not change when
  other tests are added or reordered. Successive calls without an index give successive
  stories (0, 1, 2, ... of the test's seed), the same on every run; an explicit index reads
  that story and leaves the sequence where it was::

      def test_names(storygen):
          first, second = storygen.story(), storygen.story()   # stories 0 and 1
          assert first.text != second.text
          assert len(storygen.texts(3)) == 3                    # stories 2, 3 and 4
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


@dataclass
class SeededStories:
    """Stories for one test: ``generator`` with a fixed, per-test ``seed``. Calls without an
    index continue from the story after the last one such a call gave (``next_index``)."""

    seed: int
    generator: StoryGenerator
    next_index: int = 0

    def _take(self, start: int | None, count: int) -> int:
        """Where a call starts: `start` if given (the next story stays as it was), else the next
        story, and the call after goes on from the story after these."""
        if start is not None:
            return start
        first, self.next_index = self.next_index, self.next_index + count
        return first

    def story(self, index: int | None = None) -> Story:
        """The story at ``index`` of this test's seed (default: the next one)."""
        return self.generator.story(self.seed, self._take(index, 1))

    def stories(self, count: int, start: int | None = None) -> list[Story]:
        """``count`` stories from index ``start`` (default: the next ones)."""
        return list(self.generator.stories(self.seed, self._take(start, count), count))

    def texts(self, count: int, start: int | None = None) -> list[str]:
        """``count`` story texts from index ``start`` (default: the next ones; the fast path)."""
        return list(self.generator.texts(self.seed, self._take(start, count), count))


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
