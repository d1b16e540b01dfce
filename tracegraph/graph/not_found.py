"""The NotFound answers of every backend, one function per missing thing.

The non-disclosure rule (docs/architecture.md, Access control) depends on their sameness: an org the caller may not
read answers exactly like a missing one, so both backends and the token check must word each answer alike, which
they do by calling these. `tests/contract/test_not_found.py` checks the backends byte for byte.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tracegraph.errors import NotFound

if TYPE_CHECKING:
    from tracegraph.graph.selectors import SnapshotSelector


def org(name: str) -> NotFound:
    return NotFound(f"org '{name}' not found")


def flow(org: str, name: str) -> NotFound:
    return NotFound(f"flow '{name}' not found in org '{org}'")


def environment(org: str, name: str) -> NotFound:
    return NotFound(f"environment '{name}' not found in org '{org}'")


def artifact(flow: str, fingerprint: str) -> NotFound:
    return NotFound(f"artifact {fingerprint} not found in flow '{flow}'")


def trail(flow: str, name: str) -> NotFound:
    return NotFound(f"trail '{name}' not found in flow '{flow}'")


def token(org: str, token_id: str) -> NotFound:
    return NotFound(f"token '{token_id}' not found in org '{org}'")


def no_snapshots(environment: str) -> NotFound:
    return NotFound(f"environment '{environment}' has no snapshots yet")


def no_snapshot_at(environment: str, at: datetime) -> NotFound:
    return NotFound(f"environment '{environment}' had no snapshot at {at.isoformat()}")


def snapshot(environment: str, selector: SnapshotSelector | int, latest: int) -> NotFound:
    """`selector` as written: a `SnapshotSelector` (`#N`, `~N`, ...) or an index."""
    written = f"#{selector}" if isinstance(selector, int) else str(selector)
    return NotFound(f"snapshot {environment}{written} not found (latest is #{latest})")


def artifact_prefix(flow: str, prefix: str) -> NotFound:
    return NotFound(f"no artifact in flow '{flow}' has a fingerprint starting with '{prefix}'")


def commit_prefix(org: str, prefix: str) -> NotFound:
    return NotFound(f"no commit starting with '{prefix}' in org '{org}'")


def attestation_type(org: str, name: str, version: int | None = None) -> NotFound:
    if version is not None:
        return NotFound(f"attestation type '{name}' has no version {version} in org '{org}'")
    return NotFound(f"attestation type '{name}' not found in org '{org}'")
