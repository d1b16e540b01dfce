"""Look-ups by prefix (a commit's sha, an artifact's fingerprint): the one match, or why there is none.

A backend fetches up to `CANDIDATES + 1` known values starting with the prefix; the rule for what they mean is here:
none → `NotFound`, several → `InvalidInput` naming the field with the candidates sorted, one → that value. The
prefix's length (5 to 40 or 64 hexadecimal characters) is checked at the edge (`rules.hex_prefix`).
"""

from __future__ import annotations

from collections.abc import Sequence

from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph import not_found

# How many candidates an ambiguous prefix lists (the stores fetch one more to know there are more).
CANDIDATES = 10


def ambiguous(field: str, prefix: str, found: Sequence[str], noun: str) -> InvalidInput:
    """`found` holds up to CANDIDATES + 1 matches, sorted."""
    count = str(len(found)) if len(found) <= CANDIDATES else f"more than {CANDIDATES}"
    return InvalidInput(
        field,
        f"ambiguous prefix '{prefix}' matches {count} {noun}; give more characters",
        candidates=found[:CANDIDATES],
    )


def _one(found: Sequence[str], prefix: str, *, field: str, noun: str, missing: NotFound) -> str:
    matches = sorted(found)
    if not matches:
        raise missing
    if len(matches) > 1:
        raise ambiguous(field, prefix, matches, noun)
    return matches[0]


def commit(org: str, prefix: str, found: Sequence[str]) -> str:
    """The one known sha of `org` among `found` (the shas starting with `prefix`)."""
    return _one(found, prefix, field="sha", noun="commits", missing=not_found.commit_prefix(org, prefix))


def artifact(flow: str, prefix: str, found: Sequence[str]) -> str:
    """The one fingerprint of an artifact in `flow` among `found` (those starting with `prefix`)."""
    return _one(found, prefix, field="fingerprint", noun="artifacts", missing=not_found.artifact_prefix(flow, prefix))
