from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracegraph.graph.inputs import MAX_PARENTS, CommitInput
from tracegraph.ingest.git_history import (
    MAX_LABEL,
    MAX_MESSAGE,
    GitError,
    ImportNotes,
    count_commits,
    list_commits,
    probes,
    read_commits,
    remote_url,
    tips,
)

REQUESTS_BUNDLE = Path(__file__).resolve().parents[3].parent / "shared" / "real-git" / "requests.bundle"
# A fixed committer line for crafted objects: only the author's fields are read.
COMMITTER = b"committer C <c@example.com> 1600000000 +0000\n"


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    return completed.stdout.strip()


def init(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Ada Lovelace")
    git(path, "config", "user.email", "ada@example.com")
    return path


def craft(repo: Path, headers: bytes, message: bytes = b"crafted\n", *, parents: tuple[str, ...] = ()) -> str:
    """A commit object written byte for byte, as git itself would refuse to make it."""
    tree = subprocess.run(["git", "-C", str(repo), "mktree"], input=b"", capture_output=True, check=True).stdout
    raw = b"tree " + tree.strip() + b"\n" + b"".join(b"parent %s\n" % p.encode() for p in parents)
    raw += headers + COMMITTER + b"\n" + message
    written = subprocess.run(
        ["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
        input=raw, capture_output=True, check=True,
    )  # fmt: skip
    return written.stdout.decode().strip()


def read_one(repo: Path, headers: bytes, message: bytes = b"crafted\n") -> tuple[CommitInput, ImportNotes]:
    sha = craft(repo, headers, message)
    git(repo, "update-ref", "refs/heads/main", sha)
    notes = ImportNotes()
    [commit] = read_commits(repo, notes=notes)
    assert commit.sha == sha
    return commit, notes


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init(tmp_path)
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "first")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "on feature\n\nwith a body ünïcode")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "on main")
    git(tmp_path, "merge", "-q", "--no-ff", "feature", "-m", "merge feature")
    git(tmp_path, "remote", "add", "origin", "git@github.com:acme/shop.git")
    return tmp_path


def test_reads_every_commit_with_parents_parents_first(repo: Path) -> None:
    notes = ImportNotes()
    commits = list(read_commits(repo, commit_url="https://github.com/acme/shop", notes=notes))
    assert count_commits(repo) == len(commits) == 4
    by_sha = {commit.sha: commit for commit in commits}
    merge = by_sha[git(repo, "rev-parse", "HEAD")]
    assert merge.parents == git(repo, "rev-parse", "HEAD^1", "HEAD^2").split()
    assert merge.message == "merge feature"
    assert merge.author == "Ada Lovelace"
    assert merge.author_email == "ada@example.com"
    assert merge.url == f"https://github.com/acme/shop/commit/{merge.sha}"
    assert merge.branch == "main"
    assert merge.timestamp == datetime.fromtimestamp(int(git(repo, "log", "-1", "--format=%at")), UTC)
    assert by_sha[git(repo, "rev-parse", "feature")].message == "on feature\n\nwith a body ünïcode"
    assert by_sha[git(repo, "rev-parse", "HEAD~1")].branch is None
    assert by_sha[git(repo, "rev-list", "--max-parents=0", "HEAD")].parents == []
    positions = {commit.sha: position for position, commit in enumerate(commits)}
    assert all(positions[parent] < positions[commit.sha] for commit in commits for parent in commit.parents or [])
    assert notes.counts() == {}
    assert notes.summary() == ""


def test_reads_a_range_and_the_remote(repo: Path) -> None:
    assert [c.message for c in read_commits(repo, "main~1..main")] == [
        "on feature\n\nwith a body ünïcode",
        "merge feature",
    ]
    assert remote_url(repo) == "https://github.com/acme/shop"


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError):
        list(read_commits(tmp_path))


def test_an_empty_repository_has_no_commits(tmp_path: Path) -> None:
    init(tmp_path)
    assert list(read_commits(tmp_path)) == []
    assert tips(tmp_path) == []


