"""`storygen check`: every problem in a grammar file with its line, and how many stories it can make."""

from ..load.reader import Problem
from .capacity import Capacity
from .check import check_grammar_file, check_grammar_text, format_report

__all__ = ["Capacity", "Problem", "check_grammar_file", "check_grammar_text", "format_report"]
