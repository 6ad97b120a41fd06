"""Bracketed Python source laid out the way black lays it out, for the shapes the
templates emit most (method signatures, ``Endpoint`` descriptions): one line when
it fits, else one item per line with a trailing comma, which black keeps as it is
(a "magic" trailing comma).  Code already in black's layout is not formatted
again (``generator.formatting.is_black_stable`` checks it, soundly); this module
only makes that the common case.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.black_stable import str_width
from generator.formatting import INDENT, LINE_LENGTH


@dataclass
class Bracketed:
    """``head`` + items + ``tail``: ``f(`` … ``)``, ``{`` … ``}``."""

    head: str
    items: list[str | Bracketed]
    tail: str

    def flat(self) -> str:
        return self.head + ", ".join(_flat(i) for i in self.items) + self.tail

    def lines(self, indent: str) -> list[str]:
        """The source lines at ``indent``: one line when it fits, else exploded."""
        one = indent + self.flat()
        if str_width(one) <= LINE_LENGTH or not self.items:
            return [one]
        inner = indent + INDENT
        out = [indent + self.head]
        for item in self.items:
            if isinstance(item, Bracketed):
                nested = item.lines(inner)
                nested[-1] += ","
                out.extend(nested)
            else:
                out.append(f"{inner}{item},")
        out.append(indent + self.tail)
        return out

    def text(self, indent: str) -> str:
        """``lines`` joined, without the first line's indent (the template has it)."""
        return "\n".join(self.lines(indent))[len(indent) :]


def _flat(item: str | Bracketed) -> str:
    return item.flat() if isinstance(item, Bracketed) else item


def tuple_literal(items: list[str]) -> str:
    """A tuple display as black writes it: ``()``, ``("a",)``, ``("a", "b")``."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


def class_header(name: str, base: str) -> str:
    """``class name(base):``, with the base on a line of its own when too long."""
    return Bracketed(f"class {name}(", [base], "):").text("")
