"""Environment policy documents: YAML in Kosli's environment-policy shape, parsed with line numbers.

The YAML is composed into PyYAML's node tree (never constructed into Python objects), so every error names the
line and the rule (`line 7: artifacts.attestations[1].type: must be one of ...`). Unknown keys, duplicate keys,
anchors and aliases, and documents over `MAX_POLICY_BYTES` are refused. See docs/policies.md for the format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tracegraph.policies.expressions import Condition, ConditionError, parse_condition

SCHEMA_URL = "https://kosli.com/schemas/policy/environment/v1"
MAX_POLICY_BYTES = 65_536
MAX_RULES = 200
ANY_TYPE = "*"
BUILT_IN_TYPES = ("generic", "junit", "snyk", "jira", "pull_request", "sonar")
_CUSTOM_TYPE = re.compile(r"^custom:[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_ATTESTATION_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$")
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
TYPE_RULE = f"must be one of {', '.join((ANY_TYPE, *BUILT_IN_TYPES))} or custom:NAME"


class PolicyError(ValueError):
    """A document that is not a valid policy: `line` (1-based, or None) and the dotted `path` of the rule."""

    def __init__(self, line: int | None, path: str, rule: str) -> None:
        self.line, self.path, self.rule = line, path, rule
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{path}: {rule}" if path else f"{where}{rule}")


@dataclass(frozen=True, slots=True)
class Requirement:
    """A rule that applies unless an exception's condition holds."""

    required: bool = False
    exceptions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class RequiredAttestation:
    name: str
    type: str  # ANY_TYPE matches every type
    condition: Condition | None = None  # when set, only artifacts it holds for need the attestation

    def matches(self, name: str, kind: str) -> bool:
        return name == self.name and (self.type == ANY_TYPE or kind == self.type)

    @property
    def label(self) -> str:
        return self.name if self.type == ANY_TYPE else f"{self.name} ({self.type})"


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    provenance: Requirement
    trail_compliance: Requirement
    attestations: tuple[RequiredAttestation, ...]


def parse_policy(text: str) -> PolicyDocument:
    """The policy `text` holds, or `PolicyError` naming the line and the rule."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_POLICY_BYTES:
        raise PolicyError(None, "", f"must be at most {MAX_POLICY_BYTES} bytes")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = None if event.start_mark is None else int(event.start_mark.line) + 1
                raise PolicyError(line, "", "anchors and aliases are not supported")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + 1
        raise PolicyError(line, "", f"invalid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise PolicyError(None, "", f"invalid YAML: {error}") from None
    if root is None:
        raise PolicyError(None, "", f"is empty: a policy needs at least `_schema: {SCHEMA_URL}`")
    top = _mapping(root, "", {"_schema", "artifacts"})
    schema = top.get("_schema")
    if schema is None:
        raise PolicyError(_line(root), "_schema", f"is required: {SCHEMA_URL}")
    if _string(schema, "_schema") != SCHEMA_URL:
        raise PolicyError(_line(schema), "_schema", f"must be {SCHEMA_URL}")
    artifacts = top.get("artifacts")
    fields = (
        {}
        if artifacts is None or _is_null(artifacts)
        else _mapping(artifacts, "artifacts", {"provenance", "trail-compliance", "attestations"})
    )
    return PolicyDocument(
        provenance=_requirement(fields.get("provenance"), "artifacts.provenance"),
        trail_compliance=_requirement(fields.get("trail-compliance"), "artifacts.trail-compliance"),
        attestations=_attestations(fields.get("attestations"), "artifacts.attestations"),
    )


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _mapping(node: Node, path: str, allowed: set[str]) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        raise PolicyError(_line(node), path, "must be a mapping")
    found: dict[str, Node] = {}
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else None
        where = f"{path}.{name}" if path else str(name)
        if name is None or name not in allowed:
            raise PolicyError(_line(key), where, f"unknown key; allowed: {', '.join(sorted(allowed))}")
        if name in found:
            raise PolicyError(_line(key), where, "duplicate key")
        found[name] = value
    return found


def _sequence(node: Node | None, path: str) -> list[Node]:
    if node is None or _is_null(node):
        return []
    if not isinstance(node, SequenceNode):
        raise PolicyError(_line(node), path, "must be a list")
    if len(node.value) > MAX_RULES:
        raise PolicyError(_line(node), path, f"must have at most {MAX_RULES} items")
    return list(node.value)


def _string(node: Node, path: str) -> str:
    if not isinstance(node, ScalarNode) or node.tag != _STR or not node.value:
        raise PolicyError(_line(node), path, "must be a non-empty string")
    return str(node.value)


def _bool(node: Node, path: str) -> bool:
    if not isinstance(node, ScalarNode) or node.tag != _BOOL:
        raise PolicyError(_line(node), path, "must be true or false")
    return str(node.value).lower() in ("true", "yes", "on")


def _condition(node: Node, path: str) -> Condition:
    try:
        return parse_condition(_string(node, path))
    except ConditionError as error:
        raise PolicyError(_line(node), path, str(error)) from None


def _requirement(node: Node | None, path: str) -> Requirement:
    if node is None or _is_null(node):
        return Requirement()
    fields = _mapping(node, path, {"required", "exceptions"})
    required = _bool(fields["required"], f"{path}.required") if "required" in fields else False
    exceptions: list[Condition] = []
    for position, item in enumerate(_sequence(fields.get("exceptions"), f"{path}.exceptions")):
        where = f"{path}.exceptions[{position}]"
        entry = _mapping(item, where, {"if"})
        if "if" not in entry:
            raise PolicyError(_line(item), f"{where}.if", "is required")
        exceptions.append(_condition(entry["if"], f"{where}.if"))
    return Requirement(required=required, exceptions=tuple(exceptions))


def _checked(node: Node, path: str, check: Callable[[str], bool], rule: str) -> str:
    value = _string(node, path)
    if not check(value):
        raise PolicyError(_line(node), path, rule)
    return value


def _attestations(node: Node | None, path: str) -> tuple[RequiredAttestation, ...]:
    rules: list[RequiredAttestation] = []
    for position, item in enumerate(_sequence(node, path)):
        where = f"{path}[{position}]"
        entry = _mapping(item, where, {"name", "type", "if"})
        for key in ("name", "type"):
            if key not in entry:
                raise PolicyError(_line(item), f"{where}.{key}", "is required")
        name = _checked(
            entry["name"],
            f"{where}.name",
            lambda value: bool(_ATTESTATION_NAME.match(value)),
            "must be 1-200 letters, digits, '_', '.' or '-', not starting with '.' or '-'",
        )
        kind = _checked(
            entry["type"],
            f"{where}.type",
            lambda value: value == ANY_TYPE or value in BUILT_IN_TYPES or bool(_CUSTOM_TYPE.match(value)),
            TYPE_RULE,
        )
        condition = _condition(entry["if"], f"{where}.if") if "if" in entry else None
        rules.append(RequiredAttestation(name=name, type=kind, condition=condition))
    return tuple(rules)
