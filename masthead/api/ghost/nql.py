"""A small part of Ghost's filter language (NQL), parsed into a tree.

What Ghost's clients and themes send most (github.com/TryGhost/NQL):
``field:value``, ``field:-value`` (not), ``field:>value`` (and ``>=``,
``<``, ``<=``), ``field:~value`` (contains), ``field:[a,b]`` (any of),
``'quoted values'``, ``+`` for *and*, ``,`` for *or* and parentheses. A
space between two conditions counts as ``+``: a ``+`` typed into a URL
arrives as a space. Anything else is a ``ParseError``, which the views
answer with 400, never 500.
"""

from dataclasses import dataclass

MAX_LENGTH = 1000
MAX_DEPTH = 8
MAX_CONDITIONS = 40
OPERATORS = (">=", "<=", ">", "<", "-", "~")
# Characters that end a bare (unquoted) value.
_BARE_END = set(",+()[] '\"")


class ParseError(ValueError):
    """The filter is not NQL this parser understands."""


@dataclass(frozen=True)
class Condition:
    """``field:<op>value`` or ``field:<op>[values]``; ``op`` "" is equality."""

    field: str
    op: str
    values: tuple[str, ...]
    is_list: bool = False


@dataclass(frozen=True)
class All:
    parts: tuple["Node", ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple["Node", ...]


Node = Condition | All | Any_


def parse(text: str) -> Node:
    """The tree of ``text``.

    Raises:
        ParseError: empty, too long or too deep, or not understood.
    """
    if not text or not text.strip():
        raise ParseError("empty filter")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"filter longer than {MAX_LENGTH} characters")
    parser = _Parser(text)
    node = parser.expression(0)
    parser.skip_space()
    if parser.pos != len(text):
        raise ParseError(f"unexpected {text[parser.pos]!r} at {parser.pos}")
    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.conditions = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_space(self) -> bool:
        start = self.pos
        while self.peek().isspace():
            self.pos += 1
        return self.pos > start

    def expression(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ParseError("filter nested too deeply")
        parts = [self.conjunction(depth)]
        while True:
            self.skip_space()
            if self.peek() != ",":
                break
            self.pos += 1
            parts.append(self.conjunction(depth))
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def conjunction(self, depth: int) -> Node:
        parts = [self.term(depth)]
        while True:
            spaced = self.skip_space()
            char = self.peek()
            if char == "+":
                self.pos += 1
            elif not (spaced and (char.isalpha() or char == "(")):
                break
            parts.append(self.term(depth))
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def term(self, depth: int) -> Node:
        self.skip_space()
        if self.peek() == "(":
            self.pos += 1
            node = self.expression(depth + 1)
            self.skip_space()
            if self.peek() != ")":
                raise ParseError(f"missing ')' at {self.pos}")
            self.pos += 1
            return node
        return self.condition()

    def condition(self) -> Condition:
        start = self.pos
        # ``peek()`` is "" at the end, and "" is in every string: test a set.
        while self.peek().isalnum() or self.peek() in {"_", "."}:
            self.pos += 1
        field = self.text[start : self.pos].lower()
        if not field:
            raise ParseError(f"expected a field name at {start}")
        if self.peek() != ":":
            raise ParseError(f"expected ':' after {field!r}")
        self.pos += 1
        op = next((o for o in OPERATORS if self.text.startswith(o, self.pos)), "")
        self.pos += len(op)
        self.conditions += 1
        if self.conditions > MAX_CONDITIONS:
            raise ParseError(f"more than {MAX_CONDITIONS} conditions")
        if self.peek() == "[":
            self.pos += 1
            values = [self.value()]
            self.skip_space()
            while self.peek() == ",":
                self.pos += 1
                values.append(self.value())
                self.skip_space()
            if self.peek() != "]":
                raise ParseError(f"missing ']' at {self.pos}")
            self.pos += 1
            return Condition(field, op, tuple(values), is_list=True)
        return Condition(field, op, (self.value(),))

    def value(self) -> str:
        self.skip_space()
        quote = self.peek()
        if quote in ("'", '"'):
            self.pos += 1
            chars = []
            while True:
                char = self.peek()
                if not char:
                    raise ParseError("unterminated quoted value")
                self.pos += 1
                if char == "\\" and self.peek():
                    chars.append(self.peek())
                    self.pos += 1
                elif char == quote:
                    break
                else:
                    chars.append(char)
            value = "".join(chars)
        else:
            start = self.pos
            while self.peek() and self.peek() not in _BARE_END:
                self.pos += 1
            value = self.text[start : self.pos]
            if not value:
                raise ParseError(f"expected a value at {start}")
        return value
