"""Read the git history of a local clone as commit inputs, in batches, with parents — for `report commits`."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from tracegraph.graph.inputs import CommitInput

# Fields separated by NUL, commits by RS; the message body (%B) may hold anything but those two.
_FORMAT = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%D%x00%B%x1e"


class GitError(RuntimeError):
    pass


def _git(repo: Path, *args: str) -> str:
    # git from PATH, as the user runs it.
    try:
        command = ["git", "-C", str(repo), *args]
        completed = subprocess.run(  # noqa: S603 - fixed git arguments, no shell
            command, check=True, capture_output=True, text=True, encoding="utf-8", errors="replace"
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.CalledProcessError as error:
        raise GitError(error.stderr.strip() or f"git {' '.join(args)} failed") from None
    return completed.stdout


def remote_url(repo: Path) -> str | None:
    """The `origin` remote as an https URL, when there is one."""
    try:
        url = _git(repo, "remote", "get-url", "origin").strip()
    except GitError:
        return None
    if url.startswith("git@") and ":" in url:
        host, path = url[4:].split(":", 1)
        url = f"https://{host}/{path}"
    return url.removesuffix(".git") if url.startswith(("http://", "https://")) else None


def count_commits(repo: Path, revisions: str | None = None) -> int:
    return int(_git(repo, "rev-list", "--count", *(revisions.split() if revisions else ["--all"])).strip() or 0)


def read_commits(repo: Path, revisions: str | None = None, *, commit_url: str | None = None) -> Iterator[CommitInput]:
    """Commits of `revisions` (e.g. `main`, `v1.0..HEAD`; all branches and tags by default), parents first."""
    output = _git(
        repo,
        "log",
        "--topo-order",
        "--reverse",
        f"--format={_FORMAT}",
        *(revisions.split() if revisions else ["--all"]),
    )
    for record in output.split("\x1e"):
        record = record.lstrip("\n")
        if not record:
            continue
        sha, parents, author, email, timestamp, refs, message = record.split("\x00", 6)
        branch = next((ref.strip().removeprefix("HEAD -> ") for ref in refs.split(",") if ref.strip()), None)
        yield CommitInput(
            sha=sha,
            parents=parents.split(),
            message=message.strip()[:10_000],
            author=author[:200] or None,
            author_email=email[:200] or None,
            timestamp=datetime.fromisoformat(timestamp),
            branch=branch[:200] if branch else None,
            url=f"{commit_url}/commit/{sha}" if commit_url else None,
        )
