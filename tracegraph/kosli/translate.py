"""Kosli request bodies turned into the store's inputs. Each function answers inputs that are fully validated
(`parse` of tracegraph.graph.inputs), so a broken rule is refused before anything is written, naming the field as
the CLI sent it."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from pydantic import BaseModel

from tracegraph.attestation_types import Evaluation
from tracegraph.errors import InvalidInput
from tracegraph.evidence import Evidence
from tracegraph.graph.inputs import (
    MAX_INSTANCES_DETAIL,
    ArtifactInput,
    AttestationInput,
    CommitInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    SnapshotInput,
    TrailAttestationInput,
    TrailInput,
    parse,
)
from tracegraph.graph.rules import FINGERPRINT_RULE
from tracegraph.kosli.bodies import Upload
from tracegraph.kosli.errors import NotSupported
from tracegraph.kosli.instances import instance
from tracegraph.kosli.models import (
    ArtifactBody,
    AttestationBody,
    EnvironmentBody,
    FlowBody,
    GitCommitInfo,
    SnapshotReportBody,
    TrailBody,
)

REPORT_TYPES = ("server", "docker", "K8S", "ECS", "lambda", "S3", "azure-apps", "cloud-run")
_COMMITS = ("commit", "git_commit")  # store fields holding a commit the CLI sent as git_commit_info
_AUTHOR = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>\s*$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def parse_as(model: type[BaseModel], data: dict[str, Any], names: dict[str, str]) -> Any:
    """`parse`, with the failing field renamed to what the CLI called it."""
    try:
        return parse(model, data)
    except InvalidInput as error:
        head, _, rest = error.field.partition(".")
        if head in _COMMITS and rest == "sha":
            rest = "sha1"  # the CLI's name for a commit's sha
        field = names.get(head, head) + (f".{rest}" if rest else "")
        raise InvalidInput(field, error.rule, candidates=error.candidates) from None


def template_text(upload: Upload | None) -> str | None:
    """A template file as kept: UTF-8 text, never evaluated."""
    if upload is None:
        return None
    try:
        return upload.content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("template_file", "must be UTF-8 text (a YAML template)") from None


def legacy_template(names: list[str]) -> str:
    """The legacy endpoint's `template` list, kept as a YAML flow sequence (`["artifact","unit-test"]`, JSON being
    YAML) so `get flow` can answer it as the list the CLI sent."""
    return json.dumps(names, ensure_ascii=False, separators=(",", ":"))


def flow_input(org: str, body: FlowBody, template: Upload | None = None) -> FlowInput:
    template_yaml = template_text(template)
    if template_yaml is None and body.template is not None:
        template_yaml = legacy_template(body.template)
    data = {"org": org, "name": body.name, "description": body.description, "template_yaml": template_yaml}
    names = {"template_yaml": "template_file" if template is not None else "template"}
    result: FlowInput = parse_as(FlowInput, data, names)
    return result


def trail_input(org: str, flow: str, body: TrailBody, template: Upload | None) -> TrailInput:
    """`begin trail`: the commit (upserted with the trail), the repository of `repo_info`, the origin URL, the user
    data (a JSON object or array) and the trail's own template file."""
    if body.user_data is not None and not isinstance(body.user_data, dict | list):
        raise InvalidInput("user_data", "must be a JSON object or array (the content of a --user-data file)")
    data: dict[str, Any] = {
        "org": org,
        "flow": flow,
        "name": body.name,
        "description": body.description or "",
        "git_commit": _commit(body.git_commit_info, None) if body.git_commit_info is not None else None,
        "repo_url": (body.repo_info.url if body.repo_info else None) or None,
        "origin_url": body.origin_url or None,
        "user_data": {} if body.user_data is None else body.user_data,
        "template_yaml": template_text(template),
    }
    names = {"git_commit": "git_commit_info", "repo_url": "repo_info", "template_yaml": "template_file"}
    result: TrailInput = parse_as(TrailInput, data, names)
    return result


def environment_type(text: str) -> EnvironmentType:
    """The CLI's type names, compared case-insensitively as the CLI itself compares them."""
    for member in EnvironmentType:
        if member.value.lower() == text.lower():
            return member
    choices = ", ".join(member.value for member in EnvironmentType)
    raise InvalidInput("type", f"must be one of {choices}; got {text[:40]!r}")