def test_a_malformed_time_zone_reads_as_utc_at_the_same_instant(tmp_path: Path) -> None:
    # As in psf/requests 5e6ecdad: git accepts it, and its own `%aI` shifts the time by 518 hours.
    commit, notes = read_one(init(tmp_path), b"author Ada <ada@example.com> 1313584730 +051800\n")
    assert commit.timestamp == datetime(2011, 8, 17, 12, 38, 50, tzinfo=UTC)
    assert notes.counts() == {"bad_time_zone": 1}
    assert notes.summary() == "normalised: 1 malformed time zone (read as UTC)"


@pytest.mark.parametrize("zone", [b"+0560", b"-1500", b"+5", b"", b"Z"])
def test_other_impossible_zones_count_too(tmp_path: Path, zone: bytes) -> None:
    commit, notes = read_one(init(tmp_path), b"author Ada <ada@example.com> 1313584730 " + zone + b"\n")
    assert commit.timestamp == datetime.fromtimestamp(1313584730, UTC)
    assert notes.bad_time_zone == 1


def test_a_real_zone_keeps_the_instant(tmp_path: Path) -> None:
    commit, notes = read_one(init(tmp_path), b"author Ada <ada@example.com> 1313584730 -0930\n")
    assert commit.timestamp == datetime.fromtimestamp(1313584730, UTC)
    assert notes.counts() == {}


def test_dates_before_1970_and_after_2100_are_kept_and_impossible_ones_left_out(tmp_path: Path) -> None:
    repo = init(tmp_path)
    # git 2.39 refuses dates before 1970 itself; a crafted object (or another tool) can still hold one.
    before, notes = read_one(repo, b"author Ada <ada@example.com> -100 +0000\n")
    assert before.timestamp == datetime(1969, 12, 31, 23, 58, 20, tzinfo=UTC)
    assert notes.counts() == {}
    git(repo, "commit", "-q", "--allow-empty", "-m", "far", env={"GIT_AUTHOR_DATE": "@4102444800 +0100"})
    git(repo, "commit", "-q", "--allow-empty", "-m", "too far", env={"GIT_AUTHOR_DATE": "@99999999999999 +0000"})
    notes = ImportNotes()
    by_message = {commit.message: commit for commit in read_commits(repo, notes=notes)}
    assert by_message["far"].timestamp == datetime(2100, 1, 1, tzinfo=UTC)
    assert by_message["too far"].timestamp is None
    assert notes.counts() == {"out_of_range_date": 1}


def test_a_missing_date_is_left_out(tmp_path: Path) -> None:
    commit, notes = read_one(init(tmp_path), b"author Ada <ada@example.com> yesterday\n")
    assert (commit.author, commit.timestamp) == ("Ada", None)
    assert notes.counts() == {"missing_date": 1}


def test_the_declared_encoding_is_decoded(tmp_path: Path) -> None:
    commit, notes = read_one(
        init(tmp_path), b"author Jos\xe9 <jose@example.com> 1 +0000\nencoding ISO-8859-1\n", b"caf\xe9 cr\xe8me\n"
    )
    assert (commit.author, commit.message) == ("José", "café crème")
    assert notes.counts() == {}


def test_invalid_bytes_are_replaced_and_counted_once_per_commit(tmp_path: Path) -> None:
    commit, notes = read_one(init(tmp_path), b"author Jos\xe9 <jose@example.com> 1 +0000\n", b"caf\xe9 \xff\n")
    assert (commit.author, commit.message) == ("Jos\ufffd", "caf\ufffd \ufffd")
    assert notes.counts() == {"invalid_encoding": 1}


@pytest.mark.parametrize("encoding", [b"x-klingon", b"base64", b"\xff"])
def test_an_unknown_encoding_reads_as_utf8(tmp_path: Path, encoding: bytes) -> None:
    commit, notes = read_one(init(tmp_path), b"author Ada <ada@example.com> 1 +0000\nencoding " + encoding + b"\n")
    assert commit.author == "Ada"
    assert notes.counts() == {"unknown_encoding": 1}


def test_messages_may_hold_any_byte(tmp_path: Path) -> None:
    message = "separators \x00 \x1e \x1f and a line\n\nauthor Eve <eve@example.com> 0 +0000"
    commit, notes = read_one(init(tmp_path), b"author Ada <ada@example.com> 1 +0000\n", message.encode())
    assert (commit.author, commit.message) == ("Ada", message)
    assert notes.counts() == {}


