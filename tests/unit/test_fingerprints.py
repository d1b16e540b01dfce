"""Fingerprints against digests computed here, independently, from the algorithm Kosli documents."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tracegraph.fingerprints import fingerprint


def hexsha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """root/{a.txt, b/{c.bin, empty, d/{e.txt}}, link -> b/d, skip.log, zz/{keep.txt, x.log}}"""
    root = tmp_path / "root"
    (root / "b" / "d").mkdir(parents=True)
    (root / "zz").mkdir()
    (root / "a.txt").write_text("alpha\n")
    (root / "b" / "c.bin").write_bytes(bytes(range(256)))
    (root / "b" / "empty").write_bytes(b"")
    (root / "b" / "d" / "e.txt").write_text("ünïcode")
    (root / "skip.log").write_text("noise")
    (root / "zz" / "keep.txt").write_text("keep")
    (root / "zz" / "x.log").write_text("noise")
    os.symlink("b/d", root / "link")
    return root


def test_file_fingerprint_is_sha256_of_bytes(tree: Path) -> None:
    assert fingerprint(tree / "b" / "c.bin") == hexsha(bytes(range(256)))
    assert fingerprint(tree / "b" / "empty") == hexsha(b"")


def test_directory_fingerprint_matches_the_algorithm(tree: Path) -> None:
    stream = "".join(
        [
            hexsha("a.txt"), hexsha("alpha\n"),
            hexsha("b"),
            hexsha("c.bin"), hexsha(bytes(range(256))),
            hexsha("d"),
            hexsha("e.txt"), hexsha("ünïcode"),
            hexsha("empty"), hexsha(b""),
            hexsha("link"), hexsha("b/d"),
            hexsha("skip.log"), hexsha("noise"),
            hexsha("zz"),
            hexsha("keep.txt"), hexsha("keep"),
            hexsha("x.log"), hexsha("noise"),
        ]
    )  # fmt: skip
    assert fingerprint(tree) == hexsha(stream)


def test_excluded_globs_skip_entries_and_everything_beneath(tree: Path) -> None:
    stream = "".join(
        [
            hexsha("a.txt"), hexsha("alpha\n"),
            hexsha("link"), hexsha("b/d"),
            hexsha("zz"),
            hexsha("keep.txt"), hexsha("keep"),
        ]
    )  # fmt: skip
    assert fingerprint(tree, exclude=["**/*.log", "b"]) == hexsha(stream)
    # Kosli anchors a pattern at the root: `*.log` leaves zz/x.log in.
    assert fingerprint(tree, exclude=["*.log", "b/"]) == hexsha(stream + hexsha("x.log") + hexsha("noise"))


def test_wrong_kind_is_rejected(tree: Path) -> None:
    with pytest.raises(NotADirectoryError):
        fingerprint(tree / "a.txt", kind="dir")
    with pytest.raises(FileNotFoundError):
        fingerprint(tree / "b", kind="file")
