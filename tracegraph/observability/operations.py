"""What a GraphQL operation adds to its request's record: its name, the caller's org, its errors' codes."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from tracegraph.observability.request import current

ANONYMOUS_OPERATION = "(anonymous)"


class OperationNames(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        record = current()
        if record is None:
            return
        # After the operation: the document is parsed by now, so an unnamed request gets its document's name.
        record.operations.append(self.execution_context.operation_name or ANONYMOUS_OPERATION)
        principal = getattr(self.execution_context.context, "principal", None)
        record.org = getattr(principal, "org", None)


def record_errors(result: ExecutionResult) -> None:
    record = current()
    if record is None or not result.errors:
        return
    for error in result.errors:
        code = (error.extensions or {}).get("code")
        record.error_codes.append(code if isinstance(code, str) else "GRAPHQL")
