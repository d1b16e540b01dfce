"""Artifact fingerprints, computed as `kosli fingerprint` does so both tools agree on every digest.

A file's fingerprint is the SHA-256 of its bytes. A directory's is the SHA-256 of a hex text stream built by walking
it depth-first in lexical order (the root itself not included): for every entry, the hex SHA-256 of its basename;
then, for a regular file, the hex SHA-256 of its content, and for a symbolic link to a directory, the hex SHA-256 of
the link's target path (the target is not walked). Excluded entries (globs relative to the root, `**` allowed; a
pattern without `/` also matches a basename at any depth) are skipped entirely, with everything beneath them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from wcmatch import glob

_CHUNK = 1 << 20
_GLOB_FLAGS = glob.GLOBSTAR | glob.DOTGLOB


def file_fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _excluded(relative: str, name: str, patterns: Sequence[str]) -> bool:
    for pattern in patterns:
        target = relative if "/" in pattern.strip("/") else name
        if glob.globmatch(target, pattern.strip("/"), flags=_GLOB_FLAGS):
            return True
    return False


def _walk(root: Path, directory: Path, patterns: Sequence[str]) -> Iterator[str]:
    for name in sorted(os.listdir(directory)):
        path = directory / name
        if _excluded(path.relative_to(root).as_posix(), name, patterns):
            continue
        yield _text_digest(name)
        if path.is_symlink():
            if path.is_dir():
                yield _text_digest(os.readlink(path))
            elif path.is_file():
                yield file_fingerprint(path)
        elif path.is_dir():
            yield from _walk(root, path, patterns)
        elif path.is_file():
            yield file_fingerprint(path)


def directory_fingerprint(root: Path, *, exclude: Sequence[str] = ()) -> str:
    digest = hashlib.sha256()
    for part in _walk(root, root, exclude):
        digest.update(part.encode())
    return digest.hexdigest()


def fingerprint(path: Path, *, kind: str | None = None, exclude: Sequence[str] = ()) -> str:
    """`kind` is `file` or `dir`; by default it follows what `path` is."""
    kind = kind or ("dir" if path.is_dir() else "file")
    if kind == "dir":
        if not path.is_dir():
            raise NotADirectoryError(f"{path} is not a directory")
        return directory_fingerprint(path, exclude=exclude)
    if kind == "file":
        if not path.is_file():
            raise FileNotFoundError(f"{path} is not a regular file")
        return file_fingerprint(path)
    raise ValueError(f"type must be 'file' or 'dir', not {kind!r}")
