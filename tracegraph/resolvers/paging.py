"""Relay paging with keyset cursors.

A cursor is an opaque, URL-safe token naming the *key* of the last item seen (e.g. a snapshot index, or an observed
name and fingerprint), never an offset: a deep page costs the same as the first one, and items added meanwhile do not
shift the pages. `first` defaults to 15 and may not exceed 100 (as in GitHub's API). Cursors are written and
checked in `tracegraph.resolvers.cursors`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tracegraph.errors import InvalidInput
from tracegraph.graph.selectors import MAX_PAGE
from tracegraph.resolvers.cursors import CURSOR_RULE, Key, decode_cursor, encode_cursor

__all__ = ["DEFAULT_PAGE", "Page", "PageArgs", "decode_cursor", "encode_cursor", "page_args", "page_sequence"]

DEFAULT_PAGE = 15
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageArgs:
    """Validated paging arguments: exactly one direction, a size in 0..100."""

    size: int
    forward: bool
    cursor: Key | None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]  # (cursor, item) in the connection's order
    has_next: bool
    has_previous: bool
    total: int | None


def page_args(
    kind: str,
    *,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
) -> PageArgs:
    if first is not None and last is not None:
        raise InvalidInput(
            "last", "cannot be combined with first; page forward with first/after or back with last/before"
        )
    if last is not None or (before is not None and first is None):
        size = DEFAULT_PAGE if last is None else last
        _check_size("last", size)
        if after is not None:
            raise InvalidInput("after", "cannot be combined with last/before")
        return PageArgs(size, False, decode_cursor(kind, before, field="before") if before is not None else None)
    size = DEFAULT_PAGE if first is None else first
    _check_size("first", size)
    if before is not None:
        raise InvalidInput("before", "cannot be combined with first/after")
    return PageArgs(size, True, decode_cursor(kind, after, field="after") if after is not None else None)


def _check_size(field: str, size: int) -> None:
    if not 0 <= size <= MAX_PAGE:
        raise InvalidInput(field, f"must be between 0 and {MAX_PAGE} (default {DEFAULT_PAGE}); got {size}")


def page_sequence(kind: str, items: Sequence[T], key: Callable[[T], Key], args: PageArgs) -> Page[T]:
    """Page a sequence already sorted by `key` (ascending). The store answered it whole in one call; paging here
    finds the cursor by binary search, so it does not depend on how deep the page is."""
    keys = [key(item) for item in items]
    if args.cursor is not None and keys and [type(part) for part in args.cursor] != [type(part) for part in keys[0]]:
        raise InvalidInput("after" if args.forward else "before", f"must be {CURSOR_RULE}")
    if args.forward:
        start = bisect_right(keys, args.cursor) if args.cursor is not None else 0
        stop = min(start + args.size, len(items))
        has_next, has_previous = stop < len(items), start > 0
    else:
        stop = bisect_left(keys, args.cursor) if args.cursor is not None else len(items)
        start = max(stop - args.size, 0)
        has_next, has_previous = stop < len(items), start > 0
    chosen = [(encode_cursor(kind, keys[i]), items[i]) for i in range(start, stop)]
    return Page(chosen, has_next=has_next, has_previous=has_previous, total=len(items))
