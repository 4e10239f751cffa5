"""One typed reader for storygen's JSON files: grammars, culture packs and profiles.

A `Reader` holds one parsed document and reads values out of it by key, each with the JSON type
it must have. Every problem names its JSON path (`$.units[3].phase`). A reader works in one of
two modes:
- strict (loading): the first error raises GrammarError `<file>: <path>: <message>`, warnings
  are dropped, and the text is never scanned for lines;
- collect (the linter): every problem is kept, located as `FILE:LINE: JSONPATH`. Lines come
  from one scan of the text (`locate`), made only when there is a problem to place.
Validation code is written once against a reader and runs in either mode: a value that is
missing or of the wrong kind is reported and comes back as None.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from ..errors import GrammarError
from ..model.templates import Part
from .templates import parse_template

PathKey = str | int
JsonPath = tuple[PathKey, ...]
Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, what, and whether it stops generation."""

    location: str
    message: str
    severity: Severity

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Kind:
    """A JSON type a value can be required to have."""

    name: str
    python: type

    def holds(self, value: Any) -> bool:
        """Whether `value` (as json.loads gives it) is of this kind; true and false are not integers."""
        return isinstance(value, self.python) and not (self.python is int and isinstance(value, bool))


OBJECT = Kind("object", dict)
ARRAY = Kind("array", list)
STRING = Kind("string", str)
INTEGER = Kind("integer", int)
BOOLEAN = Kind("boolean", bool)
_MISSING = object()


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type."""
    if value is None:
        return "null"
    for kind, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"),
                       (dict, "object")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def with_article(kind: str) -> str:
    """'an integer', 'a string'; 'null' stays bare."""
    if kind == "null":
        return kind
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


class Unreadable(GrammarError):
    """A file that cannot be read as UTF-8 text."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_text(path: Path, what: str) -> str:
    """A file's UTF-8 text; Unreadable names the file and why (`what`: 'grammar', 'culture pack', ...)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise Unreadable(path, f"cannot read {what} ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


class Reader:
    """Typed values out of one JSON document, with every problem named by its JSON path."""

    def __init__(self, where: str, root: Any, *, text: str | None = None, collect: bool = False) -> None:
        self.where = where
        self.root = root
        self.text = text
        self.collect = collect
        self._found: list[tuple[float, Problem]] = []
        self._lines: dict[JsonPath, int] | None = None
        self.parsed = True  # false when the text was not JSON (collect mode)

    @classmethod
    def parse(cls, where: str, text: str, *, collect: bool = False) -> Reader:
        """A reader over JSON text. Invalid JSON raises GrammarError (strict) or is kept as a
        problem, with `root` left None and `parsed` false (collect)."""
        reader = cls(where, None, text=text, collect=collect)
        try:
            reader.root = json.loads(text)
            return reader
        except json.JSONDecodeError as exc:
            line, location, message = exc.lineno, f"{where}:{exc.lineno}:{exc.colno}", f"invalid JSON: {exc.msg}"
        except RecursionError:
            line, location, message = 1, f"{where}:1", "invalid JSON: nested too deeply"
        reader.parsed = False
        reader.elsewhere(location, message, line=line)
        return reader

    # --- reporting ---------------------------------------------------------------------------

    def problem(self, path: JsonPath, message: str, severity: Severity = ERROR) -> None:
        """Report a problem at `path`: raise it (strict mode, errors only) or keep it with its line."""
        if not self.collect:
            if severity == ERROR:
                raise GrammarError(f"{self.where}: {format_path(path)}: {message}")
            return
        if self.text is None:
            self._found.append((0, Problem(f"{self.where}: {format_path(path)}", message, severity)))
            return
        line = self.line(path)
        self._found.append((line, Problem(f"{self.where}:{line}: {format_path(path)}", message, severity)))

    def elsewhere(self, location: str, message: str, severity: Severity = ERROR, line: float = math.inf) -> None:
        """Report a problem at a location of its own (listed by `line`: after the file's own by default)."""
        if not self.collect:
            if severity == ERROR:
                raise GrammarError(f"{location}: {message}")
            return
        self._found.append((line, Problem(location, message, severity)))

    def line(self, path: JsonPath) -> int:
        """The line where the value at `path` starts, or where its nearest located parent does."""
        if self._lines is None:
            self._lines = locate(self.text or "")
        while path not in self._lines and path:
            path = path[:-1]
        return self._lines.get(path, 1)

    def problems(self) -> list[Problem]:
        """Every problem kept (collect mode), in line order."""
        return [problem for _, problem in sorted(self._found, key=lambda item: item[0])]

    @property
    def has_errors(self) -> bool:
        """Whether an error (not just a warning) was kept."""
        return any(problem.severity == ERROR for _, problem in self._found)

    # --- values ------------------------------------------------------------------------------

    def expect(self, value: Any, kind: Kind, path: JsonPath) -> bool:
        """Whether `value` is of `kind`; reports it if not."""
        if kind.holds(value):
            return True
        self.problem(path, f"expected {with_article(kind.name)}, got {with_article(json_type(value))}")
        return False

    def get(self, obj: dict[str, Any], key: str, kind: Kind, path: JsonPath) -> Any:
        """obj[key] if it is there and of `kind`; otherwise None, after reporting it."""
        value = obj.get(key, _MISSING)
        if type(value) is kind.python:  # the common case, without building the value's path
            return value
        if value is _MISSING:
            self.problem(path, f"missing key '{key}'")
            return None
        return value if self.expect(value, kind, (*path, key)) else None

    def optional(self, obj: dict[str, Any], key: str, kind: Kind, path: JsonPath, default: Any) -> Any:
        """obj[key] if it is of `kind`, `default` if absent; None (reported) if of another kind."""
        return self.get(obj, key, kind, path) if key in obj else default

    def object(self, value: Any, path: JsonPath, keys: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        """`value` if it is an object; in collect mode, keys other than `keys` are warned about."""
        if type(value) is dict and not self.collect:
            return value
        if not self.expect(value, OBJECT, path):
            return None
        if self.collect and keys is not None:
            for key in value:
                if key not in keys:
                    self.problem((*path, key), f"unknown key '{key}' (expected: {', '.join(keys)})", WARNING)
        result: dict[str, Any] = value
        return result

    def mapping(self, obj: dict[str, Any], key: str, path: JsonPath,
                keys: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        """The object obj[key] (see `object`)."""
        value = obj.get(key)
        if type(value) is dict and not self.collect:
            return value
        if key not in obj:
            self.problem(path, f"missing key '{key}'")
            return None
        return self.object(value, (*path, key), keys)

    # The typed getters repeat `get`'s common case: loading a grammar reads a thousand values.

    def array(self, obj: dict[str, Any], key: str, path: JsonPath) -> list[Any] | None:
        """The array obj[key]."""
        value = obj.get(key)
        if type(value) is list:
            return value
        found: list[Any] | None = self.get(obj, key, ARRAY, path)
        return found

    def string(self, obj: dict[str, Any], key: str, path: JsonPath) -> str | None:
        """The string obj[key]."""
        value = obj.get(key)
        if type(value) is str:
            return value
        found: str | None = self.get(obj, key, STRING, path)
        return found

    def integer(self, obj: dict[str, Any], key: str, path: JsonPath) -> int | None:
        """The integer obj[key]."""
        value = obj.get(key)
        if type(value) is int:
            return value
        found: int | None = self.get(obj, key, INTEGER, path)
        return found

    def boolean(self, obj: dict[str, Any], key: str, path: JsonPath) -> bool | None:
        """The boolean obj[key]."""
        value = obj.get(key)
        if type(value) is bool:
            return value
        found: bool | None = self.get(obj, key, BOOLEAN, path)
        return found

    def strings(self, obj: dict[str, Any], key: str, path: JsonPath) -> list[str] | None:
        """The array of strings obj[key]; each element that is not a string is reported."""
        items = obj.get(key)
        if type(items) is list and not items:
            return items
        items = self.array(obj, key, path)
        return None if items is None else self.each_string(items, (*path, key))

    def each_string(self, items: list[Any], path: JsonPath) -> list[str] | None:
        """`items` if every one is a string; each that is not is reported."""
        if all(type(item) is str for item in items):
            return items
        for k, item in enumerate(items):
            self.expect(item, STRING, (*path, k))
        return None

    def string_values(self, obj: dict[str, Any], key: str, path: JsonPath) -> dict[str, str] | None:
        """The object obj[key] if every value in it is a string; each that is not is reported."""
        found = self.mapping(obj, key, path)
        if found is None or all(isinstance(value, str) for value in found.values()):
            return found
        for name, value in found.items():
            self.expect(value, STRING, (*path, key, name))
        return None

    def at_least(self, items: list[Any], count: int, noun: str, path: JsonPath) -> bool:
        """Whether `items` has `count` or more elements; reports it if not ('expected at least 2
        landmarks, got 1': `noun` agrees with `count`)."""
        if len(items) >= count:
            return True
        self.problem(path, f"expected at least {count} {noun}, got {len(items)}")
        return False

    def template(self, source: str, path: JsonPath) -> tuple[Part, ...] | None:
        """A template's parts (see load.templates); a template that does not parse is reported."""
        try:
            return parse_template(source, _TEMPLATE)
        except GrammarError as exc:
            message = str(exc).removeprefix(f"{_TEMPLATE}: ")
        except Exception as exc:  # Jinja2's parser on input it was never meant to see
            message = f"cannot parse template: {type(exc).__name__}: {exc}"
        self.problem(path, message)
        return None


def complete(items: list[T | None]) -> tuple[T, ...] | None:
    """All of `items`, or None if one of them did not pass."""
    return None if None in items else cast("tuple[T, ...]", tuple(items))


# parse_template names the template in its errors; the reader puts the JSON path there instead.
_TEMPLATE = "\x00template"


# --- JSON paths and their lines ----------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|NaN|-?Infinity")


def format_path(path: JsonPath) -> str:
    """`('units', 7, 'template')` -> `$.units[7].template`; odd keys are quoted: `$.slots["hero.name"]`."""
    out = ["$"]
    for key in path:
        if isinstance(key, int):
            out.append(f"[{key}]")
        elif _IDENTIFIER.match(key):
            out.append(f".{key}")
        else:
            out.append(f"[{json.dumps(key, ensure_ascii=False)}]")
    return "".join(out)


def locate(text: str) -> dict[JsonPath, int]:
    """The 1-based line where each value of a JSON document starts, keyed by its path.

    One pass over the text with an explicit stack (no recursion, so deep nesting is fine). Meant
    for text `json.loads` accepted; on anything else it returns what it found before going
    wrong. A key that appears twice in one object maps to its last occurrence, as `json.loads`
    keeps it.
    """
    scan = _Scan(text)
    with contextlib.suppress(IndexError, ValueError):  # text that is not JSON: what was found so far
        scan.run()
    return scan.lines


class _Scan:
    """The walk behind `locate`: a position in the text and the containers open at it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[JsonPath, int] = {}
        self.pos = self.skip(0)
        self.stack: list[list[Any]] = []  # per open container: [is_object, its path, current key or index]

    def skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        return match.end() if match else pos

    def run(self) -> None:
        path: JsonPath | None = ()
        while path is not None:
            self.lines[path] = bisect.bisect_right(self.starts, self.pos)
            path = self.value(path)
            if path is None:
                path = self.after_value()

    def value(self, path: JsonPath) -> JsonPath | None:
        """Step over the value at pos; if it opens a non-empty container, step in and give the
        path of its first member."""
        text, char = self.text, self.text[self.pos]
        if char in "{[":
            self.pos = self.skip(self.pos + 1)
            if text[self.pos] in "}]":
                self.pos += 1
                return None
            is_object = char == "{"
            first: PathKey = self.key() if is_object else 0
            self.stack.append([is_object, path, first])
            return (*path, first)
        match = (_STRING if char == '"' else _SCALAR).match(text, self.pos)
        if match is None:
            raise ValueError("expected a value")
        self.pos = match.end()
        return None

    def after_value(self) -> JsonPath | None:
        """Step over commas and closing brackets to the next member; None at the document's end."""
        while self.stack:
            self.pos = self.skip(self.pos)
            frame = self.stack[-1]
            if self.text[self.pos] == ",":
                self.pos = self.skip(self.pos + 1)
                frame[2] = self.key() if frame[0] else frame[2] + 1
                return (*frame[1], frame[2])
            self.pos += 1  # the closing bracket
            self.stack.pop()
        return None

    def key(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if match is None:
            raise ValueError("expected a key")
        self.pos = self.skip(match.end())
        if self.text[self.pos] != ":":
            raise ValueError("expected ':'")
        self.pos = self.skip(self.pos + 1)
        key: str = json.loads(match.group())
        return key
