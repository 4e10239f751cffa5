#!/usr/bin/python3
"""Share of sentences that link-grammar parses fully (a linkage with no null links).

Usage (system python, which has Debian's python3-link-grammar):
    /usr/bin/python3 scripts/parse_rate.py seeds/*.txt
    storygen --count 1000 --seed 7 | /usr/bin/python3 scripts/parse_rate.py - --failures
    /usr/bin/python3 scripts/parse_rate.py --json --all /tmp/gen.txt

Reading: lines that are "* * *" separate stories and blank lines separate paragraphs;
no sentence crosses either. Within a paragraph, a sentence ends at . ! or ? (plus any
closing quotes or brackets) followed by whitespace and an upper-case letter or an opening
quote, except after the abbreviations Mr Mrs Ms Dr St Mt Jr Sr, after a single capital
initial ("J. Smith"), or while a double quotation is open, so quotations stay whole.

Counting: identical sentences (after collapsing whitespace) are measured once unless
--all is given, since generated corpora repeat sentences. Each distinct sentence is
parsed once either way.

Parse options (English dictionary "en"), and why:
    min_null_count=0, max_null_count=0   only null-free linkages are searched for, so a
                                         sentence passes iff such a linkage exists;
    max_parse_time=5                     seconds per sentence; a sentence that runs out of
                                         time counts as not parsed (reported as a timeout);
    linkage_limit=100                    linkages post-processed per sentence; a sentence
                                         passes if one of them survives post-processing
                                         (num_valid_linkages > 0);
    spell_guess=False                    no spelling correction: a misspelt word should
                                         fail, not be silently repaired (unknown
                                         capitalised words are still taken as proper nouns);
    repeatable_rand=True, use_sat=False  deterministic results with the classic parser;
    disjunct_cost, dialect               library defaults.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator

try:
    import linkgrammar as lg
except ImportError:
    lg = None

PARSE_SECONDS = 5
SEPARATOR = re.compile(r"^\s*\*\s*\*\s*\*\s*$")
BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[A-Z\"“‘])")
ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Mt", "Jr", "Sr"}
LAST_WORD = re.compile(r"(\w+)[.!?]+$")


def paragraphs(lines: Iterable[str]) -> Iterator[str]:
    """Yield paragraphs as single-spaced strings; blank and "* * *" lines end one."""
    current: list[str] = []
    for line in lines:
        if line.strip() and not SEPARATOR.match(line):
            current.append(line.strip())
        elif current:
            yield " ".join(current)
            current = []
    if current:
        yield " ".join(current)


def quote_open(text: str) -> bool:
    """True if `text` leaves a double quotation open (straight or curly quotes)."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences by the rules in the module docstring."""
    sentences, start = [], 0
    for match in BOUNDARY.finditer(paragraph):
        end = match.end()
        head = paragraph[start:end]
        word = LAST_WORD.search(paragraph[start:match.start() + 1])
        if word and (word.group(1) in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
            continue
        if quote_open(head):
            continue
        sentences.append(head.strip())
        start = end
    tail = paragraph[start:].strip()
    return sentences + [tail] if tail else sentences


def read_sentences(paths: list[str]) -> list[str]:
    """All sentences of the given files, in order ("-" reads standard input)."""
    found: list[str] = []
    for path in paths:
        if path == "-":
            found += [s for p in paragraphs(sys.stdin) for s in split_sentences(p)]
        else:
            with open(path, encoding="utf-8") as handle:
                found += [s for p in paragraphs(handle) for s in split_sentences(p)]
    return [" ".join(s.split()) for s in found]


def load_dictionary(language: str) -> lg.Dictionary:
    """Load a dictionary, sending the C library's load-time notices (it prints a locale
    "Debug:" line on standard output) to standard error, so that stdout stays clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        return lg.Dictionary(language)
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class Parser:
    """Link-grammar English parser answering: does a null-free linkage exist?"""

    def __init__(self, seconds: int = PARSE_SECONDS) -> None:
        self.options = lg.ParseOptions(verbosity=0, min_null_count=0, max_null_count=0,
                                       max_parse_time=seconds, linkage_limit=100,
                                       spell_guess=False, repeatable_rand=True, use_sat=False)
        self.dictionary = load_dictionary("en")

    def parses(self, sentence: str) -> bool | None:
        """True if fully parsed, False if not, None if the time limit ran out."""
        try:
            linkages = lg.Sentence(sentence, self.dictionary, self.options).parse()
        except lg.LG_TimerExhausted:
            return None
        return len(linkages) > 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", metavar="FILE", help='text file, or "-" for stdin')
    ap.add_argument("--all", action="store_true", help="count every occurrence, not distinct sentences")
    ap.add_argument("--failures", action="store_true", help="also list the sentences that did not parse")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    if lg is None:
        print("parse_rate.py: cannot import linkgrammar; install the Debian package "
              "python3-link-grammar and run with /usr/bin/python3", file=sys.stderr)
        return 1

    counts = Counter(read_sentences(args.files))
    parser = Parser()
    results = {sentence: parser.parses(sentence) for sentence in counts}
    weight = (lambda s: counts[s]) if args.all else (lambda s: 1)
    measured = sum(weight(s) for s in results)
    parsed = sum(weight(s) for s, ok in results.items() if ok)
    timeouts = sum(weight(s) for s, ok in results.items() if ok is None)
    failures = [s for s, ok in results.items() if not ok]
    figures = {"counting": "all" if args.all else "distinct", "measured": measured,
               "parsed": parsed, "rate": round(parsed / measured, 3) if measured else None,
               "timeouts": timeouts}
    if args.failures:
        figures["failures"] = failures

    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    rate = f"{parsed / measured:.3f}" if measured else "n/a"
    print(f"sentences measured ({figures['counting']}): {measured}")
    print(f"fully parsed: {parsed}")
    print(f"rate: {rate}")
    print(f"timeouts (counted as not parsed): {timeouts}")
    if args.failures:
        print(f"\nnot parsed ({len(failures)} distinct):")
        for sentence in failures:
            print(f"  {sentence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
