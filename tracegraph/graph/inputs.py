"""Write inputs: what integrations report. Validated once, here; the store trusts them.

Build them with `parse(Model, data)` to turn pydantic's errors into `InvalidInput` naming the field and the rule.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import jq
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from tracegraph.errors import InvalidInput
from tracegraph.graph.model import Role
from tracegraph.graph.rules import (
    AttestationKind,
    CommitMessage,
    ExpiryTime,
    Fingerprint,
    Instances,
    Label,
    Name,
    ObservedName,
    ReportedTime,
    Sha,
    Text,
    Timestamp,
    Url,
    unicode_error,
)

MAX_RUNNING = 10_000
MAX_COMMITS_PER_BATCH = 5_000
MAX_PARENTS = 64
MAX_ATTESTATION_DATA_BYTES = 65_536
MAX_USER_DATA_BYTES = 65_536
MAX_INSTANCES_DETAIL = 1_000
MAX_INSTANCE_CONTEXT = 32
MAX_JSON_SCHEMA_BYTES = 65_536
MAX_JQ_RULES = 50
MAX_JQ_RULE = 2_000


class EnvironmentType(StrEnum):
    K8S = "K8S"
    ECS = "ECS"
    DOCKER = "docker"
    SERVER = "server"
    LAMBDA = "lambda"
    S3 = "S3"
    AZURE_APPS = "azure-apps"
    CLOUD_RUN = "cloud-run"
    LOGICAL = "logical"


class Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class OrgInput(Input):
    name: Name
    public: bool = False
    description: Text = ""


class FlowInput(Input):
    org: Name
    name: Name
    description: Text = ""
    repo_url: Url | None = None
    # Kept and returned as given (a Kosli flow template); never evaluated. None keeps the stored one.
    template_yaml: Text | None = None


class EnvironmentInput(Input):
    org: Name
    name: Name
    type: EnvironmentType
    description: Text = ""


class ArtifactInput(Input):
    """A build: `fingerprint` in `flow`, built from `git_commit`."""

    org: Name
    flow: Name
    fingerprint: Fingerprint
    name: ObservedName
    git_commit: Sha | None = None
    commit_url: Url | None = None
    build_url: Url | None = None
    created_at: ReportedTime | None = None
    # Commit details may ride along with the build so the commit node exists without a separate history import.
    commit: CommitInput | None = None
    repo_url: Url | None = None
    # The trail (run of the flow) it belongs to: created in the flow when missing, as `kosli attest artifact
    # --trail` does. None keeps the stored link; a name replaces it (with `template_reference_name` as given).
    trail: Name | None = None
    template_reference_name: Name | None = None
    # Git history written with the artifact, in the same transaction (commits without `repo_url` are kept too).
    history: list[CommitInput] = Field(default_factory=list, max_length=MAX_COMMITS_PER_BATCH)

    @model_validator(mode="after")
    def _commit_matches(self) -> ArtifactInput:
        if self.commit is not None and self.git_commit is not None and self.commit.sha != self.git_commit:
            raise ValueError("commit.sha must equal git_commit")
        if self.template_reference_name is not None and self.trail is None:
            raise ValueError("template_reference_name needs a trail")
        return self

    @field_validator("history")
    @classmethod
    def _unique_history(cls, commits: list[CommitInput]) -> list[CommitInput]:
        return _unique_shas(commits)


class TrailInput(Input):
    """One run of a flow (`kosli begin trail`), usually named after its commit. Beginning it again updates
    `description`, `origin_url` and `user_data`; `git_commit` and `template_yaml` given replace the stored ones."""

    org: Name
    flow: Name
    name: Name
    description: Text = ""
    # Upserted into the commit graph in the same transaction, as `ArtifactInput.commit` is.
    git_commit: CommitInput | None = None
    repo_url: Url | None = None
    origin_url: Url | None = None
    user_data: dict[str, Any] | list[Any] = Field(default_factory=dict)  # a JSON object or array
    template_yaml: Text | None = None

    @field_validator("user_data")
    @classmethod
    def _user_data_size(cls, data: dict[str, Any] | list[Any]) -> dict[str, Any] | list[Any]:
        return _json_object(data, MAX_USER_DATA_BYTES)


class CommitInput(Input):
    """A commit. A field left out (None) keeps what is stored: a build that names only its commit's sha must not erase
    the history `report commits` imported. `parents=[]` states a root commit."""

    sha: Sha
    parents: list[Sha] | None = Field(default=None, max_length=MAX_PARENTS)
    message: CommitMessage | None = None
    author: Label | None = None
    author_email: Label | None = None
    timestamp: Timestamp | None = None
    branch: Label | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _parents_are_other_commits(self) -> CommitInput:
        if self.parents is not None:
            if self.sha in self.parents:
                raise ValueError("a commit cannot be its own parent")
            if len(set(self.parents)) != len(self.parents):
                raise ValueError("parents must not repeat")
        return self


class CommitsInput(Input):
    """A batch of git history for one repository; parents may be reported before or after their children."""

    org: Name
    repo_url: Url
    repo_name: Label | None = None
    provider: Label | None = None
    commits: list[CommitInput] = Field(min_length=1, max_length=MAX_COMMITS_PER_BATCH)

    @field_validator("commits")
    @classmethod
    def _unique_shas(cls, commits: list[CommitInput]) -> list[CommitInput]:
        return _unique_shas(commits)


def _unique_shas(commits: list[CommitInput]) -> list[CommitInput]:
    # Two reports of one commit in a batch may disagree (parents, message): which one wins would be an accident.
    first: dict[str, int] = {}
    for position, commit in enumerate(commits):
        if commit.sha in first:
            raise ValueError(f"sha {commit.sha} appears twice (items {first[commit.sha]} and {position})")
        first[commit.sha] = position
    return commits


JsonT = TypeVar("JsonT", bound=dict[str, Any] | list[Any])


def _json_object(data: JsonT, limit: int) -> JsonT:
    try:
        text = json.dumps(data, default=str, allow_nan=False)
    except ValueError:
        raise ValueError("must be JSON: NaN and Infinity are not numbers there") from None
    except RecursionError:
        raise ValueError("must be JSON nested less deeply") from None
    if len(text) > limit:
        raise ValueError(f"must serialise to at most {limit} bytes of JSON")
    return data


class DeploymentInput(Input):
    org: Name
    flow: Name
    fingerprint: Fingerprint
    environment: Name
    user: Label | None = None
    description: Text = ""
    reported_at: ReportedTime | None = None


class InstanceInput(Input):
    """One instance of a running artifact as its reporter knows it: a K8S pod (name, namespace, start time; owners,
    container and the like in `context`), an ECS task (ARN as `name`; cluster, service in `context`), an Azure app,
    a Cloud Run revision. Every field is optional."""

    name: ObservedName | None = None
    namespace: Label | None = None
    started_at: Timestamp | None = None
    context: dict[Label, Label] = Field(default_factory=dict, max_length=MAX_INSTANCE_CONTEXT)


class RunningArtifactInput(Input):
    """`instances` defaults to 1, or to the number of `instances_detail` when those are given; given both, they
    must agree."""

    fingerprint: Fingerprint
    name: ObservedName
    instances: Instances = 1
    instances_detail: list[InstanceInput] = Field(default_factory=list, max_length=MAX_INSTANCES_DETAIL)

    @model_validator(mode="after")
    def _instances_match_detail(self) -> RunningArtifactInput:
        if not self.instances_detail:
            return self
        if "instances" not in self.model_fields_set:
            # Frozen model: set the derived count the way pydantic's own construction does.
            object.__setattr__(self, "instances", len(self.instances_detail))
        elif self.instances != len(self.instances_detail):
            raise ValueError(
                f"instances ({self.instances}) must equal the number of instances_detail ({len(self.instances_detail)})"
            )
        return self


class SnapshotInput(Input):
    """The complete running set of one environment at `reported_at` (now when absent). An empty list means
    nothing runs."""

    org: Name
    environment: Name
    artifacts: list[RunningArtifactInput] = Field(default_factory=list, max_length=MAX_RUNNING)
    reported_at: ReportedTime | None = None

    @field_validator("artifacts")
    @classmethod
    def _unique_fingerprints(cls, artifacts: list[RunningArtifactInput]) -> list[RunningArtifactInput]:
        seen: set[str] = set()
        for position, running in enumerate(artifacts):
            if running.fingerprint in seen:
                raise ValueError(
                    f"fingerprint {running.fingerprint} appears twice (item {position}); "
                    "report each fingerprint once with its total instances"
                )
            seen.add(running.fingerprint)
        return artifacts


class AttestationInput(Input):
    org: Name
    flow: Name
    fingerprint: Fingerprint
    type: AttestationKind
    name: Name
    compliant: bool
    url: Url | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    reported_at: ReportedTime | None = None

    @field_validator("data")
    @classmethod
    def _data_size(cls, data: dict[str, Any]) -> dict[str, Any]:
        return _json_object(data, MAX_ATTESTATION_DATA_BYTES)


class TrailAttestationInput(Input):
    """Evidence reported to a trail without a fingerprint: on the trail itself, or (with `target_artifact`, a
    template slot) on the trail's artifact in that slot, pending until one is reported there."""

    org: Name
    flow: Name
    trail: Name
    type: AttestationKind
    name: Name
    compliant: bool
    target_artifact: Name | None = None
    git_commit: Sha | None = None
    url: Url | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    reported_at: ReportedTime | None = None

    @field_validator("data")
    @classmethod
    def _data_size(cls, data: dict[str, Any]) -> dict[str, Any]:
        return _json_object(data, MAX_ATTESTATION_DATA_BYTES)


