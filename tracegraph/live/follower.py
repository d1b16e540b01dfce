"""The feed follower: one per server process, the only reader of the change feed in it.

While it has subscribers, it polls `changes_after(position)` every `TRACEGRAPH_FEED_POLL_SECONDS`, or at once when
this process wrote a report (the store's change listeners wake it), and hands each change to the subscribers of its
org through bounded queues. Without subscribers it reads nothing (an idle server costs the store nothing); the
first subscriber brings its position forward (`ensure_current`).
A subscriber whose queue is full is dropped (its stream ends with `SlowConsumer`) rather than buffered without
bound. Polling the store, not an in-process bus, is what makes a report written through another process (or
replica) reach this one's subscribers: the feed is the only thing they share.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from tracegraph.errors import InvalidInput, TracegraphError
from tracegraph.graph.changes import MAX_CHANGES_PAGE, Change
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore

logger = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(hours=1)


class SlowConsumer(Exception):
    """The subscriber's queue overflowed: it read events slower than they came."""


class FeedLost(Exception):
    """The follower could not read changes it had not delivered yet (pruned while the store was unreachable)."""


class Subscriber:
    """One subscription's inbox: the changes of its orgs, in feed order, at most `size` waiting."""

    def __init__(self, orgs: frozenset[str], size: int) -> None:
        self.orgs = orgs
        self._queue: asyncio.Queue[Change] = asyncio.Queue(maxsize=size)
        self._failure: Exception | None = None
        self._failed = asyncio.Event()

    def offer(self, change: Change) -> bool:
        """False when the queue is full: the subscriber is then failed with `SlowConsumer`."""
        try:
            self._queue.put_nowait(change)
        except asyncio.QueueFull:
            self.fail(SlowConsumer())
            return False
        return True

    def fail(self, failure: Exception) -> None:
        self._failure = failure
        self._failed.set()

    async def next(self) -> Change:
        if self._failure is not None:
            raise self._failure
        if self._queue.empty():
            getting = asyncio.ensure_future(self._queue.get())
            failing = asyncio.ensure_future(self._failed.wait())
            try:
                await asyncio.wait((getting, failing), return_when=asyncio.FIRST_COMPLETED)
            finally:
                failing.cancel()
                if not getting.done():
                    getting.cancel()
            if self._failure is not None:
                raise self._failure
            return getting.result()
        return self._queue.get_nowait()


class FeedFollower:
    def __init__(
        self,
        store: GraphStore,
        *,
        poll_seconds: float,
        queue_size: int,
        retention: timedelta,
        page: int = MAX_CHANGES_PAGE,
    ) -> None:
        self.store = store
        self.queue_size = queue_size
        self.position = 0  # the last change id read (and dispatched)
        self.polls = 0
        self._poll_seconds = poll_seconds
        self._retention = retention
        self._page = page
        self._subscribers: set[Subscriber] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._pruned_at = utc_now()
        self._stopping = False
        self._positioned = False  # whether `position` was read from the store (it may be down at start-up)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def start(self) -> None:
        try:
            self.position = await self.store.last_change_id()
            self._positioned = True
            await self.store.prune_changes(utc_now() - self._retention)  # then every PRUNE_EVERY
        except TracegraphError as error:
            logger.error("The change feed cannot be read yet: %s", error.message)  # the loop retries
        self.store.change_listeners.add(self.wake)
        self._task = asyncio.create_task(self._run(), name="tracegraph-feed-follower")

    async def stop(self) -> None:
        self._stopping = True
        self.store.change_listeners.remove(self.wake)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def ensure_current(self) -> None:
        """With no subscriber the follower does not poll: bring its position to the feed's last id, skipping what
        nobody was waiting for."""
        if self._subscribers:
            return
        last = await self.store.last_change_id()
        if not self._subscribers:  # still nobody, after the read
            self.position = max(self.position, last)
            self._positioned = True

    def subscribe(self, orgs: frozenset[str]) -> Subscriber:
        """Changes after `position` go to the new subscriber; the caller has read those up to it from the store."""
        subscriber = Subscriber(orgs, self.queue_size)
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    async def _run(self) -> None:
        while not self._stopping:
            # asyncio.timeout, not wait_for: Python 3.11's wait_for loses a cancellation that comes as the wake-up
            # does (a report written while the app shuts down), and stop() would wait for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._wake.wait()
            self._wake.clear()
            try:
                if self._subscribers:
                    await self.poll()
                await self._prune()
            except TracegraphError as error:
                # The store is unreachable (or the position was pruned meanwhile): retry at the next poll.
                logger.error("Reading the change feed failed: %s", error.message)
            except Exception:
                logger.exception("The feed follower failed; it goes on at the next poll")

    async def poll(self) -> None:
        """Read and dispatch every change after `position`, a page at a time."""
        if not self._positioned:
            self.position = await self.store.last_change_id()
            self._positioned = True
        while True:
            self.polls += 1
            try:
                page = await self.store.changes_after(self.position, limit=self._page)
            except InvalidInput:
                await self._lost()
                return
            for change in page:
                self._dispatch(change)
                self.position = change.id
            if len(page) < self._page:
                return

    def _dispatch(self, change: Change) -> None:
        for subscriber in list(self._subscribers):
            if change.org in subscriber.orgs and not subscriber.offer(change):
                self._subscribers.discard(subscriber)

    async def _lost(self) -> None:
        """Changes not yet delivered were pruned (the store was out of reach for longer than the retention): end
        every subscription, whose clients resume from their last id (and are told if that is gone too)."""
        logger.error("The change feed moved past changes not yet delivered; ending every subscription")
        for subscriber in list(self._subscribers):
            subscriber.fail(FeedLost())
        self._subscribers.clear()
        self.position = await self.store.last_change_id()

    async def _prune(self) -> None:
        now = utc_now()
        if now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        pruned = await self.store.prune_changes(now - self._retention)
        if pruned:
            logger.info("Pruned %d changes older than %s", pruned, self._retention)
