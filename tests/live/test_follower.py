"""The feed follower and one subscriber's stream on a real embedded store: the backlog then the live fan-out without
gap or duplicate, a slow consumer dropped instead of buffered, no reads while nobody listens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from tests.contract.scenario import ORG, build, topology
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.live.follower import FeedFollower, SlowConsumer
from tracegraph.live.stream import changes


@pytest_asyncio.fixture(loop_scope="session")
async def follower(tmp_path: Path) -> AsyncIterator[FeedFollower]:
    store = EmbeddedStore(tmp_path / "tracegraph.sqlite3")
    await store.start()
    await topology(store)
    following = FeedFollower(store, poll_seconds=0.05, queue_size=3, retention=timedelta(days=7))
    await following.start()
    yield following
    await following.stop()
    await store.close()


async def test_a_resume_reads_the_backlog_then_joins_the_live_changes(follower: FeedFollower) -> None:
    store = follower.store
    for n in range(5):
        await build(store, "web", f"w{n}")
    stream = changes(follower, frozenset([ORG]), after=2, page=2)  # pages of 2: the backlog takes two reads
    seen = [(await anext(stream)).id for _ in range(3)]
    await build(store, "web", "w5")
    seen.append((await asyncio.wait_for(anext(stream), 5)).id)
    await stream.aclose()
    assert seen == [3, 4, 5, 6]
    assert follower.subscribers == 0


async def test_a_slow_consumer_is_dropped(follower: FeedFollower) -> None:
    store = follower.store
    stream = changes(follower, frozenset([ORG]), after=None)
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.1)  # subscribed, waiting
    for n in range(5):  # one taken, 3 queued, the 5th overflows
        await build(store, "web", f"w{n}")
    await first
    for _ in range(10):
        if follower.subscribers == 0:
            break
        await asyncio.sleep(0.05)
    assert follower.subscribers == 0
    with pytest.raises(SlowConsumer):
        await anext(stream)


async def test_an_idle_follower_reads_nothing(follower: FeedFollower) -> None:
    store = follower.store
    before, polls = store.round_trips, follower.polls
    await build(store, "web", "w")  # wakes the follower: nobody listens, so it reads nothing
    await asyncio.sleep(0.3)
    assert (store.round_trips - before, follower.polls - polls) == (1, 0)
    stream = changes(follower, frozenset([ORG]), after=None)
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.1)
    await build(store, "web", "w2")
    assert (await asyncio.wait_for(waiting, 5)).fingerprint is not None
    await stream.aclose()
