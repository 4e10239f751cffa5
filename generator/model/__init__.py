"""Core types: plain dataclasses for grammars, culture packs, plans and stories. Imports no behaviour."""
