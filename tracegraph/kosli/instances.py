"""Running instances as the CLI reports them (SPEC §2.10) and shows them (§2.13, §2.15).

Each `digests` entry of a report item is one instance, described by the item: a K8S pod (`podName`, `namespace`,
`owners`), an ECS task (`taskArn`, cluster, service), an Azure app, a Cloud Run revision or job, a docker container,
a Lambda function or a path. The store keeps per instance a name, a namespace, a start time and up to 32 string
labels (`InstanceInput.context`); what does not fit is summarised here, the same way for every report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tracegraph.graph.inputs import MAX_INSTANCE_CONTEXT
from tracegraph.graph.views import Instance, RunningArtifact
from tracegraph.kosli.models import Owner, ReportItem
from tracegraph.kosli.times import epoch

MAX_LABEL = 200  # a Label's length in the store
_OWNER_KEYS = ("apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion")
_FLAGS = ("controller", "blockOwnerDeletion")


def _label(value: object) -> str | None:
    """A label value: text, booleans as `true`/`false`; None for nothing to keep. Longer than 200 characters is cut
    to 199 and `…` (labels are shown, never compared)."""
    if value is None:
        return None
    text = ("true" if value else "false") if isinstance(value, bool) else str(value).strip()
    if not text:
        return None
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _started(seconds: int | None) -> datetime | None:
    """The item's `creationTimestamp`; None when unknown (Azure sends 0, Go's zero time is negative)."""
    if seconds is None or seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _owners(owners: list[Owner], room: int) -> dict[str, str]:
    """The first owner references as `owner.N.FIELD`, as many whole ones as fit in `room` labels with one to spare;
    when some are left out, `owners` holds how many there were (a K8S pod keeps 5, 6 labels each)."""
    labels: dict[str, str] = {}
    kept = max(room - 1, 0) // len(_OWNER_KEYS)
    for position, owner in enumerate(owners[:kept]):
        for key in _OWNER_KEYS:
            value = _label(getattr(owner, key))
            if value is not None:
                labels[f"owner.{position}.{key}"] = value
    if len(owners) > kept:
        labels["owners"] = str(len(owners))
    return labels


def _name(item: ReportItem) -> str | None:
    for name in (item.podName, item.taskArn, item.app_name, item.revisionName, item.jobName, item.serviceName):
        if name and name.strip():
            return name.strip()[:512]
    return None


def instance(item: ReportItem, container: str) -> dict[str, Any]:
    """One instance (an `InstanceInput` as data) of the item, for its `digests` entry `container`."""
    context = {
        "container": _label(container),
        "cluster": _label(item.cluster_name),
        "service": _label(item.service_name or item.serviceName),
        "app_kind": _label(item.app_kind),
        "digests_source": _label(item.digests_source),
        "kind": _label(item.kind),
        "revision": _label(item.revisionName),
        "job": _label(item.jobName),
    }
    labels = {key: value for key, value in context.items() if value is not None}
    labels.update(_owners(item.owners or [], MAX_INSTANCE_CONTEXT - len(labels)))
    return {
        "name": _name(item),
        "namespace": _label(item.namespace),
        "started_at": _started(item.creationTimestamp),
        "context": labels,
    }


def _since(found: Instance, item: RunningArtifact) -> int:
    return epoch(found.started_at or item.since)


def creation_timestamps(item: RunningArtifact) -> list[int]:
    """One start per instance, oldest first (the CLI shows element 0 as "running since"): each instance's own
    start when it was reported, else when the artifact's Run started."""
    detail = item.instances_detail or ()
    if len(detail) != item.instances:
        return [epoch(item.since)] * item.instances
    return sorted(_since(found, item) for found in detail)


def most_recent(item: RunningArtifact) -> int:
    """The most recent instance start (`diff snapshots`' `Started:`)."""
    return max(creation_timestamps(item), default=epoch(item.since))


def _pods(item: RunningArtifact) -> Iterable[Instance]:
    """The instances that are K8S pods: named, in a namespace."""
    return (found for found in item.instances_detail or () if found.name and found.namespace)


def pods(item: RunningArtifact) -> dict[str, Any] | None:
    """`get snapshot`'s `pods`: pod name → namespace, start and owner references; null when none are pods."""
    shown: dict[str, Any] = {}
    for found in _pods(item):
        shown[found.name or ""] = {
            "namespace": found.namespace,
            "creationTimestamp": _since(found, item),
            "owners": owners(found.context),
        }
    return shown or None


def pod_names(item: RunningArtifact) -> list[str]:
    """`diff snapshots`' `pods`, sorted."""
    return sorted({found.name for found in _pods(item) if found.name})


def owners(context: dict[str, str]) -> list[dict[str, Any]]:
    """The owner references kept as `owner.N.FIELD` labels, in their reported order."""
    found: dict[int, dict[str, Any]] = {}
    for key, value in context.items():
        head, _, rest = key.partition(".")
        position, _, field = rest.partition(".")
        if head != "owner" or not position.isdigit() or field not in _OWNER_KEYS:
            continue
        found.setdefault(int(position), {})[field] = value == "true" if field in _FLAGS else value
    return [found[position] for position in sorted(found)]
