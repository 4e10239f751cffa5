"""Parse grammar templates with Jinja2's sandbox and lower them to a flat list of parts.

Templates are Jinja2 text, but a grammar file is data: only literal text and `{{ slot }}`
expressions with the filters below are accepted, so nothing in a grammar can run code. The
parsed template becomes a tuple of literal strings and `Slot` parts that the renderer joins
directly; `jinja_render` renders the same source through Jinja2 itself, and tests hold the two
equal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import GrammarError
from ..model.templates import FILTERS, Part, Slot, nest

if TYPE_CHECKING:  # Jinja2 itself is imported only when a template needs its parser or renderer
    from jinja2 import nodes
    from jinja2.sandbox import SandboxedEnvironment


@lru_cache(maxsize=1)
def sandbox() -> SandboxedEnvironment:
    """The Jinja2 environment grammar templates are parsed and checked in."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


def _slot_key(node: nodes.Node, where: str) -> str:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr) and isinstance(node.node, (nodes.Name, nodes.Getattr)):
        return f"{_slot_key(node.node, where)}.{node.attr}"
    raise GrammarError(f"{where}: only slot names such as {{{{ hero.name }}}} may appear inside {{{{ }}}}")


def _lower_expression(node: nodes.Node, where: str) -> Part:
    from jinja2 import nodes

    if isinstance(node, nodes.TemplateData):
        return node.data
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    filters: list[str] = []
    while isinstance(node, nodes.Filter):
        if node.name not in FILTERS or node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise GrammarError(f"{where}: unknown filter '{node.name}' (known: {', '.join(sorted(FILTERS))})")
        filters.insert(0, node.name)
        assert node.node is not None
        node = node.node
    return Slot(_slot_key(node, where), tuple(filters))


# The common case, `text {{ slot.key|filter }} text`, is lowered without Jinja2's parser (which
# costs about a third of a millisecond per template, and loading a grammar parses every one).
# Anything else, or anything the two could read differently, goes to Jinja2.
_SIMPLE_SLOT = re.compile(r"\{\{ *([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*) *((?:\| *[a-z]+ *)*)\}\}")
_JINJA_WORDS = frozenset({"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is",
                          "if", "else", "elif", "endif", "for", "endfor", "block", "extends", "import", "from",
                          "include", "macro", "call", "set", "with", "without", "as", "recursive", "scoped",
                          "pluralize", "trans", "endtrans", "raw", "endraw", "filter", "context", "ignore", "missing"})


def parse_simple(source: str) -> tuple[Part, ...] | None:
    """The parts of a template made only of literal text and simple slots, as Jinja2 would read
    it; None when the template holds anything else."""
    if "\r" in source:
        return None  # Jinja2 normalises line breaks
    parts: list[Part] = []
    position = 0
    for match in _SIMPLE_SLOT.finditer(source):
        if source[position:match.start()].endswith("{"):
            return None  # '{{{ x }}': Jinja2 reads the first two braces as the opening
        parts.append(source[position:match.start()])
        names = match.group(1).split(".")
        filters = tuple(f.strip() for f in match.group(2).split("|")[1:])
        if any(name in _JINJA_WORDS for name in names) or any(f not in FILTERS for f in filters):
            return None
        parts.append(Slot(match.group(1), filters))
        position = match.end()
    parts.append(source[position:])
    if any(isinstance(p, str) and ("{{" in p or "{%" in p or "{#" in p) for p in parts):
        return None
    return tuple(p for p in parts if p != "")


@lru_cache(maxsize=4096)
def parse_template(source: str, where: str = "template") -> tuple[Part, ...]:
    """Parse one template into literal strings and slots, or raise GrammarError naming `where`."""
    simple = parse_simple(source)
    if simple is not None:
        return simple
    return parse_with_jinja(source, where)


def parse_with_jinja(source: str, where: str = "template") -> tuple[Part, ...]:
    """`parse_template` through Jinja2's own parser, whatever the template holds."""
    from jinja2 import TemplateSyntaxError, nodes

    try:
        tree = sandbox().parse(source)
    except TemplateSyntaxError as exc:
        raise GrammarError(f"{where}: template syntax error: {exc.message}") from None
    parts: list[Part] = []
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            kind = type(node).__name__.lower()
            raise GrammarError(f"{where}: '{kind}' blocks are not allowed (templates hold text and {{{{ slot }}}} only)")
        for child in node.nodes:
            part = _lower_expression(child, where)
            if isinstance(part, str) and parts and isinstance(parts[-1], str):
                parts[-1] += part
            elif part != "":
                parts.append(part)
    return tuple(parts)

def escape_literal(text: str) -> str:
    """Quote literal text so Jinja2 reads it back unchanged."""
    if "{" not in text and "}" not in text:
        return text
    return re.sub(r"([{}]+)", lambda m: "{{ " + repr(m.group(1)) + " }}", text)

def jinja_render(source: str, values: Mapping[str, str]) -> str:
    """Render a template through Jinja2's sandbox: the reference the fast renderer must match."""
    return sandbox().from_string(source).render(nest(values))
