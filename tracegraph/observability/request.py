"""What one HTTP request did, gathered as it runs: its id, GraphQL operation, org, store round trips.

The record lives in a context variable set by `tracegraph.observability.middleware.Observe`; tasks started inside the
request (batched operations, gathered resolvers) copy the context and so share the same mutable record.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field

REQUEST_ID_HEADER = "x-request-id"
# A client's id is kept when it is a plain token: no spaces, quotes or control characters that could forge a log
# line or a header, and short.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")


def request_id(incoming: str | None) -> str:
    """The client's `X-Request-ID` when it is a sane token, else a new one."""
    if incoming is not None and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


@dataclass(slots=True)
class RequestRecord:
    id: str
    method: str
    path: str
    status: int = 0  # 0: no response was sent (the client went away, or the app raised)
    operations: list[str] = field(default_factory=list)  # GraphQL operation names, in execution order
    org: str | None = None
    round_trips: int = 0
    error_codes: list[str] = field(default_factory=list)

    @property
    def operation(self) -> str:
        """The operation name for logs and metrics; a batch's names joined by commas."""
        return ",".join(self.operations)


CURRENT: ContextVar[RequestRecord | None] = ContextVar("tracegraph_request", default=None)


def current() -> RequestRecord | None:
    return CURRENT.get()
