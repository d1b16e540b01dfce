"""Artifact fingerprints, computed as `kosli fingerprint` v2.38 (internal/digest) does: both tools agree.

A file's fingerprint is the SHA-256 of its bytes. A directory's is the SHA-256 of a hex text stream built by walking
it depth-first, entries in byte order of their names (Go's filepath.WalkDir; the root itself not included, symbolic
links not descended): for every entry, the hex SHA-256 of its name's bytes; then, for a regular file or a symbolic
link to one, the hex SHA-256 of the content, and for a symbolic link to a directory, the hex SHA-256 of the link's
target as written. A directory adds only its name; its entries follow. A symbolic link that does not resolve (broken,
or a loop) is an error, as in Kosli. Names are bytes throughout, so names that are not UTF-8 fingerprint too.

Exclusions come from the given patterns plus the root's `.kosli_ignore`; `fingerprint_patterns` resolves them to the
path strings the walk skips (a skipped directory takes everything beneath it).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from tracegraph.errors import InvalidInput
from tracegraph.fingerprint_patterns import excluded_paths, go_join, ignore_file_patterns

_CHUNK = 1 << 20

PathArg = str | bytes | os.PathLike[str] | os.PathLike[bytes]


def _hash_stream(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def file_fingerprint(path: PathArg) -> str:
    with open(os.fsencode(path), "rb") as stream:
        return _hash_stream(stream)


def _name_digest(name: bytes) -> str:
    return hashlib.sha256(name).hexdigest()


def _resolve_link(path: bytes) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            rule = "a symbolic link must resolve, and this one loops (kosli refuses it too)"
        elif error.errno in (errno.ENOENT, errno.ENOTDIR):
            rule = "a symbolic link must resolve, and this one is broken (kosli refuses it too)"
        else:
            raise
        raise InvalidInput(os.fsdecode(path), rule) from None


def _content_digest(path: bytes, mode: int) -> str:
    if stat.S_ISFIFO(mode):  # Kosli would block reading it forever
        raise InvalidInput(os.fsdecode(path), "a named pipe cannot be fingerprinted")
    return file_fingerprint(path)


def _walk(directory: bytes, skipped: frozenset[bytes]) -> Iterator[str]:
    for name in sorted(os.listdir(directory)):
        path = go_join(directory, name)
        if path in skipped:
            continue
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = _resolve_link(path)
            yield _name_digest(name)
            if stat.S_ISDIR(target.st_mode):
                yield _name_digest(os.readlink(path))
            else:
                yield _content_digest(path, target.st_mode)
        elif stat.S_ISDIR(info.st_mode):
            yield _name_digest(name)
            yield from _walk(path, skipped)
        else:
            yield _name_digest(name)
            yield _content_digest(path, info.st_mode)


def directory_fingerprint(root: PathArg, *, exclude: Sequence[str] = ()) -> str:
    """`root` is used as given, like Kosli's argument: a symbolic link to a directory is not descended unless
    written with a trailing `/`, and pattern paths are joined to it textually."""
    base = os.fsencode(root)
    if not stat.S_ISDIR(os.stat(base).st_mode):
        raise NotADirectoryError(f"{os.fsdecode(base)} is not a directory")
    patterns = [os.fsencode(pattern) for pattern in exclude] + ignore_file_patterns(base)
    skipped = excluded_paths(base, patterns)
    digest = hashlib.sha256()
    if stat.S_ISDIR(os.lstat(base).st_mode):
        for part in _walk(base, skipped):
            digest.update(part.encode())
    return digest.hexdigest()


def fingerprint(path: PathArg, *, kind: str | None = None, exclude: Sequence[str] = ()) -> str:
    """`kind` is `file` or `dir`; by default it follows what `path` is."""
    raw = os.fsencode(path)
    kind = kind or ("dir" if os.path.isdir(raw) else "file")
    if kind == "dir":
        if not os.path.isdir(raw):
            raise NotADirectoryError(f"{os.fsdecode(raw)} is not a directory")
        return directory_fingerprint(raw, exclude=exclude)
    if kind == "file":
        if not os.path.isfile(raw):
            raise FileNotFoundError(f"{os.fsdecode(raw)} is not a regular file")
        return file_fingerprint(raw)
    raise ValueError(f"type must be 'file' or 'dir', not {kind!r}")
