"""`--repo` as the CLI sends it (`repo_name`, SPEC §2.11, §2.17): a repository *name* such as `cyber-dojo/creator`,
while the store keys repositories by URL (`repo_info.url`, e.g. `https://github.com/cyber-dojo/creator`).

The store has no look-up of repositories by name, so a name stands for its URL on each hosted service the CLI
reads `repo_info` from in CI (GitHub, GitLab, Bitbucket: `https://HOST/NAME`, as their CI variables build it). A
value that is already a URL is taken as it is."""

from __future__ import annotations

from tracegraph.errors import InvalidInput

HOSTS = ("https://github.com", "https://gitlab.com", "https://bitbucket.org")


def repository_urls(names: list[str], *, field: str = "repo_name") -> list[str]:
    """The repository URLs `names` may stand for, each once, in order."""
    urls: list[str] = []
    for raw in names:
        name = raw.strip().strip("/")
        if not name:
            raise InvalidInput(field, "must name a repository, e.g. cyber-dojo/creator")
        candidates = [name] if "://" in name else [f"{host}/{name.removesuffix('.git')}" for host in HOSTS]
        urls.extend(url for url in candidates if url not in urls)
    return urls
