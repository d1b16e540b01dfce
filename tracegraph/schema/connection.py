"""Relay connections, as in GitHub's API: `edges { cursor node }`, `nodes`, `pageInfo`, `totalCount`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from tracegraph.resolvers.paging import Page

NodeT = TypeVar("NodeT")
ItemT = TypeVar("ItemT")

PAGING_RULE = (
    "Paging: `first` (default 15, at most 100) with `after`, or `last` (at most 100) with `before`; cursors are "
    "opaque keyset tokens taken from `edges.cursor` or `pageInfo` and passed back unchanged; any other value is "
    "refused (BAD_USER_INPUT naming the argument)."
)


@strawberry.type(description="Where a page sits in its connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether a page follows this one (paging forward).")
    has_previous_page: bool = strawberry.field(description="Whether a page precedes this one (paging back).")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge; null on an empty page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge; null on an empty page.")


@strawberry.type(description="An item of a page, with the cursor to page from it.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque keyset cursor: pass it as `after` or `before`.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of items. " + PAGING_RULE)
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The page's items with their cursors, in order.")
    nodes: list[NodeT] = strawberry.field(description="The page's items, in order (the edges without cursors).")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages exist.")
    total_count: int | None = strawberry.field(
        description="How many items match across all pages; null where counting would need a full scan (a flow's "
        "artifacts)."
    )


def connection(page: Page[ItemT], convert: Callable[[ItemT], NodeT]) -> Connection[NodeT]:
    nodes = [convert(item) for _, item in page.items]
    edges = [Edge(cursor=cursor, node=node) for (cursor, _), node in zip(page.items, nodes, strict=True)]
    return Connection(
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.items[0][0] if page.items else None,
            end_cursor=page.items[-1][0] if page.items else None,
        ),
        total_count=page.total,
    )
