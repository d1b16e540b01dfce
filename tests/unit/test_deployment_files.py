"""The deployment files at the repository's root: the Dockerfile's base images are pinned by digest, and compose
refuses to start without NEO4J_PASSWORD. No Docker engine is needed: both files are read as text and YAML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PINNED = re.compile(r"[\w./:-]+@sha256:[0-9a-f]{64}")
# Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}…
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<operator>:?[-?+])?(?P<rest>[^}]*)\}")


def from_images(dockerfile: str) -> list[str]:
    """The image of every FROM instruction (comments and continuation lines aside)."""
    images = []
    for line in dockerfile.splitlines():
        words = line.split()
        if words and words[0].upper() == "FROM":
            images.append(next(word for word in words[1:] if not word.startswith("--")))
    return images


def strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in (*strings(key), *strings(value))]
    if isinstance(node, list):
        return [text for item in node for text in strings(item)]
    return []


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_every_dockerfile_stage_pins_its_base_image_by_digest() -> None:
    images = from_images((ROOT / "Dockerfile").read_text())
    assert len(images) == 2, images  # the build stage and the runtime stage
    unpinned = [image for image in images if not PINNED.fullmatch(image)]
    assert unpinned == [], f"FROM without @sha256:<digest>: {unpinned}"
    assert len(set(images)) == 1, "both stages should build on the same base image"


def test_the_digest_check_sees_an_unpinned_stage() -> None:
    images = from_images(
        "# FROM is mentioned here\nFROM python:3.11-slim@sha256:" + "a" * 64 + " AS b\nFROM python:3.11-slim\n"
    )
    assert [bool(PINNED.fullmatch(image)) for image in images] == [True, False]


def test_compose_requires_neo4j_password_without_a_default() -> None:
    uses = [match for text in strings(compose()) for match in INTERPOLATION.finditer(text)]
    passwords = [use for use in uses if use["name"] == "NEO4J_PASSWORD"]
    # Neo4j's own NEO4J_AUTH and tracegraph's TRACEGRAPH_NEO4J_PASSWORD both come from it.
    assert len(passwords) == 2
    for use in passwords:
        assert use["operator"] == ":?", f"{use[0]} must fail when NEO4J_PASSWORD is unset or empty"
        assert use["rest"].strip(), f"{use[0]} must say what is missing"
    environment = compose()["services"]["tracegraph"]["environment"]
    assert INTERPOLATION.fullmatch(environment["TRACEGRAPH_NEO4J_PASSWORD"])


def test_compose_services_have_healthchecks_and_start_in_order() -> None:
    services = compose()["services"]
    assert set(services) == {"neo4j", "tracegraph"}
    for name, service in services.items():
        assert service["healthcheck"]["test"], name
    assert services["tracegraph"]["depends_on"]["neo4j"]["condition"] == "service_healthy"
