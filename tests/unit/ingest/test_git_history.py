from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tracegraph.ingest.git_history import GitError, count_commits, read_commits, remote_url


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", "Ada Lovelace")
    git(tmp_path, "config", "user.email", "ada@example.com")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "first")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "on feature\n\nwith a body ünïcode")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "on main")
    git(tmp_path, "merge", "-q", "--no-ff", "feature", "-m", "merge feature")
    git(tmp_path, "remote", "add", "origin", "git@github.com:acme/shop.git")
    return tmp_path


def test_reads_every_commit_with_parents_parents_first(repo: Path) -> None:
    commits = list(read_commits(repo, commit_url="https://github.com/acme/shop"))
    assert count_commits(repo) == len(commits) == 4
    by_sha = {commit.sha: commit for commit in commits}
    merge = by_sha[git(repo, "rev-parse", "HEAD")]
    assert merge.parents == git(repo, "rev-parse", "HEAD^1", "HEAD^2").split()
    assert merge.message == "merge feature"
    assert merge.author == "Ada Lovelace"
    assert merge.author_email == "ada@example.com"
    assert merge.url == f"https://github.com/acme/shop/commit/{merge.sha}"
    assert by_sha[git(repo, "rev-parse", "feature")].message == "on feature\n\nwith a body ünïcode"
    positions = {commit.sha: position for position, commit in enumerate(commits)}
    assert all(positions[parent] < positions[commit.sha] for commit in commits for parent in commit.parents)


def test_reads_a_range_and_the_remote(repo: Path) -> None:
    assert [c.message for c in read_commits(repo, "main~1..main")] == [
        "on feature\n\nwith a body ünïcode",
        "merge feature",
    ]
    assert remote_url(repo) == "https://github.com/acme/shop"


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError):
        list(read_commits(tmp_path))
