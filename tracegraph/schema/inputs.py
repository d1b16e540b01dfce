"""Mutation inputs. They carry plain GraphQL scalars; every rule (formats, lengths, caps) is checked once by the graph
layer's pydantic models, whose error names the offending field (e.g. `input.artifacts.3.fingerprint`)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from tracegraph.graph.inputs import (
    MAX_ATTESTATION_DATA_BYTES,
    MAX_COMMITS_PER_BATCH,
    MAX_INSTANCE_CONTEXT,
    MAX_INSTANCES_DETAIL,
    MAX_JQ_RULE,
    MAX_JQ_RULES,
    MAX_JSON_SCHEMA_BYTES,
    MAX_PARENTS,
    MAX_RUNNING,
    MAX_USER_DATA_BYTES,
)
from tracegraph.graph.rules import (
    FINGERPRINT_RULE,
    LABEL_RULE,
    NAME_RULE,
    OBSERVED_NAME_RULE,
    SHA_RULE,
    TEXT_RULE,
    URL_RULE,
)
from tracegraph.schema.enums import EnvironmentType

NAME = f"{NAME_RULE[0].upper()}{NAME_RULE[1:]}."
FINGERPRINT = f"The artifact's SHA-256 fingerprint: {FINGERPRINT_RULE.removeprefix('a SHA-256 fingerprint: ')}."
SHA = f"{SHA_RULE[0].upper()}{SHA_RULE[1:]}."
TEXT = f"Free text, {TEXT_RULE}."
URL = f"{URL_RULE[0].upper()}{URL_RULE[1:]}."
TIME = "ISO 8601 with a time zone, e.g. 2022-09-06T14:52:28Z."
LABEL = f"{LABEL_RULE}."
OBSERVED_NAME = f"{OBSERVED_NAME_RULE}."


def field(description: str, default: Any = None) -> Any:
    return strawberry.field(description=description, default=default)


@strawberry.input(description="Create an org, or update its description and visibility.")
class CreateOrgInput:
    name: str = strawberry.field(description=f"The org's name. {NAME}")
    public: bool = field("Whether any authenticated caller may read it.", False)
    description: str | None = field(TEXT)


@strawberry.input(description="Create a flow, or update it.")
class CreateFlowInput:
    org: str = strawberry.field(description="The org, which must exist.")
    name: str = strawberry.field(description=f"The flow's name. {NAME}")
    description: str | None = field(TEXT)
    repo_url: str | None = field(f"The source repository. {URL}")
    template_yaml: str | None = field(
        f"The flow's template (YAML), kept and returned as given, never evaluated; null keeps the stored one. {TEXT}"
    )


@strawberry.input(description="Create an environment, or update it.")
class CreateEnvironmentInput:
    org: str = strawberry.field(description="The org, which must exist.")
    name: str = strawberry.field(description=f"The environment's name. {NAME}")
    type: EnvironmentType = strawberry.field(description="What kind of environment it is.")
    description: str | None = field(TEXT)


@strawberry.input(description="A git commit with its parents.")
class CommitInput:
    sha: str = strawberry.field(description=SHA)
    parents: list[str] | None = field(f"Parent shas in git's order; at most {MAX_PARENTS}.")
    message: str | None = field(
        "The commit message, kept exactly as git holds it (any character but a lone surrogate); at most 10,000 "
        "characters."
    )
    author: str | None = field(f"The author's name. {LABEL}")
    author_email: str | None = field(f"The author's e-mail address. {LABEL}")
    timestamp: datetime | None = field(f"When it was authored. {TIME}")
    branch: str | None = field(f"The branch. {LABEL}")
    url: str | None = field(f"A link to the commit. {URL}")


@strawberry.input(description="Report a build: artifact `fingerprint` of `flow`, built from `gitCommit`. Idempotent.")
class ReportArtifactInput:
    org: str = strawberry.field(description="The org.")
    flow: str = strawberry.field(description="The flow, which must exist.")
    fingerprint: str = strawberry.field(description=FINGERPRINT)
    name: str = strawberry.field(description=f"The artifact's name, e.g. an image name; {OBSERVED_NAME}")
    git_commit: str | None = field(f"The commit it was built from. {SHA}")
    commit_url: str | None = field(f"A link to that commit. {URL}")
    build_url: str | None = field(f"A link to the CI build. {URL}")
    created_at: datetime | None = field(f"When it was built (default: now). {TIME}")
    commit: CommitInput | None = field("The commit's details, so they need no separate report; sha = gitCommit.")
    repo_url: str | None = field(f"The repository of `commit` and `history`. {URL}")
    trail: str | None = field(
        f"The trail (run of the flow) it belongs to, created when missing; null keeps the stored one. {NAME}"
    )
    template_reference_name: str | None = field(f"Its name in the trail's template; needs `trail`. {NAME}")
    history: list[CommitInput] | None = field(
        f"Git history written with the artifact, in the same transaction: at most {MAX_COMMITS_PER_BATCH:,} "
        "commits with their parents, each sha once; kept also without `repoUrl`."
    )


@strawberry.input(description="Begin a trail (one run of a flow), or update it; its creation time is kept.")
class BeginTrailInput:
    org: str = strawberry.field(description="The org.")
    flow: str = strawberry.field(description="The flow, which must exist.")
    name: str = strawberry.field(description=f"The trail's name, usually the commit's sha. {NAME}")
    description: str | None = field(TEXT)
    git_commit: CommitInput | None = field(
        "The commit the run is for, written to the commit graph with the trail; null keeps the stored one."
    )
    repo_url: str | None = field(f"The repository of `gitCommit`. {URL}")
    origin_url: str | None = field(f"A link to where the run happened, e.g. a CI job. {URL}")
    user_data: JSON | None = field(
        f"What the run reports about itself: a JSON object or array of at most {MAX_USER_DATA_BYTES:,} bytes."
    )
    template_yaml: str | None = field(
        f"The trail's template (YAML), kept as given, never evaluated; null keeps the stored one. {TEXT}"
    )


@strawberry.input(description="Report git history for one repository, in bulk. Idempotent.")
class ReportCommitsInput:
    org: str = strawberry.field(description="The org.")
    repo_url: str = strawberry.field(description=f"The repository. {URL}")
    repo_name: str | None = field(f"Its display name. {LABEL}")
    provider: str | None = field(f"Its host, e.g. github. {LABEL}")
    commits: list[CommitInput] = strawberry.field(
        description=f"1 to {MAX_COMMITS_PER_BATCH:,} commits; parents may come before or after their children."
    )


@strawberry.input(description="Report that a pipeline deployed an artifact to an environment.")
class ReportDeploymentInput:
    org: str = strawberry.field(description="The org.")
    flow: str = strawberry.field(description="The artifact's flow.")
    fingerprint: str = strawberry.field(description=f"{FINGERPRINT} The artifact must be reported.")
    environment: str = strawberry.field(description="The environment, which must exist.")
    user: str | None = field(f"Who deployed. {LABEL}")
    description: str | None = field(TEXT)
    reported_at: datetime | None = field(f"When (default: now). {TIME}")


@strawberry.input(
    description="One instance of a running artifact (a K8S pod, an ECS task, an Azure app, a Cloud Run revision); "
    "every field optional."
)
class InstanceInput:
    name: str | None = field(f"The instance's name (a pod name, a task ARN…); {OBSERVED_NAME}")
    namespace: str | None = field(f"Its namespace. {LABEL}")
    started_at: datetime | None = field(f"When it started. {TIME}")
    context: JSON | None = field(
        f"What else is known of it (owners, cluster, service, revision…): a JSON object of at most "
        f"{MAX_INSTANCE_CONTEXT} entries, keys and values strings. {LABEL}"
    )


@strawberry.input(description="One fingerprint running in an environment.")
class RunningArtifactInput:
    fingerprint: str = strawberry.field(description=FINGERPRINT)
    name: str = strawberry.field(description=f"The name observed in the environment; {OBSERVED_NAME}")
    instances: int | None = field(
        "How many instances run: 1 to 1,000,000 (default: 1, or the number of `instancesDetail` when given; given "
        "both, they must agree)."
    )
    instances_detail: list[InstanceInput] | None = field(
        f"Each instance, at most {MAX_INSTANCES_DETAIL:,}. Kept with the run the report opens; a report that "
        "changes no fingerprint or count makes no snapshot and keeps the detail first reported."
    )


@strawberry.input(
    description="Report an environment's complete running set. Makes snapshot N+1 only when the set changed "
    "(fingerprints or instance counts)."
)
class ReportSnapshotInput:
    org: str = strawberry.field(description="The org.")
    environment: str = strawberry.field(description="The environment, which must exist.")
    artifacts: list[RunningArtifactInput] = strawberry.field(
        description=f"Everything running, each fingerprint once; at most {MAX_RUNNING:,}. Empty: nothing runs."
    )
    reported_at: datetime | None = field(f"When it was observed (default: now); not before the latest snapshot. {TIME}")


@strawberry.input(description="Attach evidence to an artifact.")
class AttestInput:
    org: str = strawberry.field(description="The org.")
    flow: str = strawberry.field(description="The artifact's flow.")
    fingerprint: str = strawberry.field(description=f"{FINGERPRINT} The artifact must be reported.")
    type: str = strawberry.field(
        description=f"Its type, e.g. generic, junit, snyk ({NAME_RULE}), or custom:NAME for a custom attestation type "
        "of the org (see `createAttestationType`)."
    )
    name: str = strawberry.field(description=f"Its name within the artifact, e.g. unit-tests. {NAME}")
    compliant: bool | None = field(
        "Whether the evidence passed: required, except for a custom type, whose jq rules decide (leave it out)."
    )
    attestation_data: JSON | None = field(
        "A custom type's data (any JSON): it must satisfy the type's schema, and its jq rules are run on it; the "
        "type's name and version, the data and each rule's result are kept in `data`. Only for custom types."
    )
    url: str | None = field(f"A link to the evidence. {URL}")
    data: JSON | None = field(f"The evidence's data: a JSON object of at most {MAX_ATTESTATION_DATA_BYTES:,} bytes.")
    reported_at: datetime | None = field(f"When (default: now). {TIME}")


def to_data(value: Any) -> Any:
    """A GraphQL input as plain data with the graph layer's field names; absent and null fields are left out so the
    pydantic models apply their defaults."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            item.name: to_data(getattr(value, item.name))
            for item in dataclasses.fields(value)
            if getattr(value, item.name) is not None
        }
    if isinstance(value, list):
        return [to_data(item) for item in value]
    return value


@strawberry.input(
    description="Define a custom attestation type, or redefine it: a different description, schema or rules make the "
    "next version (attestations keep the version they were evaluated against); the same definition changes nothing."
)
class CreateAttestationTypeInput:
    org: str = strawberry.field(description="The org, which must exist.")
    name: str = strawberry.field(description=f"The type's name, as attestations name it after custom:. {LABEL}")
    description: str | None = field(TEXT)
    json_schema: JSON = strawberry.field(
        description=f"A JSON Schema (draft 2020-12, a JSON object of at most {MAX_JSON_SCHEMA_BYTES:,} bytes) that "
        "attestation data must satisfy."
    )
    jq_rules: list[str] = strawberry.field(
        default_factory=list,
        description=f"jq programs (at most {MAX_JQ_RULES}, each 1-{MAX_JQ_RULE:,} characters) that must each yield "
        "`true` for an attestation to be compliant; none: compliant whenever the schema is satisfied.",
    )
