"""Directory fingerprints under kosli's exclusion rules (kosli-dev/cli internal/digest DirSha256 + filepathx + Go's
filepath.Match), each expected digest computed here by a plain walk that skips the paths the rule names by hand."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from tracegraph.errors import InvalidInput
from tracegraph.fingerprint_patterns import split_flag_values
from tracegraph.fingerprints import fingerprint


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reference(root: Path | bytes, skip: set[str] | set[bytes] = frozenset()) -> str:  # type: ignore[assignment]
    """Kosli's algorithm restated: sorted byte names, depth first; name digest, then content digest (file or link to a
    file) or target digest (link to a directory); a skipped relative path drops its subtree."""
    base = os.fsencode(root)
    skipped = {os.fsencode(item) for item in skip}
    parts: list[str] = []

    def walk(relative: bytes) -> None:
        directory = os.path.join(base, relative) if relative else base
        for name in sorted(os.listdir(directory)):
            rel = os.path.join(relative, name) if relative else name
            if rel in skipped:
                continue
            full = os.path.join(base, rel)
            parts.append(sha(name))
            if os.path.islink(full):
                if os.path.isdir(full):
                    parts.append(sha(os.readlink(full)))
                else:
                    parts.append(sha(Path(os.fsdecode(full)).read_bytes()))
            elif stat.S_ISDIR(os.lstat(full).st_mode):
                walk(rel)
            else:
                parts.append(sha(Path(os.fsdecode(full)).read_bytes()))

    walk(b"")
    return sha("".join(parts).encode())


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    files = {
        "a.txt": "alpha",
        "b.log": "log at the root",
        "logs/f1": "c1",
        "logs/deep/f2": "c2",
        "nested/t.txt": "t",
        "nested/logs/l.txt": "nl",
        "!bang": "bang",
        "a?b": "question",
        "br[a]ce": "brackets",
        "x.txt.d/in": "in",
    }
    for relative, content in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(content)
    os.symlink("nested", root / "linkdir")
    return root


ALL_ROOT = {"a.txt", "b.log", "logs", "nested", "!bang", "a?b", "br[a]ce", "x.txt.d", "linkdir"}

CASES: list[tuple[list[str], set[str]]] = [
    # anchored at the root: Go's filepath.Join cleans the pattern onto it
    (["logs"], {"logs"}),
    (["logs/"], {"logs"}),
    (["/logs"], {"logs"}),
    (["./logs"], {"logs"}),
    (["logs/../a.txt"], {"a.txt"}),
    (["*.txt"], {"a.txt"}),
    (["*/logs"], {"nested/logs"}),
    (["nested/*"], {"nested/t.txt", "nested/logs"}),
    (["*"], ALL_ROOT),
    # ** reaches deeper; it is spliced as text, so a root-level name becomes ROOT//name and keeps its own name digest
    (["**/*.txt"], {"a.txt", "nested/t.txt", "nested/logs/l.txt"}),
    (["**/logs"], {"logs/f1", "logs/deep", "nested/logs"}),
    (["logs/**"], {"logs/f1", "logs/deep"}),
    (["**/f2"], {"logs/deep/f2"}),
    # * and ? stop at /
    (["nested?t.txt"], set()),
    (["*t.txt"], set()),
    # classes: [...] and [^...]; ! is a literal
    (["[a-b]*"], {"a.txt", "b.log", "a?b", "br[a]ce"}),
    (["[^al]*"], {"b.log", "nested", "!bang", "br[a]ce", "x.txt.d"}),
    (["[!a]*"], {"a.txt", "a?b", "!bang"}),
    (["!bang"], {"!bang"}),
    # \ escapes; unescaped [a] is a class, so br[a]ce names "brace"
    (["a\\?b"], {"a?b"}),
    (["br\\[a\\]ce"], {"br[a]ce"}),
    (["br[a]ce"], set()),
    # a symbolic link is excluded by its own path, never through its target
    (["linkdir"], {"linkdir"}),
    (["linkdir/t.txt"], set()),
    # several patterns add up
    (["logs", "*.txt", "b.log"], {"logs", "a.txt", "b.log"}),
]


@pytest.mark.parametrize(("patterns", "skipped"), CASES, ids=[",".join(p) for p, _ in CASES])
def test_exclude_patterns_follow_kosli(tree: Path, patterns: list[str], skipped: set[str]) -> None:
    assert fingerprint(tree, exclude=patterns) == reference(tree, skipped)


def test_a_malformed_pattern_is_refused_as_go_refuses_it(tree: Path) -> None:
    for pattern in ["[", "a[", "[]", "\\"]:
        with pytest.raises(InvalidInput, match="syntax error in pattern"):
            fingerprint(tree, exclude=[pattern])


def test_kosli_published_vectors(tmp_path: Path) -> None:
    """Expected digests copied from kosli-dev/cli internal/digest/digest_test.go."""
    one = tmp_path / "one"
    one.mkdir()
    (one / "file.extra").write_text("this is known extra content")
    assert fingerprint(one) == "c71f5baef8cce289c9b7c971cf219e21b787a025af68ad6539b82634fe62819e"

    root = tmp_path / "nested"
    (root / "nested-dir" / "logs").mkdir(parents=True)
    (root / "logs").mkdir()
    (root / "sample.yaml").write_text("some content. And some more.")
    (root / "nested-dir" / "file1").write_text("content1")
    (root / "nested-dir" / "file2").write_text("content2")
    (root / "nested-dir" / "logs" / "log.txt").write_text("this is a log")
    (root / "logs" / "file1").write_text("content1")
    assert fingerprint(root, exclude=["logs", "*/logs"]) == (
        "5d3c17dae9e208bbb92ee04ff8342abf77cb0959764def4af3ccfe9a2109d4a7"
    )
    (root / "nested-dir" / "logs" / "log.txt").unlink()
    (root / "nested-dir" / "logs").rmdir()
    assert fingerprint(root, exclude=["logs", "nested-dir/file1"]) == (
        "2acbc9efc1f86f89086a9539244946839599b3639da7f4959744c20234cb4f40"
    )
    (root / ".kosli_ignore").write_text("logs\n*/logs")
    assert fingerprint(root) == "4048004ce6f91e8ce27c35e5e857948a46750567cf7c873ee32b120f4318363c"


def test_kosli_ignore_lines_comments_and_spaces(tree: Path) -> None:
    (tree / ".kosli_ignore").write_bytes(b"# build noise\n\n  logs   # the logs\r\n\t*.txt\t\nnested/t.txt#tail\n")
    skipped = {"logs", "a.txt", "nested/t.txt"}
    assert fingerprint(tree) == reference(tree, skipped)
    assert fingerprint(tree, exclude=["b.log"]) == reference(tree, skipped | {"b.log"})


def test_kosli_ignore_is_fingerprinted_unless_it_lists_itself(tree: Path) -> None:
    (tree / ".kosli_ignore").write_text("logs\n")
    assert fingerprint(tree) == reference(tree, {"logs"})
    (tree / ".kosli_ignore").write_text("logs\n.kosli_ignore\n")
    assert fingerprint(tree) == reference(tree, {"logs", ".kosli_ignore"})


def test_non_utf8_names_are_hashed_as_bytes(tmp_path: Path) -> None:
    root = os.fsencode(tmp_path / "raw")
    os.mkdir(root)
    os.mkdir(os.path.join(root, b"d\xe9j\xe0"))
    for name in (b"caf\xe9.txt", b"d\xe9j\xe0/\xff\xfe", b"plain"):
        with open(os.path.join(root, name), "wb") as stream:
            stream.write(name)
    assert fingerprint(root) == reference(root)
    assert fingerprint(os.fsdecode(root)) == reference(root)
    assert fingerprint(root, exclude=[os.fsdecode(b"caf\xe9.txt")]) == reference(root, {b"caf\xe9.txt"})
    assert fingerprint(root, exclude=["d?j?/*"]) == reference(root, {b"d\xe9j\xe0/\xff\xfe"})


def test_broken_and_looping_symlinks_are_refused(tree: Path) -> None:
    os.symlink("missing", tree / "dangling")
    with pytest.raises(InvalidInput, match=r"dangling: a symbolic link must resolve, and this one is broken"):
        fingerprint(tree)
    os.symlink("loop", tree / "loop")
    with pytest.raises(InvalidInput, match=r"loop: a symbolic link must resolve, and this one loops"):
        fingerprint(tree, exclude=["dangling"])
    assert fingerprint(tree, exclude=["dangling", "loop"]) == reference(tree, {"dangling", "loop"})


def test_symlinked_root_is_walked_only_with_a_trailing_slash(tree: Path) -> None:
    link = tree.parent / "alias"
    os.symlink("root", link)
    assert fingerprint(str(link), kind="dir") == sha(b"")
    assert fingerprint(f"{link}/", kind="dir") == reference(tree)


def test_flag_values_are_csv_records() -> None:
    assert split_flag_values(["logs,*.txt", "b.log", ""]) == ["logs", "*.txt", "b.log"]
    assert split_flag_values(['"a,b",c', '"say ""hi"""']) == ["a,b", "c", 'say "hi"']
    with pytest.raises(InvalidInput):
        split_flag_values(['a"b'])