class TokenInput(Input):
    """A new API token of `org`; the store keeps `secret_hash`, never the secret. `expires_at`, when given, is in
    the future."""

    org: Name
    role: Role
    name: Label = "token"
    expires_at: ExpiryTime | None = None
    secret_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class AttestationTypeInput(Input):
    """A custom attestation type: `json_schema` (a JSON Schema, draft 2020-12) that attestation data must satisfy,
    and `jq_rules` (jq programs) that must each yield `true` for it to be compliant; checked here (the schema against
    the metaschema, each rule compiled by libjq) so a broken definition is refused before anything is written."""

    org: Name
    name: Label
    description: Text = ""
    json_schema: dict[str, Any]
    jq_rules: list[JqRule] = Field(default_factory=list, max_length=MAX_JQ_RULES)

    @field_validator("json_schema")
    @classmethod
    def _valid_schema(cls, schema: dict[str, Any]) -> dict[str, Any]:
        _json_object(schema, MAX_JSON_SCHEMA_BYTES)
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as error:
            where = "/".join(str(part) for part in error.path) or "the root"
            raise ValueError(f"is not a valid JSON Schema (draft 2020-12) at {where}: {error.message[:300]}") from None
        return schema


def _unicode(value: object) -> object:
    if isinstance(value, str) and (problem := unicode_error(value)) is not None:
        raise ValueError(problem)
    return value


def _compiles(rule: str) -> str:
    if not rule.strip() or len(rule) > MAX_JQ_RULE:
        raise ValueError(f"must be a jq program of 1-{MAX_JQ_RULE:,} characters")
    try:
        jq.compile(rule)
    except ValueError as error:
        raise ValueError(f"does not compile: {' '.join(str(error).split())[:300]}") from None
    return rule


JqRule = Annotated[str, BeforeValidator(_unicode), AfterValidator(_compiles)]


ArtifactInput.model_rebuild()
AttestationTypeInput.model_rebuild()
TrailInput.model_rebuild()

ModelT = TypeVar("ModelT", bound=BaseModel)


def parse(model: type[ModelT], data: Any) -> ModelT:
    """Validate `data` as `model`, raising `InvalidInput` for the first broken rule."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid_input(error) from None


def invalid_input(error: ValidationError) -> InvalidInput:
    first = error.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"])
    message = first["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return InvalidInput(field, message)
