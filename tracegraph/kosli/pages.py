"""`page` (1-based) and `per_page` as the CLI sends them (SPEC §1.7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from starlette.requests import Request

from tracegraph.errors import InvalidInput
from tracegraph.graph.selectors import MAX_PAGE, parse_number

T = TypeVar("T")


def _number(request: Request, name: str, default: int, *, most: int) -> int:
    text = request.query_params.get(name, "")
    if not text:
        return default
    value = parse_number(text)
    if value is None or not 1 <= value <= most:
        raise InvalidInput(name, f"must be a whole number from 1 to {most}; got {text[:40]!r}")
    return value


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    per_page: int
    asked: bool

    @classmethod
    def of(cls, request: Request, *, default_per_page: int = 15) -> Paging:
        asked = "page" in request.query_params or "per_page" in request.query_params
        page = _number(request, "page", 1, most=1_000_000)
        per_page = _number(request, "per_page", default_per_page, most=MAX_PAGE)
        return cls(page=page, per_page=per_page, asked=asked)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def take(self, items: list[T]) -> list[T]:
        return items[self.offset : self.offset + self.per_page]

    def pages(self, total: int) -> int:
        return max((total + self.per_page - 1) // self.per_page, 1)
