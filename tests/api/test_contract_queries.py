"""The two public contract queries, as the API issue wrote them — with `events` a paged connection since the read-path
issue — over a scenario reported by mutations."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.scenario import C1, C2, C3, MINER, NEW, OLD, ORG, REPO, REPORT_COMMITS, S1, SAVER, report_seed, sha

INCIDENT = """
query Incident($org: String!, $env: String!, $index: Int!) {
  environment(org: $org, name: $env) {
    name
    type
    snapshot(index: $index) {
      index
      reportedAt
      events(first: 100) {
        totalCount
        nodes {
          type          # STARTED | STOPPED | SCALED
          description   # e.g. "1 instance started running (from 0 to 1)"
          fingerprint
          name          # the artifact name as observed in the environment
          artifacts { name fingerprint buildUrl flow { name } commit { sha url message author timestamp } }
        }
      }
      running(first: 100) {
        totalCount
        nodes { fingerprint name instances artifacts { flow { name } commit { sha } } }
      }
    }
  }
}
"""

WHERE = """
query Where($org: String!, $sha: String!) {
  commit(org: $org, sha: $sha) {
    sha
    runningIn { environment { name } snapshot { index } artifact { name fingerprint commit { sha } } }
  }
}
"""


async def test_incident_answers_the_seed_traversal(api: Api) -> None:
    await report_seed(api)
    data = await api.data(INCIDENT, {"org": ORG, "env": "aws-prod", "index": 2})
    environment = data["environment"]
    assert (environment["name"], environment["type"]) == ("aws-prod", "ECS")
    snapshot = environment["snapshot"]
    assert snapshot["index"] == 2
    assert snapshot["reportedAt"].startswith("2022-09-06T14:52:28")
    assert snapshot["events"]["totalCount"] == 1
    assert snapshot["events"]["nodes"] == [
        {
            "type": "STARTED",
            "description": "1 instance started running (from 0 to 1).",
            "fingerprint": NEW,
            "name": "ecr/creator:b7a5908",
            "artifacts": [
                {
                    "name": "cyberdojo/creator:b7a5908",
                    "fingerprint": NEW,
                    "buildUrl": "https://github.com/cyber-dojo/creator/actions/runs/3001102984",
                    "flow": {"name": "creator"},
                    "commit": {
                        "sha": C3,
                        "url": f"{REPO}/commit/{C3}",
                        "message": "Fix respond_to typo",
                        "author": "Jon Jagger",
                        "timestamp": "2022-09-06T14:40:00+00:00",
                    },
                }
            ],
        }
    ]
    assert snapshot["running"] == {
        "totalCount": 3,
        "nodes": [
            {
                "fingerprint": OLD,
                "name": "ecr/creator:31dee35",
                "instances": 1,
                "artifacts": [{"flow": {"name": "creator"}, "commit": {"sha": C1}}],
            },
            {
                "fingerprint": NEW,
                "name": "ecr/creator:b7a5908",
                "instances": 1,
                "artifacts": [{"flow": {"name": "creator"}, "commit": {"sha": C3}}],
            },
            {
                "fingerprint": SAVER,
                "name": "ecr/saver:1",
                "instances": 1,
                "artifacts": [{"flow": {"name": "saver"}, "commit": {"sha": S1}}],
            },
        ],
    }


async def test_incident_shows_stopped_and_rogue_artifacts(api: Api) -> None:
    await report_seed(api)
    data = await api.data(INCIDENT, {"org": ORG, "env": "aws-prod", "index": 3})
    events = {event["fingerprint"]: event for event in data["environment"]["snapshot"]["events"]["nodes"]}
    assert events[OLD]["type"] == "STOPPED"
    assert events[OLD]["description"] == "1 instance stopped running (from 1 to 0)."
    assert events[MINER]["type"] == "STARTED"
    assert events[MINER]["artifacts"] == []  # running without provenance
    assert events[MINER]["description"] == "3 instances started running (from 0 to 3)."


async def test_where_finds_a_commit_that_was_never_built(api: Api) -> None:
    """c2 has no artifact of its own, but c3 (built, running) descends from it: the change is running."""
    await report_seed(api)
    data = await api.data(WHERE, {"org": ORG, "sha": C2})
    commit = data["commit"]
    assert commit["sha"] == C2
    expected_artifact = {"name": "cyberdojo/creator:b7a5908", "fingerprint": NEW, "commit": {"sha": C3}}
    assert commit["runningIn"] == [
        {"environment": {"name": "aws-beta"}, "snapshot": {"index": 1}, "artifact": expected_artifact},
        {"environment": {"name": "aws-prod"}, "snapshot": {"index": 3}, "artifact": expected_artifact},
    ]


async def test_where_accepts_a_unique_prefix_and_reports_the_past(api: Api) -> None:
    await report_seed(api)
    data = await api.data(WHERE, {"org": ORG, "sha": C1[:7]})
    assert data["commit"]["sha"] == C1
    # c1's own build stopped in aws-prod#3; its change lives on in c3's build.
    assert [item["artifact"]["commit"]["sha"] for item in data["commit"]["runningIn"]] == [C3, C3]
    past = await api.data(
        "query($org: String!, $sha: String!) { commit(org: $org, sha: $sha) { ranIn { environment { name } "
        "snapshot { index } fromIndex toIndex distance current artifact { fingerprint } } } }",
        {"org": ORG, "sha": C1},
    )
    assert past["commit"]["ranIn"] == [
        {
            "environment": {"name": "aws-prod"},
            "snapshot": {"index": 2},
            "fromIndex": 1,
            "toIndex": 3,
            "distance": 0,
            "current": False,
            "artifact": {"fingerprint": OLD},
        }
    ]


async def test_where_rejects_a_short_or_ambiguous_prefix(api: Api) -> None:
    await report_seed(api)
    error = await api.error(WHERE, {"org": ORG, "sha": "abc"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "sha"
    missing = await api.error(WHERE, {"org": ORG, "sha": "0000000000"})
    assert missing["extensions"]["code"] == "NOT_FOUND"
    # sha1("x1077") and sha1("x1210") share their first 5 hex characters.
    twins = [sha("x1077"), sha("x1210")]
    assert twins[0][:5] == twins[1][:5]
    await api.data(REPORT_COMMITS, {"input": {"org": ORG, "repoUrl": REPO, "commits": [{"sha": s} for s in twins]}})
    ambiguous = await api.error(WHERE, {"org": ORG, "sha": twins[0][:5]})
    assert ambiguous["extensions"]["code"] == "BAD_USER_INPUT"
    assert ambiguous["extensions"]["field"] == "sha"
    assert ambiguous["extensions"]["candidates"] == sorted(twins)
