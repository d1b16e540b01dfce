"""The delivery signature: HMAC-SHA256 of the raw body with the webhook's secret, as GitHub's `X-Hub-Signature-256`.

A receiver computes the same over the bytes it received (before any JSON parsing) and compares with
`hmac.compare_digest`; docs/live.md has an example."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Tracegraph-Signature-256"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    return header is not None and hmac.compare_digest(signature(secret, body), header)
