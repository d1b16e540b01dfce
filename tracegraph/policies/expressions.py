"""The `${{ ... }}` conditions of a policy: a small, documented subset of Kosli's expression language.

    condition  := "${{" expression "}}"
    expression := term ("or" term)*
    term       := factor ("and" factor)*
    factor     := "not" factor | "(" expression ")" | "matches(" field "," string ")" | field ("==" | "!=") string
    field      := artifact.name | artifact.fingerprint | flow.name
    string     := a double-quoted string; \\" and \\\\ escape

`matches` is a regular-expression search (Python `re`, anchored only by `^`/`$` in the pattern). An artifact built
by several flows satisfies a `flow.name` test when any of its flows does. Anything else is refused when the policy
is created, never at evaluation time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

FIELDS = ("artifact.name", "artifact.fingerprint", "flow.name")
MAX_CONDITION_CHARS = 1_000
MAX_PATTERN_CHARS = 500

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<op>==|!=|\(|\)|,)|(?P<word>[A-Za-z_][A-Za-z_0-9.]*)|(?P<bad>\S))'
)


class ConditionError(ValueError):
    """A condition outside the supported subset; the message says what and where."""


@dataclass(frozen=True, slots=True)
class Subject:
    """What a condition can see of an artifact."""

    name: str
    fingerprint: str
    flows: tuple[str, ...]

    def values(self, field: str) -> tuple[str, ...]:
        if field == "flow.name":
            return self.flows
        return (self.name,) if field == "artifact.name" else (self.fingerprint,)


Test = Callable[[Subject], bool]


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition: its source text and the test it compiles to."""

    source: str
    test: Test

    def holds(self, subject: Subject) -> bool:
        return self.test(subject)


def parse_condition(text: str) -> Condition:
    stripped = text.strip()
    if len(stripped) > MAX_CONDITION_CHARS:
        raise ConditionError(f"must be at most {MAX_CONDITION_CHARS} characters")
    if not (stripped.startswith("${{") and stripped.endswith("}}")):
        raise ConditionError('must be written ${{ ... }}, e.g. ${{ matches(artifact.name, "^datadog:") }}')
    parser = _Parser(_tokens(stripped[3:-2]))
    test = parser.expression()
    parser.end()
    return Condition(source=stripped, test=test)


def _tokens(body: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(body):
        kind = match.lastgroup
        if kind is None:
            continue
        value = match.group(kind)
        if kind == "bad":
            raise ConditionError(f"unexpected character {value!r}")
        found.append((kind, value))
    return found


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self._tokens = tokens
        self._at = 0

    def _peek(self) -> tuple[str, str] | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self, kind: str, value: str | None = None) -> str:
        token = self._peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            wanted = value or kind
            got = "the end" if token is None else repr(token[1])
            raise ConditionError(f"expected {wanted}, got {got}")
        self._at += 1
        return token[1]

    def _word(self, word: str) -> bool:
        if self._peek() == ("word", word):
            self._at += 1
            return True
        return False

    def end(self) -> None:
        token = self._peek()
        if token is not None:
            raise ConditionError(f"unexpected {token[1]!r} after the expression")

    def expression(self) -> Test:
        tests = [self._term()]
        while self._word("or"):
            tests.append(self._term())
        return tests[0] if len(tests) == 1 else (lambda subject: any(test(subject) for test in tests))

    def _term(self) -> Test:
        tests = [self._factor()]
        while self._word("and"):
            tests.append(self._factor())
        return tests[0] if len(tests) == 1 else (lambda subject: all(test(subject) for test in tests))

    def _factor(self) -> Test:
        if self._word("not"):
            inner = self._factor()
            return lambda subject: not inner(subject)
        if self._peek() == ("op", "("):
            self._at += 1
            inner = self.expression()
            self._take("op", ")")
            return inner
        if self._word("matches"):
            self._take("op", "(")
            field = self._field()
            self._take("op", ",")
            pattern = _pattern(_unquote(self._take("string")))
            self._take("op", ")")
            return lambda subject: any(pattern.search(value) for value in subject.values(field))
        field = self._field()
        token = self._peek()
        if token is None or token not in (("op", "=="), ("op", "!=")):
            raise ConditionError(f"expected == or != after {field}, got {'the end' if token is None else token[1]!r}")
        self._at += 1
        literal = _unquote(self._take("string"))
        if token[1] == "==":
            return lambda subject: literal in subject.values(field)
        return lambda subject: literal not in subject.values(field)

    def _field(self) -> str:
        token = self._peek()
        if token is None or token[0] != "word" or token[1] not in FIELDS:
            got = "the end" if token is None else repr(token[1])
            raise ConditionError(f"expected one of {', '.join(FIELDS)} or matches(...), got {got}")
        self._at += 1
        return token[1]


def _pattern(text: str) -> re.Pattern[str]:
    if len(text) > MAX_PATTERN_CHARS:
        raise ConditionError(f"a pattern must be at most {MAX_PATTERN_CHARS} characters")
    try:
        return re.compile(text)
    except re.error as error:
        raise ConditionError(f"bad regular expression {text!r}: {error}") from None