@pytest.mark.parametrize(
    ("ident", "author", "email", "counted"),
    [
        (b"Ada <> 1 +0000", "Ada", None, {"missing_email": 1}),
        (b" <ada@example.com> 1 +0000", None, "ada@example.com", {"missing_author": 1}),
        (b"Ada ada@example.com 1 +0000", None, None, {"missing_author": 1, "missing_email": 1, "missing_date": 1}),
        (b"Ada <ada@example.com> <x> 1 +0000", "Ada", "ada@example.com", {}),  # the date follows the last `>`
        (b"A\x01da <ada@\x7fexample.com> 1 +0000", "A\ufffdda", "ada@\ufffdexample.com", {"control_characters": 1}),
    ],
)
def test_idents_split_as_git_splits_them(
    tmp_path: Path, ident: bytes, author: str | None, email: str | None, counted: dict[str, int]
) -> None:
    commit, notes = read_one(init(tmp_path), b"author " + ident + b"\n")
    assert (commit.author, commit.author_email) == (author, email)
    assert notes.counts() == counted


def test_a_commit_without_author_imports(tmp_path: Path) -> None:
    commit, notes = read_one(init(tmp_path), b"")
    assert (commit.author, commit.author_email, commit.timestamp, commit.message) == (None, None, None, "crafted")
    assert notes.counts() == {"missing_author": 1, "missing_email": 1, "missing_date": 1}


def test_huge_messages_and_long_names_are_cut_to_the_input_limits(tmp_path: Path) -> None:
    name, email = "N" * 300, "e" * 300 + "@example.com"
    message = "é" * 300_000 + "\n" + "x" * (1 << 21)  # beyond what is decoded at all
    commit, notes = read_one(
        init(tmp_path), f"author {name} <{email}> 1 +0000\n".encode(), message.encode()
    )  # fmt: skip
    assert commit.message is not None
    assert commit.author is not None
    assert commit.author_email is not None
    assert len(commit.message) == MAX_MESSAGE
    assert commit.message == "é" * (MAX_MESSAGE - 1) + "…"
    assert (len(commit.author), len(commit.author_email)) == (MAX_LABEL, MAX_LABEL)
    assert commit.author.endswith("…")
    assert notes.counts() == {"truncated_message": 1, "truncated_label": 1}


def test_octopus_merges_keep_their_parents_and_giant_ones_the_first_64(tmp_path: Path) -> None:
    repo = init(tmp_path)
    tree = git(repo, "mktree")
    roots = [git(repo, "commit-tree", tree, "-m", f"root {n}") for n in range(MAX_PARENTS + 6)]
    octopus = git(repo, "commit-tree", tree, *(f"-p{root}" for root in roots[:3]), "-m", "octopus")
    giant = git(repo, "commit-tree", tree, *(f"-p{root}" for root in roots), "-m", "giant")
    git(repo, "update-ref", "refs/heads/main", giant)
    git(repo, "update-ref", "refs/heads/octopus", octopus)
    notes = ImportNotes()
    by_sha = {commit.sha: commit for commit in read_commits(repo, notes=notes)}
    assert len(by_sha) == len(roots) + 2
    assert by_sha[octopus].parents == roots[:3]
    assert by_sha[giant].parents == roots[:MAX_PARENTS]
    assert notes.counts() == {"too_many_parents": 1}


def test_a_parent_named_twice_is_kept_once(tmp_path: Path) -> None:
    repo = init(tmp_path)
    git(repo, "commit", "-q", "--allow-empty", "-m", "root")
    root = git(repo, "rev-parse", "HEAD")
    sha = craft(repo, b"author Ada <ada@example.com> 1 +0000\n", parents=(root, root))
    git(repo, "update-ref", "refs/heads/main", sha)
    notes = ImportNotes()
    commits = list(read_commits(repo, notes=notes))
    assert [commit.parents for commit in commits] == [[], [root]]
    assert notes.counts() == {"repeated_parent": 1}