def environment_input(org: str, body: EnvironmentBody) -> EnvironmentInput:
    data = {"org": org, "name": body.name, "type": environment_type(body.type), "description": body.description}
    result: EnvironmentInput = parse_as(EnvironmentInput, data, {})
    return result


def _commit(info: GitCommitInfo, parents: list[str] | None) -> dict[str, Any]:
    author, email = info.author.strip(), None
    if match := _AUTHOR.match(author):
        author, email = match.group("name").strip(), match.group("email").strip() or None
    return {
        "sha": info.sha1,
        "parents": parents,
        "message": info.message,
        "author": author or None,
        "author_email": email,
        "timestamp": info.timestamp,
        "branch": info.branch or None,
        "url": info.url or None,
    }


def _listed_commits(body: ArtifactBody) -> list[dict[str, Any]]:
    """`commits_list` items, each checked on its own so a broken one is named by its position and key as sent."""
    listed: list[dict[str, Any]] = []
    for position, item in enumerate(body.commits_list or []):
        commit = _commit(item, item.parents)
        try:
            parse(CommitInput, commit)
        except InvalidInput as error:
            head, _, rest = error.field.partition(".")
            key = {"sha": "sha1"}.get(head, head) + (f".{rest}" if rest else "")
            raise InvalidInput(f"commits_list.{position}" + (f".{key}" if key else ""), error.rule) from None
        listed.append(commit)
    return listed


def artifact_input(org: str, flow: str, body: ArtifactBody) -> ArtifactInput:
    """The artifact with its commit, its trail and template slot (`attest artifact`), and from `report artifact`
    the commit's parents and the rest of `commits_list` as its `history`: one `report_artifact` call, one
    transaction, with or without a repository URL."""
    head: dict[str, Any] | None = None
    history: list[dict[str, Any]] = []
    for item in _listed_commits(body):
        if item["sha"] == body.git_commit and head is None:
            head = item
        else:
            history.append(item)
    if head is None and body.git_commit_info is not None:
        head = _commit(body.git_commit_info, None)
    trail = body.trail_name or None
    slot = body.template_reference_name or None
    if slot is not None and trail is None:
        raise InvalidInput("trail_name", "is required with template_reference_name (--trail)")
    data: dict[str, Any] = {
        "org": org,
        "flow": flow,
        "fingerprint": body.fingerprint,
        "name": body.filename,
        "git_commit": body.git_commit or (head["sha"] if head else None),
        "commit_url": body.commit_url or None,
        "build_url": body.build_url or None,
        "commit": head,
        "repo_url": body.repo_url or (body.repo_info.url if body.repo_info else None) or None,
        "trail": trail,
        "template_reference_name": slot,
        "history": history,
    }
    names = {
        "name": "filename",
        "commit": "commits_list" if body.commits_list else "git_commit_info",
        "history": "commits_list",
        "trail": "trail_name",
    }
    artifact: ArtifactInput = parse_as(ArtifactInput, data, names)
    return artifact


def _fingerprint(digest: str, report_type: str, field: str) -> str | None:
    """The digest as a fingerprint; None for an empty one (ECS and Cloud Run send "" when unknown)."""
    text = digest.strip().removeprefix("sha256:")
    if not text:
        return None
    if _HEX64.match(text.lower()):
        return text.lower()
    if report_type == "lambda":
        # Image-packaged functions: AWS's CodeSha256 as AWS returns it, base64 of the 32-byte digest.
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) == 32:
            return raw.hex()
    raise InvalidInput(field, f"must be {FINGERPRINT_RULE}")


def snapshot_input(org: str, environment: str, report_type: str, body: SnapshotReportBody) -> SnapshotInput:
    """Every digest entry is one running instance, described by its item (`instances.instance`); the same
    fingerprint in several items (or under several names) adds instances, observed under the first name it
    appeared with. Over 1,000 instances of one fingerprint keep their count only."""
    if report_type not in REPORT_TYPES:
        raise InvalidInput("type", f"must be one of {', '.join(REPORT_TYPES)}; got {report_type[:40]!r}")
    running: dict[str, dict[str, Any]] = {}
    for position, item in enumerate(body.artifacts):
        for name, digest in item.digests.items():
            fingerprint = _fingerprint(digest, report_type, f"artifacts.{position}.digests.{name}")
            if fingerprint is None:
                continue
            entry = running.setdefault(
                fingerprint, {"fingerprint": fingerprint, "name": name, "instances": 0, "instances_detail": []}
            )
            entry["instances"] += 1
            entry["instances_detail"].append(instance(item, name))
    for entry in running.values():
        if len(entry["instances_detail"]) > MAX_INSTANCES_DETAIL:
            entry["instances_detail"] = []
    data = {"org": org, "environment": environment, "artifacts": list(running.values())}
    result: SnapshotInput = parse_as(SnapshotInput, data, {})
    return result


