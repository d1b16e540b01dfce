"""When a GraphQL answer is HTTP 503: the store was unavailable for the whole operation.

An operation fails "as a whole" when one of its errors is UNAVAILABLE and no root field answered (`data` is null,
or every root field is null with an error of its own). Such an answer is 503 with `Retry-After`, so clients, load
balancers and retry policies see an outage rather than a 200. A partial answer (some root field answered) stays
200: its data is real. A batch is 503 only when every operation in it failed so.
"""

from __future__ import annotations

from starlette.responses import Response
from strawberry.types import ExecutionResult

RETRY_AFTER_SECONDS = 2


def unavailable_throughout(result: ExecutionResult) -> bool:
    errors = result.errors or []
    if not any((error.extensions or {}).get("code") == "UNAVAILABLE" for error in errors):
        return False
    if result.data is None:
        return True
    failed = {error.path[0] for error in errors if error.path}
    return all(value is None and key in failed for key, value in result.data.items())


class StatusByOutcome:
    """Sets the status of the view's response (its `sub_response`) from the results of one HTTP request."""

    def __init__(self, response: Response) -> None:
        self.response = response
        self.results = 0
        self.unavailable = 0

    def record(self, result: ExecutionResult) -> None:
        self.results += 1
        self.unavailable += unavailable_throughout(result)
        if self.unavailable == self.results:
            self.response.status_code = 503
            self.response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        elif self.response.status_code == 503:
            self.response.status_code = None  # type: ignore[assignment]  # Strawberry's "not set": 200
            del self.response.headers["Retry-After"]
