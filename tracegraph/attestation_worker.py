"""The child process that applies a custom attestation type to attestation data (`python -m
tracegraph.attestation_worker`), so that no schema or jq rule can hang or exhaust the server: the parent
(tracegraph/attestation_types.py) kills it after its time limit, and it caps its own memory.

Reads one JSON object from stdin: `{"schema": ..., "rules": [...], "data": ...}`. Writes JSON lines to stdout: first
`{"schema_errors": [{"path", "message"}...], "count": N}` (at most MAX_SCHEMA_ERRORS listed), then, only when the
data satisfies the schema, one `{"passed": bool, "reason": str | null}` per rule as each finishes."""

from __future__ import annotations

import json
import resource
import sys
from collections.abc import Iterable
from typing import Any

MEMORY_BYTES = 1 << 30
MAX_SCHEMA_ERRORS = 3
MAX_SHOWN = 200  # characters of a value or message quoted in a reason


def _path(parts: Iterable[Any]) -> str:
    """A JSON path as `$.a[0]["b c"]`."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}"
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def _short(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def schema_errors(schema: dict[str, Any], data: Any) -> tuple[list[dict[str, str]], int]:
    from jsonschema import Draft202012Validator

    found = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda error: list(map(str, error.path)))
    shown = [
        {"path": _path(error.absolute_path), "message": _short(f"{error.message} ({error.validator})")}
        for error in found[:MAX_SCHEMA_ERRORS]
    ]
    return shown, len(found)


def outcome(rule: str, data: Any) -> dict[str, Any]:
    """A rule passes when it yields exactly one value, `true`."""
    import jq

    try:
        values = jq.compile(rule).input_value(data).all()
    except ValueError as error:
        return {"passed": False, "reason": _short(f"raised an error: {' '.join(str(error).split())}")}
    # `is`, not `==`: in Python 1 == True, and a rule yielding 1 has not yielded true.
    if len(values) == 1 and values[0] is True:
        return {"passed": True, "reason": None}
    if not values:
        return {"passed": False, "reason": "yielded nothing; a rule must yield true"}
    if len(values) > 1:
        return {"passed": False, "reason": f"yielded {len(values)} values; a rule must yield one boolean"}
    if len(values) == 1 and values[0] is False:
        return {"passed": False, "reason": "yielded false"}
    shown = _short(json.dumps(values[0], ensure_ascii=False))
    return {"passed": False, "reason": f"yielded {shown}, not a boolean"}


def _emit(line: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    request = json.load(sys.stdin)
    shown, count = schema_errors(request["schema"], request["data"])
    _emit({"schema_errors": shown, "count": count})
    if count:
        return
    for rule in request["rules"]:
        _emit(outcome(rule, request["data"]))


if __name__ == "__main__":
    main()
