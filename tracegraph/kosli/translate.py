"""Kosli request bodies turned into the store's inputs. Each function answers inputs that are fully validated
(`parse` of tracegraph.graph.inputs), so a broken rule is refused before anything is written, naming the field as
the CLI sent it."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from pydantic import BaseModel

from tracegraph.errors import InvalidInput
from tracegraph.evidence import Evidence
from tracegraph.graph.inputs import (
    ArtifactInput,
    AttestationInput,
    CommitsInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    SnapshotInput,
    parse,
)
from tracegraph.graph.rules import FINGERPRINT_RULE
from tracegraph.kosli.bodies import Upload
from tracegraph.kosli.errors import NotSupported
from tracegraph.kosli.models import (
    ArtifactBody,
    AttestationBody,
    EnvironmentBody,
    FlowBody,
    GitCommitInfo,
    SnapshotReportBody,
)

REPORT_TYPES = ("server", "docker", "K8S", "ECS", "lambda", "S3", "azure-apps", "cloud-run")
MISSING_CLOUD_RUN = (
    "environments of type cloud-run are not supported yet: the store's EnvironmentType has no CLOUD_RUN member"
)
_AUTHOR = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>\s*$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def parse_as(model: type[BaseModel], data: dict[str, Any], names: dict[str, str]) -> Any:
    """`parse`, with the failing field renamed to what the CLI called it."""
    try:
        return parse(model, data)
    except InvalidInput as error:
        head, _, rest = error.field.partition(".")
        field = names.get(head, head) + (f".{rest}" if rest else "")
        raise InvalidInput(field, error.rule, candidates=error.candidates) from None


def flow_input(org: str, body: FlowBody) -> FlowInput:
    result: FlowInput = parse_as(FlowInput, {"org": org, "name": body.name, "description": body.description}, {})
    return result


def environment_type(text: str) -> EnvironmentType:
    """The CLI's type names, compared case-insensitively as the CLI itself compares them."""
    for member in EnvironmentType:
        if member.value.lower() == text.lower():
            return member
    if text.lower() == "cloud-run":
        raise NotSupported(MISSING_CLOUD_RUN)
    choices = ", ".join([*(member.value for member in EnvironmentType), "cloud-run"])
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


def artifact_inputs(org: str, flow: str, body: ArtifactBody) -> tuple[CommitsInput | None, ArtifactInput]:
    """The artifact, with its commit (and, from `report artifact`, the commit's parents); and the rest of
    `commits_list` as a history batch when the body names the repository (a batch needs one)."""
    head: dict[str, Any] | None = None
    history: list[dict[str, Any]] = []
    for listed in body.commits_list or []:
        item = _commit(listed, listed.parents)
        if listed.sha1 == body.git_commit and head is None:
            head = item
        history.append(item)
    if head is None and body.git_commit_info is not None:
        head = _commit(body.git_commit_info, None)
    repo_url = body.repo_url or (body.repo_info.url if body.repo_info else None) or None
    data: dict[str, Any] = {
        "org": org,
        "flow": flow,
        "fingerprint": body.fingerprint,
        "name": body.filename,
        "git_commit": body.git_commit or (head["sha"] if head else None),
        "commit_url": body.commit_url or None,
        "build_url": body.build_url or None,
        "commit": head,
        "repo_url": repo_url,
    }
    artifact: ArtifactInput = parse_as(ArtifactInput, data, {"name": "filename", "commit": "git_commit_info"})
    others = [item for item in history if head is None or item["sha"] != head["sha"]]
    if not others or repo_url is None:
        return None, artifact
    batch = {
        "org": org,
        "repo_url": repo_url,
        "repo_name": body.repo_info.name if body.repo_info else None,
        "provider": body.repo_info.provider if body.repo_info else None,
        "commits": others,
    }
    commits: CommitsInput = parse_as(CommitsInput, batch, {"commits": "commits_list", "repo_url": "repo_url"})
    return commits, artifact


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
    """Every digest entry is one running instance; the same fingerprint in several items (or under several names)
    adds instances, observed under the first name it appeared with."""
    if report_type not in REPORT_TYPES:
        raise InvalidInput("type", f"must be one of {', '.join(REPORT_TYPES)}; got {report_type[:40]!r}")
    running: dict[str, dict[str, Any]] = {}
    for position, item in enumerate(body.artifacts):
        for name, digest in item.digests.items():
            fingerprint = _fingerprint(digest, report_type, f"artifacts.{position}.digests.{name}")
            if fingerprint is None:
                continue
            entry = running.setdefault(fingerprint, {"fingerprint": fingerprint, "name": name, "instances": 0})
            entry["instances"] += 1
    data = {"org": org, "environment": environment, "artifacts": list(running.values())}
    result: SnapshotInput = parse_as(SnapshotInput, data, {})
    return result


def _compliance(kind: str, body: AttestationBody) -> bool:
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
    raise NotSupported(
        f"{kind} attestations are not supported yet: custom attestation types (schema and rules) need "
        "create_attestation_type(AttestationTypeInput) and attestation_type(org, name) in the store"
    )


def attestation_input(
    org: str,
    flow: str,
    trail: str,
    kind: str,
    body: AttestationBody,
    attachment: Upload | None,
    kept: Evidence | None,
) -> AttestationInput:
    """An attestation bound to an artifact by `artifact_fingerprint`. The trail, the git commit and the
    attachment's name, size and SHA-256 (its content is in the evidence store, `kept`) are kept in `data`."""
    compliant = _compliance(kind, body)
    if body.artifact_fingerprint is None:
        raise NotSupported(
            "attestations without --fingerprint (trail-level, or bound by --name TEMPLATE_ARTIFACT.NAME and "
            "commit) are not supported yet: the store has no trails (begin_trail, attest_trail)"
        )
    data: dict[str, Any] = {"trail": trail}
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
    fields = {
        "org": org,
        "flow": flow,
        "fingerprint": body.artifact_fingerprint,
        "type": kind,
        "name": body.attestation_name,
        "compliant": compliant,
        "url": body.origin_url or None,
        "data": data,
    }
    result: AttestationInput = parse_as(
        AttestationInput, fields, {"fingerprint": "artifact_fingerprint", "name": "attestation_name"}
    )
    return result
