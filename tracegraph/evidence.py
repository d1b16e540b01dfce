"""Evidence files (attestation attachments) kept content-addressed under the data directory.

A file is stored once per content at `<root>/<sha256[:2]>/<sha256>`; the graph keeps only its digest, name and size
(in the attestation's `data.attachment`), so the graph stays small and a file can be checked against its digest.
Written to a temporary name, flushed and renamed, so a file that exists is complete. A file written for a report
whose store transaction then fails stays behind unreferenced: harmless (same content, same name) and never read.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tracegraph.errors import InvalidInput

HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class Evidence:
    sha256: str
    size: int


class EvidenceStore:
    def __init__(self, root: Path, *, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def put(self, content: bytes, *, field: str) -> Evidence:
        """Store `content` (refused over `max_bytes`, naming `field`) and answer its digest and size."""
        if len(content) > self.max_bytes:
            raise InvalidInput(
                field, f"must be at most {self.max_bytes} bytes (TRACEGRAPH_MAX_EVIDENCE_BYTES); got {len(content)}"
            )
        digest = hashlib.sha256(content).hexdigest()
        target = self.path(digest)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            try:
                with os.fdopen(descriptor, "wb") as output:
                    output.write(content)
                    output.flush()
                    os.fsync(output.fileno())
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return Evidence(sha256=digest, size=len(content))

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not set(sha256) <= HEX:
            raise InvalidInput("sha256", "must be 64 lower-case hexadecimal characters")
        return self.root / sha256[:2] / sha256

    def read(self, sha256: str) -> bytes | None:
        target = self.path(sha256)
        return target.read_bytes() if target.is_file() else None
