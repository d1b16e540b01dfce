"""Pieces several shapes share."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


def first_flow(artifacts: list[JSON]) -> str:
    """kosli's single flow name (`pipeline`, `flow_name`, `flow`): the first by name; "" without provenance, as
    kosli's CLI expects a string."""
    return min((artifact["flow"]["name"] for artifact in artifacts), default="")


def flow_names(artifacts: list[JSON]) -> list[str]:
    """Every flow that built a fingerprint, by name."""
    return sorted({artifact["flow"]["name"] for artifact in artifacts})


def snapshot_id(environment: str, index: int | None) -> str:
    """kosli's `ENV#N`; `ENV#0` for an environment that never reported."""
    return f"{environment}#{index or 0}"
