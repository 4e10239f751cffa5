"""`python -m generator.cli`: the same as the `storygen` command."""

from .app import main

main()
