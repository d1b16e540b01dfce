"""A lone surrogate (possible in a Python str, never in UTF-8) given to a store read is `InvalidInput` naming the
argument, on every backend, before any database work — never a driver's UnicodeEncodeError."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.contract.scenario import ORG, topology
from tracegraph.errors import InvalidInput
from tracegraph.graph.rules import UNICODE_RULE
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore

BAD = "a\ud800"
LATEST = SnapshotSelector(kind=SelectorKind.LATEST)
Read = Callable[[Any], Awaitable[object]]

READS: list[tuple[str, Read, str]] = [
    ("get_org", lambda store: store.get_org(BAD), "name"),
    ("get_flow", lambda store: store.get_flow(ORG, BAD), "name"),
    ("get_flow", lambda store: store.get_flow(BAD, "web"), "org"),
    ("list_flows", lambda store: store.list_flows(BAD), "org"),
    ("get_environment", lambda store: store.get_environment(ORG, BAD), "name"),
    ("list_environments", lambda store: store.list_environments(BAD), "org"),
    ("list_tokens", lambda store: store.list_tokens(BAD), "org"),
    ("revoke_token", lambda store: store.revoke_token(ORG, BAD), "token_id"),
    ("token_by_hash", lambda store: store.token_by_hash(BAD), "secret_hash"),
    ("snapshot", lambda store: store.snapshot(ORG, BAD, LATEST), "environment"),
    ("artifact", lambda store: store.artifact(ORG, "web", "abcde" + BAD), "fingerprint_prefix"),
    ("artifacts_for_commit", lambda store: store.artifacts_for_commit(ORG, "abcde" + BAD), "commit_prefix"),
    ("list_artifacts", lambda store: store.list_artifacts(ORG, "web", limit=5, after=BAD), "after"),
    ("commit", lambda store: store.commit(ORG, "abcde" + BAD), "sha_prefix"),
    ("commits", lambda store: store.commits(ORG, ["abcdef", "abcde" + BAD]), "prefixes.1"),
    ("commit_placements", lambda store: store.commit_placements(BAD, ["a" * 40]), "org"),
    ("commits_with_history", lambda store: store.commits_with_history(ORG, [BAD]), "shas.0"),
    ("search", lambda store: store.search(ORG, "abcde" + BAD), "prefix"),
    ("diff", lambda store: store.diff(ORG, (BAD, LATEST), ("prod", LATEST)), "source.0"),
    ("versions", lambda store: store.versions(ORG, flow=BAD), "flow"),
    ("versions", lambda store: store.versions(ORG, name=BAD), "name"),
]


async def _refused(target: Any) -> None:
    for method, read, field in READS:
        with pytest.raises(InvalidInput) as error:
            await read(target)
        assert (method, error.value.field) == (method, field)
        assert error.value.rule.startswith(f"must be {UNICODE_RULE}")


async def test_store_reads_refuse_lone_surrogates_naming_the_argument(store: GraphStore) -> None:
    await topology(store)
    await _refused(store)
    assert [flow.name for flow in await store.list_flows(ORG)]  # the store is still fine
