"""One subscription's changes, in feed order, each once: first what the store holds after `after` (paged), then
the follower's live fan-out.

The hand-over has no gap: the subscriber joins the fan-out in the same step (no await between) as it sees that
its reads reached the follower's position, so every later change reaches its queue. It has no duplicate: a change
at or below the last id delivered is skipped (the store may have been ahead of the follower).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from tracegraph.graph.changes import MAX_CHANGES_PAGE, Change
from tracegraph.live.follower import FeedFollower


async def changes(
    follower: FeedFollower, orgs: frozenset[str], *, after: int | None, page: int = MAX_CHANGES_PAGE
) -> AsyncGenerator[Change, None]:
    """The changes of `orgs` after `after` (None: from now). An `after` pruned or beyond the feed raises
    `InvalidInput('after')` before anything is yielded."""
    store = follower.store
    if after is not None:
        await store.changes_after(after, limit=1, orgs=[])  # refuses a pruned or unknown resume point at once
    cursor = await store.last_change_id() if after is None else after
    await follower.ensure_current()
    scanned = cursor
    while True:
        target = follower.position
        if scanned >= target:
            break
        found = await store.changes_after(scanned, limit=page, orgs=sorted(orgs))
        for change in found:
            cursor = scanned = change.id
            yield change
        if len(found) < page:
            # Everything up to `target` (committed before it was read) has been seen, even other orgs' changes.
            scanned = max(scanned, target)
    subscriber = follower.subscribe(orgs)
    try:
        while True:
            change = await subscriber.next()
            if change.id <= cursor:
                continue
            cursor = change.id
            yield change
    finally:
        follower.unsubscribe(subscriber)