def _compliance(kind: str, body: AttestationBody, custom: Evaluation | None) -> bool:
    if custom is not None:
        return custom.compliant
    match kind:
        case "generic":
            return True if body.is_compliant is None else body.is_compliant
        case "junit":
            suites = body.junit_results or []
            return all(int(suite.get("failures") or 0) + int(suite.get("errors") or 0) == 0 for suite in suites)
        case "snyk":
            runs = (body.snyk_results or {}).get("results") or []
            counts = ("high_count", "medium_count", "low_count")
            return all(int(run.get(count) or 0) == 0 for run in runs for count in counts)
    raise NotSupported(f"{kind[:40]} attestations are not supported")


def _evidence(
    trail: str,
    kind: str,
    body: AttestationBody,
    attachment: Upload | None,
    kept: Evidence | None,
    custom: Evaluation | None,
) -> dict[str, Any]:
    """The fields an attestation keeps whatever it is bound to: its compliance, URL and `data` (the trail, the slot,
    the git commit and the attachment's name, size and SHA-256; its content is in the evidence store, `kept`). A
    custom attestation is typed `custom:<type>` and keeps its type's version, its data and each rule's result."""
    data: dict[str, Any] = {"trail": trail}
    if body.target_artifacts:
        data["target_artifact"] = body.target_artifacts[0]
    if body.user_data not in (None, {}):
        data["user_data"] = body.user_data
    for key in ("description", "annotations", "junit_results", "snyk_results"):
        value = getattr(body, key)
        if value:
            data[key] = value
    if body.git_commit_info is not None:
        data["git_commit"] = body.git_commit_info.sha1
    if attachment is not None:
        data["attachment"] = {"filename": attachment.filename, "bytes": len(attachment.content)}
        if kept is not None:
            data["attachment"]["sha256"] = kept.sha256
    if custom is not None:
        data.update(custom.evidence())
    return {
        "type": custom.kind if custom is not None else kind,
        "name": body.attestation_name,
        "compliant": _compliance(kind, body, custom),
        "url": body.origin_url or None,
        "data": data,
    }


def attestation_input(
    org: str,
    flow: str,
    trail: str,
    kind: str,
    body: AttestationBody,
    attachment: Upload | None,
    kept: Evidence | None,
    *,
    fingerprint: str,
    custom: Evaluation | None = None,
) -> AttestationInput:
    """An attestation bound to the artifact `fingerprint` (`artifact_fingerprint`, or the trail's artifact in the
    template slot `target_artifacts` names)."""
    evidence = _evidence(trail, kind, body, attachment, kept, custom)
    fields = {"org": org, "flow": flow, "fingerprint": fingerprint, **evidence}
    result: AttestationInput = parse_as(
        AttestationInput, fields, {"fingerprint": "artifact_fingerprint", "name": "attestation_name"}
    )
    return result


def trail_attestation_input(
    org: str,
    flow: str,
    trail: str,
    kind: str,
    body: AttestationBody,
    attachment: Upload | None,
    kept: Evidence | None,
    *,
    custom: Evaluation | None = None,
) -> TrailAttestationInput:
    """An attestation of the trail: trail-level, or pending for the template slot `target_artifacts` names (the
    store binds it when an artifact is reported into that slot, from the commit of `git_commit_info` when given)."""
    fields = {
        "org": org,
        "flow": flow,
        "trail": trail,
        "target_artifact": body.target_artifacts[0] if body.target_artifacts else None,
        "git_commit": body.git_commit_info.sha1 if body.git_commit_info is not None else None,
        **_evidence(trail, kind, body, attachment, kept, custom),
    }
    result: TrailAttestationInput = parse_as(
        TrailAttestationInput,
        fields,
        {"name": "attestation_name", "target_artifact": "target_artifacts", "git_commit": "git_commit_info.sha1"},
    )
    return result
