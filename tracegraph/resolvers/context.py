"""The per-request context every resolver receives as `info.context`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from tracegraph.auth.access import ANONYMOUS, Access, Principal
from tracegraph.graph.store import GraphStore
from tracegraph.live.connection import LiveConnection
from tracegraph.live.follower import FeedFollower
from tracegraph.resolvers.loaders import Loaders
from tracegraph.settings import Settings


@dataclass(slots=True)
class Context:
    store: GraphStore
    settings: Settings
    principal: Principal = ANONYMOUS
    authenticated: bool = True  # False only for a GraphiQL page load, which executes nothing
    # A WebSocket's context lives as long as the socket (tracegraph/live/): its connection and the process's feed.
    live: LiveConnection | None = None
    follower: FeedFollower | None = None
    connection_params: dict[str, object] | None = None  # the connection_init payload (Strawberry sets it)
    loaders: Loaders = field(init=False)
    access: Access = field(init=False)

    def __post_init__(self) -> None:
        self.renew()

    def renew(self) -> None:
        """Fresh loaders and rights, for each event of a subscription as for each request."""
        if self.live is not None:
            self.principal = self.live.principal
        self.access = Access(self.store, self.principal)
        # New loaders per request: their caches must never outlive one request (no stale reads, no shared memory).
        self.loaders = Loaders(
            self.store,
            max_item_lookups=self.settings.max_item_lookups,
            start_window=timedelta(seconds=self.settings.deployment_start_window_seconds),
        )
