"""The errors tracegraph raises on purpose.

    TracegraphError
     ├── InvalidInput   the caller sent something that breaks a rule (names the field and the rule)
     ├── NotFound       the thing asked for does not exist (or is not visible to the caller)
     ├── Conflict       the write contradicts what is stored
     ├── Forbidden      the caller may see the org but their role does not allow the operation
     └── Unavailable    the store cannot be reached

Anything else is a bug: the API masks it and logs it once. A request without a valid token never reaches code that
raises: the HTTP edge answers it 401 UNAUTHENTICATED (tracegraph.auth.middleware).
"""

from __future__ import annotations

from collections.abc import Sequence


class TracegraphError(Exception):
    """Base of every expected failure."""

    code = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(TracegraphError):
    """A value breaks a documented rule; `field` is its dotted path (e.g. `artifacts.3.fingerprint`)."""

    code = "BAD_USER_INPUT"

    def __init__(self, field: str, rule: str, *, candidates: Sequence[str] = ()) -> None:
        super().__init__(f"{field}: {rule}" if field else rule)
        self.field = field
        self.rule = rule
        self.candidates = tuple(candidates)


class NotFound(TracegraphError):
    code = "NOT_FOUND"


class Conflict(TracegraphError):
    code = "CONFLICT"


class Forbidden(TracegraphError):
    code = "FORBIDDEN"


class Unavailable(TracegraphError):
    """Its message names hosts, ports or paths: log it; callers get `UNAVAILABLE_MESSAGE`."""

    code = "UNAVAILABLE"


UNAVAILABLE_MESSAGE = "The store is unavailable; try again shortly."
