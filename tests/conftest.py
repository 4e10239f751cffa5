"""Shared fixtures: the packaged generator, and the --update-golden switch for samples/."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import StoryGenerator

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite samples/ from the current code instead of comparing (review the diff!).",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def generator() -> StoryGenerator:
    return StoryGenerator.load()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
