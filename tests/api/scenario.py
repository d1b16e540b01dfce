"""The seed scenario, reported through the GraphQL mutations as integrations would.

git history (creator):  c1 ── c2 ── c3       c2 was never built; c3 descends from it
builds:                 creator:31dee35 from c1, creator:b7a5908 from c3 (details ride along), saver:1 from s1
aws-prod snapshots:     #1 {31dee35, saver}   #2 {31dee35, b7a5908, saver}   #3 {b7a5908, saver, miner}
aws-beta snapshots:     #1 {b7a5908}
`miner` is a rogue fingerprint no build reported.
"""

from __future__ import annotations

import hashlib
from typing import Any

from tests.api.conftest import Api

ORG = "cyber-dojo"
REPO = "https://github.com/cyber-dojo/creator"


def fp(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def sha(label: str) -> str:
    return hashlib.sha1(label.encode(), usedforsecurity=False).hexdigest()


C1, C2, C3, S1 = sha("c1"), sha("c2"), sha("c3"), sha("s1")
OLD, NEW, SAVER, MINER = fp("31dee35"), fp("b7a5908"), fp("saver"), fp("miner")

CREATE_ORG = "mutation($input: CreateOrgInput!) { createOrg(input: $input) { org { name } } }"
CREATE_FLOW = "mutation($input: CreateFlowInput!) { createFlow(input: $input) { flow { name } } }"
CREATE_ENV = "mutation($input: CreateEnvironmentInput!) { createEnvironment(input: $input) { environment { name } } }"
REPORT_COMMITS = "mutation($input: ReportCommitsInput!) { reportCommits(input: $input) { received created } }"
REPORT_ARTIFACT = (
    "mutation($input: ReportArtifactInput!) { reportArtifact(input: $input) { artifact { fingerprint } } }"
)
REPORT_DEPLOYMENT = (
    "mutation($input: ReportDeploymentInput!) { reportDeployment(input: $input) { deployment { number } } }"
)
REPORT_SNAPSHOT = """
mutation($input: ReportSnapshotInput!) {
  reportSnapshot(input: $input) { changed snapshot { index } events { type fingerprint description } }
}"""


def running(*items: tuple[str, str, int]) -> list[dict[str, Any]]:
    return [{"fingerprint": fingerprint, "name": name, "instances": n} for fingerprint, name, n in items]


async def report_seed(api: Api) -> None:
    await api.bootstrap(ORG, public=True)
    for flow in ("creator", "saver"):
        await api.data(CREATE_FLOW, {"input": {"org": ORG, "name": flow, "repoUrl": REPO}})
    for environment in ("aws-beta", "aws-prod"):
        await api.data(CREATE_ENV, {"input": {"org": ORG, "name": environment, "type": "ECS"}})
    history = [
        {"sha": C1, "message": "Add creator", "author": "Jon", "timestamp": "2022-09-05T10:00:00Z"},
        {
            "sha": C2,
            "parents": [C1],
            "message": "Refactor app.rb",
            "author": "Jon",
            "timestamp": "2022-09-06T10:00:00Z",
        },
    ]
    commits = await api.data(REPORT_COMMITS, {"input": {"org": ORG, "repoUrl": REPO, "commits": history}})
    assert commits["reportCommits"] == {"received": 2, "created": 2}
    await api.data(
        REPORT_ARTIFACT,
        {
            "input": {
                "org": ORG,
                "flow": "creator",
                "fingerprint": OLD,
                "name": "cyberdojo/creator:31dee35",
                "gitCommit": C1,
                "buildUrl": "https://github.com/cyber-dojo/creator/actions/runs/1",
                "createdAt": "2022-09-05T12:00:00Z",
            }
        },
    )
    await api.data(
        REPORT_ARTIFACT,
        {
            "input": {
                "org": ORG,
                "flow": "creator",
                "fingerprint": NEW,
                "name": "cyberdojo/creator:b7a5908",
                "gitCommit": C3,
                "commitUrl": f"{REPO}/commit/{C3}",
                "buildUrl": "https://github.com/cyber-dojo/creator/actions/runs/3001102984",
                "createdAt": "2022-09-06T14:48:07Z",
                "repoUrl": REPO,
                "commit": {
                    "sha": C3,
                    "parents": [C2],
                    "message": "Fix respond_to typo",
                    "author": "Jon Jagger",
                    "timestamp": "2022-09-06T14:40:00Z",
                    "url": f"{REPO}/commit/{C3}",
                },
            }
        },
    )
    await api.data(
        REPORT_ARTIFACT,
        {"input": {"org": ORG, "flow": "saver", "fingerprint": SAVER, "name": "cyberdojo/saver:1", "gitCommit": S1}},
    )
    deployed = await api.data(
        REPORT_DEPLOYMENT,
        {"input": {"org": ORG, "flow": "creator", "fingerprint": NEW, "environment": "aws-prod", "user": "ci"}},
    )
    assert deployed["reportDeployment"]["deployment"]["number"] == 1
    old, new, saver, miner = ("ecr/creator:31dee35", "ecr/creator:b7a5908", "ecr/saver:1", "ecr/xmrig:latest")
    reports = [
        ("aws-prod", running((OLD, old, 1), (SAVER, saver, 1)), "2022-09-06T14:50:00Z"),
        ("aws-prod", running((OLD, old, 1), (NEW, new, 1), (SAVER, saver, 1)), "2022-09-06T14:52:28Z"),
        ("aws-prod", running((NEW, new, 1), (SAVER, saver, 1), (MINER, miner, 3)), "2022-09-06T14:53:28Z"),
        ("aws-beta", running((NEW, new, 1)), "2022-09-06T14:51:42Z"),
    ]
    for environment, artifacts, reported_at in reports:
        answer = await api.data(
            REPORT_SNAPSHOT,
            {"input": {"org": ORG, "environment": environment, "artifacts": artifacts, "reportedAt": reported_at}},
        )
        assert answer["reportSnapshot"]["changed"] is True
