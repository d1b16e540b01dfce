"""Custom attestation types applied to attestation data: the data must satisfy the type's JSON Schema (else
`InvalidInput` naming the JSON paths that fail), and the attestation is compliant when every jq rule yields `true`;
a rule that yields anything else, or raises, is not met, with its reason kept in the attestation's `data`.

The schema and the rules run in a child process (`tracegraph.attestation_worker`) with a time limit and a memory
cap: a jq rule is a program (`def f: f; f` never ends, `[range(1e12)]` eats memory) and a schema `pattern` can
backtrack for ever, and a thread can be neither stopped nor bounded, while a process can be killed. It costs a
process start (~0.1 s) per custom attestation, which CI reporting does not notice."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import MAX_ATTESTATION_DATA_BYTES
from tracegraph.graph.model import AttestationType
from tracegraph.graph.rules import CUSTOM_KIND
from tracegraph.graph.store import GraphStore

EVALUATION_SECONDS = 5.0
MAX_RULE_SHOWN = 200  # characters of a rule's text kept with its result (the full rule is in its type's version)


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: str
    passed: bool
    reason: str | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What a custom attestation records: the type and version it was evaluated against, the data, the rules."""

    type: AttestationType
    data: Any
    rules: tuple[RuleResult, ...]

    @property
    def kind(self) -> str:
        return CUSTOM_KIND + self.type.name

    @property
    def compliant(self) -> bool:
        return all(result.passed for result in self.rules)

    def evidence(self) -> dict[str, Any]:
        """The attestation's `data` entries that show why it is (non-)compliant."""
        return {
            "type_name": self.type.name,
            "type_version": self.type.version,
            "attestation_data": self.data,
            "rule_results": [
                {"rule": _shown(result.rule), "passed": result.passed, "reason": result.reason} for result in self.rules
            ],
        }


def _shown(rule: str) -> str:
    return rule if len(rule) <= MAX_RULE_SHOWN else rule[: MAX_RULE_SHOWN - 1] + "…"


async def custom_attestation(
    store: GraphStore, org: str, type_name: str | None, data: Any, *, fields: tuple[str, str]
) -> Evaluation:
    """Read the type (its latest version) and apply it to `data`; `fields` names the type's and the data's field as
    the caller sent them (`type_name`/`attestation_data` for Kosli, GraphQL's own names for `attest`)."""
    type_field, data_field = fields
    if type_name is None or not type_name.strip():
        raise InvalidInput(type_field, "a custom attestation needs the name of its type")
    if data is None:
        raise InvalidInput(data_field, "a custom attestation needs its data (any JSON)")
    _check_size(data, data_field)
    found = await store.attestation_type(org, type_name.strip())
    return await evaluate(found, data, field=data_field)


def _check_size(data: Any, field: str) -> None:
    try:
        text = json.dumps(data, allow_nan=False)
    except ValueError:
        raise InvalidInput(field, "must be JSON: NaN and Infinity are not numbers there") from None
    except RecursionError:
        raise InvalidInput(field, "must be JSON nested less deeply") from None
    if len(text) > MAX_ATTESTATION_DATA_BYTES:
        raise InvalidInput(field, f"must serialise to at most {MAX_ATTESTATION_DATA_BYTES} bytes of JSON")


async def evaluate(
    attestation_type: AttestationType, data: Any, *, field: str, seconds: float = EVALUATION_SECONDS
) -> Evaluation:
    request = json.dumps({"schema": attestation_type.json_schema, "rules": attestation_type.jq_rules, "data": data})
    lines = await _run_worker(request.encode(), seconds)
    if not lines:
        raise InvalidInput(field, f"could not be checked against the schema of type '{attestation_type.name}' "
                                  f"within {seconds:g} s")  # fmt: skip
    head = lines[0]
    if head["count"]:
        raise InvalidInput(field, _schema_failure(attestation_type, head["schema_errors"], head["count"]))
    results = [
        RuleResult(rule, line["passed"], line["reason"])
        for rule, line in zip(attestation_type.jq_rules, lines[1:], strict=False)
    ]
    unfinished = attestation_type.jq_rules[len(results) :]
    if unfinished:
        results.append(RuleResult(unfinished[0], False, f"did not finish within {seconds:g} s or ran out of memory"))
        results += [RuleResult(rule, False, "not run: an earlier rule did not finish") for rule in unfinished[1:]]
    return Evaluation(type=attestation_type, data=data, rules=tuple(results))


def _schema_failure(attestation_type: AttestationType, errors: list[dict[str, str]], count: int) -> str:
    listed = "; ".join(f"{error['path']}: {error['message']}" for error in errors)
    more = f" (and {count - len(errors)} more)" if count > len(errors) else ""
    return (
        f"does not satisfy the schema of type '{attestation_type.name}' (version {attestation_type.version}): "
        f"{listed}{more}"
    )


def _worker_environment() -> dict[str, str]:
    """Nothing of the server's environment: jq's `$ENV` and `env` would hand its secrets (the Neo4j password) to any
    rule, whose result is kept where readers see it. Only where Python finds the package, when set."""
    return {key: value for key, value in os.environ.items() if key == "PYTHONPATH"}


async def _run_worker(request: bytes, seconds: float) -> list[dict[str, Any]]:
    """The worker's lines read until it ends or the time is up (then it is killed)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tracegraph.attestation_worker",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env=_worker_environment(),
    )
    assert process.stdin is not None
    assert process.stdout is not None
    lines: list[dict[str, Any]] = []
    try:
        async with asyncio.timeout(seconds):
            process.stdin.write(request)
            await process.stdin.drain()
            process.stdin.close()
            while line := await process.stdout.readline():
                lines.append(json.loads(line))
            await process.wait()
    except TimeoutError:
        pass
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return lines