def test_a_shallow_boundary_has_unknown_parents_not_none(tmp_path: Path) -> None:
    origin = init(tmp_path / "origin")
    for n in range(4):
        git(origin, "commit", "-q", "--allow-empty", "-m", f"c{n}")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{origin}", str(clone))
    notes = ImportNotes()
    commits = list(read_commits(clone, notes=notes))
    assert [(commit.message, commit.parents) for commit in commits] == [
        ("c2", None),
        ("c3", [commits[0].sha]),
    ]
    assert notes.counts() == {"shallow_boundary": 1}
    # The whole history, fetched later, has a true root again.
    git(clone, "fetch", "-q", "--unshallow")
    assert next(read_commits(clone)).parents == []


def test_replace_refs_are_not_honoured(tmp_path: Path) -> None:
    repo = init(tmp_path)
    git(repo, "commit", "-q", "--allow-empty", "-m", "root")
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    git(repo, "commit", "-q", "--allow-empty", "-m", "third")
    third, root = git(repo, "rev-parse", "HEAD", "HEAD~2").split()
    git(repo, "replace", "--graft", third, root)  # locally, `git log` now skips "second"
    assert git(repo, "log", "--format=%s") == "third\nroot"
    commits = list(read_commits(repo))
    assert [commit.message for commit in commits] == ["root", "second", "third"]
    assert commits[2].parents == [commits[1].sha]
    assert count_commits(repo) == 3
    assert tips(repo) == [third]


def test_tips_peel_tags_and_ranges_keep_their_positive_ends(repo: Path) -> None:
    head, feature = git(repo, "rev-parse", "main", "feature").split()
    git(repo, "tag", "-a", "-m", "release", "v1", "feature")
    git(repo, "tag", "tree", "main^{tree}")
    assert tips(repo) == [feature, head]
    assert tips(repo, "feature..main") == [head]
    assert sorted(tips(repo, "main...feature")) == sorted([head, feature])


def test_probes_walk_back_along_first_parents(tmp_path: Path) -> None:
    repo = init(tmp_path)
    for n in range(40):
        git(repo, "commit", "-q", "--allow-empty", "-m", f"c{n}")
    line = git(repo, "rev-list", "--first-parent", "HEAD").split()
    assert probes(repo, [line[0]], limit=5000) == [line[d] for d in (0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 32)]
    assert probes(repo, [line[0]], limit=3) == line[:3]


def test_commits_reachable_from_known_ones_are_left_out(repo: Path) -> None:
    known = git(repo, "rev-parse", "main~1")
    assert [commit.message for commit in read_commits(repo, exclude=[known])] == [
        "on feature\n\nwith a body ünïcode",
        "merge feature",
    ]
    assert count_commits(repo, exclude=[known]) == 2
    assert list_commits(repo, exclude=tips(repo)) == []


def test_a_sha256_repository_fails_with_one_message(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--object-format=sha256")
    git(tmp_path, "-c", "user.name=A", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "x")
    with pytest.raises(GitError, match="SHA-1"):
        list(read_commits(tmp_path))


@pytest.mark.skipif(not REQUESTS_BUNDLE.exists(), reason=f"{REQUESTS_BUNDLE} is not on this machine")
def test_reads_the_whole_history_of_psf_requests(tmp_path: Path) -> None:
    clone = tmp_path / "requests"
    git(tmp_path, "clone", "-q", str(REQUESTS_BUNDLE), str(clone))
    notes = ImportNotes()
    commits = list(read_commits(clone, notes=notes))
    assert len(commits) == 6723
    assert sum(1 for commit in commits if commit.parents and len(commit.parents) > 1) == 1679
    [odd] = [commit for commit in commits if commit.sha.startswith("5e6ecdad")]
    assert odd.timestamp == datetime(2011, 8, 17, 12, 38, 50, tzinfo=UTC)
    assert odd.author == "Shrikant Sharat Kandula"
    assert notes.bad_time_zone == 1
    positions = {commit.sha: position for position, commit in enumerate(commits)}
    assert all(positions[parent] < positions[commit.sha] for commit in commits for parent in commit.parents or [])
    # A reader that stops early (a failed upload) leaves no git process behind nor waits for one.
    reader = read_commits(clone)
    assert next(reader).parents == []
    reader.close()
