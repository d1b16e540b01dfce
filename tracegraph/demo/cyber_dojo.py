"""The public `cyber-dojo` org as the tutorial "Tracing a production incident back to git commits" shows it.

Every value the tutorial prints is reproduced exactly: creator:b7a5908 starts in aws-prod#176 (16:52:28 CEST on
6 Sep 2022), creator:31dee35 stops in aws-prod#177, deployments #87-#89 of the creator flow. Around it lies a
generated but deterministic history: ten services, their git histories (with commits that were never built),
97 earlier releases (ten of them tried in aws-beta only), and after the incident the fix, a rogue process with no
provenance in aws-beta, and a deployment that never started — material for the investigations users ask for.
Every kind of finding occurs (tracegraph/graph/findings.py): besides the rogue process and the deployment that never
started, one beta-only release is rolled back in aws-beta, another starts there without a deployment reported, and a
differ build running in both environments failed its container scan. None of it touches what the tutorial prints:
same snapshot numbers, same creator deployments, same latest running sets.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tracegraph.errors import NotFound
from tracegraph.graph.inputs import (
    ArtifactInput,
    AttestationInput,
    CommitInput,
    CommitsInput,
    DeploymentInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    OrgInput,
    RunningArtifactInput,
    SnapshotInput,
)
from tracegraph.graph.policies import PolicyInput
from tracegraph.graph.store import GraphStore

DEMO_ORG = "cyber-dojo"
BETA, PROD = "aws-beta", "aws-prod"
PROD_POLICY = """\
_schema: https://kosli.com/schemas/policy/environment/v1
artifacts:
  provenance:
    required: true
  attestations:
    - name: unit-tests
      type: junit
    - name: container-scan
      type: snyk
      if: ${{ flow.name == "differ" or flow.name == "saver" }}
"""
ECR = "274425519734.dkr.ecr.eu-central-1.amazonaws.com"
SERVICES = (
    "creator",
    "saver",
    "differ",
    "runner",
    "web",
    "nginx",
    "dashboard",
    "custom-start-points",
    "exercises-start-points",
    "languages-start-points",
)
INCIDENT_SHA = "b7a590836cf140e17da3f01eadd5eca17d9efc65"
INCIDENT_FINGERPRINT = "860ad172ace5aee03e6a1e3492a88b3315ecac2a899d4f159f43ca7314290d5a"
REPLACED_SHA = "31dee35e4f0f31c4c52b03ea70e0e4e3d3cc2fd6"
REPLACED_FINGERPRINT = "5d1c926530213dadd5c9fcbf59c8822da56e32a04b0f9c774d7cdde3cf6ba66d"
MINER_FINGERPRINT = hashlib.sha256(b"xmrig-5.11.1").hexdigest()

HISTORY_START = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)
INCIDENT_DAY = datetime(2022, 9, 6, 0, 0, tzinfo=UTC)
# Before the incident: 87 releases reached aws-prod, 10 more stayed in aws-beta; 43 of them were creator's
# (one beta-only), so its deployments reach #87 — 31dee35 to aws-prod — just before b7a5908.
CREATOR_PROMOTED, CREATOR_BETA_ONLY = 42, 1
OTHERS_PROMOTED, OTHERS_BETA_ONLY = 45, 9


def _hex(label: str, length: int) -> str:
    return hashlib.sha256(label.encode()).hexdigest()[:length]


def repo_url(service: str) -> str:
    return f"https://github.com/cyber-dojo/{service}"


@dataclass
class Release:
    service: str
    sha: str
    fingerprint: str
    promoted: bool
    created_at: datetime
    message: str
    parent: str | None = None
    wip_commits: list[CommitInput] = field(default_factory=list)

    @property
    def tag(self) -> str:
        return f"{self.service}:{self.sha[:7]}"


class _Plan:
    """Builds the releases in time order, with each service's git history chained through them."""

    def __init__(self) -> None:
        self.random = random.Random(2022)
        self.head: dict[str, str | None] = dict.fromkeys(SERVICES)
        self.counter: dict[str, int] = dict.fromkeys(SERVICES, 0)

    def release(
        self,
        service: str,
        at: datetime,
        *,
        promoted: bool,
        sha: str | None = None,
        fingerprint: str | None = None,
        message: str | None = None,
    ) -> Release:
        self.counter[service] += 1
        number = self.counter[service]
        parent = self.head[service]
        wip: list[CommitInput] = []
        for step in range(self.random.randint(0, 2)):  # commits pushed but never built
            wip_sha = _hex(f"{service}-{number}-wip-{step}", 40)
            wip.append(
                CommitInput(
                    sha=wip_sha,
                    parents=[parent] if parent else [],
                    message=f"Refactor {service} step {step + 1}",
                    author="Jon Jagger",
                    author_email="jon@jaggersoft.com",
                    timestamp=at - timedelta(hours=3 - step),
                    branch="main",
                    url=f"{repo_url(service)}/commit/{wip_sha}",
                )
            )
            parent = wip_sha
        release_sha = sha or _hex(f"{service}-{number}", 40)
        self.head[service] = release_sha
        return Release(
            service=service,
            sha=release_sha,
            fingerprint=fingerprint or _hex(f"{service}-{number}-image", 64),
            promoted=promoted,
            created_at=at,
            message=message or f"Improve {service} ({number})",
            parent=parent,
            wip_commits=wip,
        )


def _release_order(plan_random: random.Random) -> list[tuple[str, bool]]:
    others = [service for service in SERVICES if service != "creator"]
    order = [(others[n % len(others)], True) for n in range(OTHERS_PROMOTED - 2)]
    order += [(others[n % len(others)], False) for n in range(OTHERS_BETA_ONLY)]
    order += [("creator", True)] * (CREATOR_PROMOTED - 1) + [("creator", False)] * CREATOR_BETA_ONLY
    plan_random.shuffle(order)
    # 31dee35 is creator's last release before the incident; two releases of other services follow it.
    return [*order, ("creator", True), (others[0], True), (others[1], True)]


class _Loader:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.running: dict[str, dict[str, tuple[str, str]]] = {BETA: {}, PROD: {}}  # service → (fingerprint, name)

    async def artifact(self, release: Release, *, build: int) -> None:
        commits = [
            *release.wip_commits,
            CommitInput(
                sha=release.sha,
                parents=[release.parent] if release.parent else [],
                message=release.message,
                author="Jon Jagger",
                author_email="jon@jaggersoft.com",
                timestamp=release.created_at - timedelta(minutes=3),
                branch="main",
                url=f"{repo_url(release.service)}/commit/{release.sha}",
            ),
        ]
        await self.store.report_commits(
            CommitsInput(
                org=DEMO_ORG,
                repo_url=repo_url(release.service),
                repo_name=release.service,
                provider="github",
                commits=commits,
            )
        )
        await self.store.report_artifact(
            ArtifactInput(
                org=DEMO_ORG,
                flow=release.service,
                fingerprint=release.fingerprint,
                name=f"cyberdojo/{release.tag}",
                git_commit=release.sha,
                commit_url=f"{repo_url(release.service)}/commit/{release.sha}",
                build_url=f"{repo_url(release.service)}/actions/runs/{build}",
                created_at=release.created_at,
            )
        )

    async def deploy(self, release: Release, environment: str, at: datetime) -> None:
        await self.store.report_deployment(
            DeploymentInput(
                org=DEMO_ORG,
                flow=release.service,
                fingerprint=release.fingerprint,
                environment=environment,
                user="cyber-dojo-ci",
                description=f"Blue-green deployment of {release.tag}",
                reported_at=at,
            )
        )

    async def snapshot(self, environment: str, at: datetime, extra: dict[str, str] | None = None) -> None:
        running = [
            RunningArtifactInput(fingerprint=fingerprint, name=name, instances=1)
            for fingerprint, name in self.running[environment].values()
        ]
        running += [RunningArtifactInput(fingerprint=fp, name=name, instances=1) for fp, name in (extra or {}).items()]
        await self.store.report_snapshot(
            SnapshotInput(org=DEMO_ORG, environment=environment, artifacts=running, reported_at=at)
        )

    async def roll_back(self, release: Release, environment: str, started: datetime, stopped: datetime) -> None:
        """Two snapshots, as many as a blue-green: the new version replaces the old one, then the old one comes back
        as the new one stops — a roll-back."""
        previous = self.running[environment][release.service]
        self.running[environment][release.service] = (release.fingerprint, f"{ECR}/{release.tag}")
        await self.snapshot(environment, started)
        self.running[environment][release.service] = previous
        await self.snapshot(environment, stopped)

    async def blue_green(self, release: Release, environment: str, started: datetime, stopped: datetime) -> None:
        """Two snapshots: the new version starts next to the old one, then the old one stops."""
        observed = f"{ECR}/{release.tag}"
        self.running[environment][release.service + "+new"] = (release.fingerprint, observed)
        await self.snapshot(environment, started)
        del self.running[environment][release.service + "+new"]
        self.running[environment][release.service] = (release.fingerprint, observed)
        await self.snapshot(environment, stopped)


def _beta_findings(order: list[tuple[str, bool]]) -> tuple[int, int]:
    """Positions of two beta-only releases of services released again later (so the latest running sets stay as
    they are): the one rolled back, and the one that starts without a deployment."""
    later = [
        position
        for position, (service, promoted) in enumerate(order)
        if not promoted and service != "creator" and any(other == service for other, _ in order[position + 1 :])
    ]
    return later[0], later[1]


async def _topology(store: GraphStore) -> None:
    await store.create_org(OrgInput(name=DEMO_ORG, public=True, description="The cyber-dojo Foundation's services"))
    for service in SERVICES:
        await store.create_flow(
            FlowInput(
                org=DEMO_ORG, name=service, description=f"Builds of the {service} service", repo_url=repo_url(service)
            )
        )
    for name, description in ((BETA, "https://beta.cyber-dojo.org"), (PROD, "https://cyber-dojo.org")):
        await store.create_environment(
            EnvironmentInput(org=DEMO_ORG, name=name, type=EnvironmentType.ECS, description=description)
        )


async def is_loaded(store: GraphStore) -> bool:
    try:
        return (await store.get_environment(DEMO_ORG, PROD)).latest_index > 0
    except NotFound:
        return False


async def load_demo(store: GraphStore) -> bool:
    """Load the demo org unless it is there already; answer whether anything was loaded."""
    if await is_loaded(store):
        return False
    await _topology(store)
    plan = _Plan()
    loader = _Loader(store)
    build = 2_000_000_000

    # The services as first reported: one snapshot in each environment.
    for service in SERVICES:
        release = plan.release(service, HISTORY_START - timedelta(days=1), promoted=True)
        build += 1
        await loader.artifact(release, build=build)
        # Deployed minutes before the first snapshots (aws-prod's comes a minute after aws-beta's): they started.
        for environment, offset in ((BETA, 5), (PROD, 3)):
            await loader.deploy(release, environment, HISTORY_START - timedelta(minutes=offset))
            loader.running[environment][service] = (release.fingerprint, f"{ECR}/{release.tag}")
    await loader.snapshot(BETA, HISTORY_START)
    await loader.snapshot(PROD, HISTORY_START + timedelta(minutes=1))

    order = _release_order(plan.random)
    rolled_back, undeployed = _beta_findings(order)
    span = (INCIDENT_DAY + timedelta(hours=10)) - HISTORY_START
    for position, (service, promoted) in enumerate(order):
        at = HISTORY_START + span * (position + 1) / (len(order) + 1)
        is_replaced = service == "creator" and position == len(order) - 3
        release = plan.release(
            service,
            at,
            promoted=promoted,
            sha=REPLACED_SHA if is_replaced else None,
            fingerprint=REPLACED_FINGERPRINT if is_replaced else None,
            message="Upgrade creator to Ruby 3.1" if is_replaced else None,
        )
        build += plan.random.randint(3, 400)
        await loader.artifact(release, build=build)
        if position != undeployed:  # that one starts in aws-beta with no deployment reported
            await loader.deploy(release, BETA, at + timedelta(minutes=1))
        in_beta = loader.roll_back if position == rolled_back else loader.blue_green
        await in_beta(release, BETA, at + timedelta(minutes=2), at + timedelta(minutes=2, seconds=30))
        if promoted:
            await loader.deploy(release, PROD, at + timedelta(minutes=3))
            await loader.blue_green(release, PROD, at + timedelta(minutes=4), at + timedelta(minutes=5))
            if service != "creator":
                await _attest(store, release, at + timedelta(seconds=40))
        elif service != "creator":
            await _attest(store, release, at + timedelta(seconds=40))

    # The incident, to the second as the tutorial shows it (CEST = UTC+2).
    incident = plan.release(
        "creator",
        datetime(2022, 9, 6, 14, 48, 7, tzinfo=UTC),
        promoted=True,
        sha=INCIDENT_SHA,
        fingerprint=INCIDENT_FINGERPRINT,
        message="Simplify the respond_to helper",
    )
    await loader.artifact(incident, build=3001102984)
    await loader.deploy(incident, BETA, datetime(2022, 9, 6, 14, 49, 59, tzinfo=UTC))
    await loader.deploy(incident, PROD, datetime(2022, 9, 6, 14, 51, 12, tzinfo=UTC))
    await loader.blue_green(
        incident, BETA, datetime(2022, 9, 6, 14, 51, 42, tzinfo=UTC), datetime(2022, 9, 6, 14, 52, 42, tzinfo=UTC)
    )
    await loader.blue_green(
        incident, PROD, datetime(2022, 9, 6, 14, 52, 28, tzinfo=UTC), datetime(2022, 9, 6, 14, 53, 28, tzinfo=UTC)
    )

    # The fix, an hour later, and what came after.
    fix_at = datetime(2022, 9, 6, 15, 40, tzinfo=UTC)
    fix = plan.release("creator", fix_at, promoted=True, message="Fix typo: respond_to, not responds_to")
    await loader.artifact(fix, build=3001309551)
    await _attest(store, fix, fix_at + timedelta(seconds=40))
    await loader.deploy(fix, BETA, fix_at + timedelta(minutes=1))
    await loader.blue_green(fix, BETA, fix_at + timedelta(minutes=2), fix_at + timedelta(minutes=3))
    await loader.deploy(fix, PROD, fix_at + timedelta(minutes=4))
    await loader.blue_green(fix, PROD, fix_at + timedelta(minutes=5), fix_at + timedelta(minutes=6))
    # A process nobody built starts in aws-beta: a rogue artifact with no provenance.
    await loader.snapshot(BETA, fix_at + timedelta(hours=2), extra={MINER_FINGERPRINT: "xmrig/xmrig:latest"})
    # A saver build is deployed to aws-prod but never starts.
    stuck = plan.release("saver", fix_at + timedelta(hours=3), promoted=True, message="Bump saver dependencies")
    await loader.artifact(stuck, build=3001500007)
    await _attest(store, stuck, fix_at + timedelta(hours=3, seconds=40))
    await loader.deploy(stuck, PROD, fix_at + timedelta(hours=3, minutes=2))
    # The differ build running in both environments fails a container scan: non-compliant where it runs.
    differ, _ = loader.running[PROD]["differ"]
    await store.attest(
        AttestationInput(
            org=DEMO_ORG,
            flow="differ",
            fingerprint=differ,
            type="snyk",
            name="container-scan",
            compliant=False,
            url=f"{repo_url('differ')}/actions",
            data={"critical": 1},
            reported_at=fix_at + timedelta(hours=4),
        )
    )
    # aws-prod's policy, attached after the fact (so its latest snapshot is evaluated, its history is not): every
    # artifact needs a build and its unit tests, differ and saver a container scan too — differ's fails, and saver's
    # running build never had one: the environment is non-compliant, with the reasons.
    await store.create_policy(
        PolicyInput(
            org=DEMO_ORG,
            name="prod-policy",
            description="What may run in production: a reported build, passing unit tests, scanned containers.",
            yaml=PROD_POLICY,
        )
    )
    await store.attach_policy(DEMO_ORG, PROD, "prod-policy")
    return True


async def _attest(store: GraphStore, release: Release, at: datetime) -> None:
    await store.attest(
        AttestationInput(
            org=DEMO_ORG,
            flow=release.service,
            fingerprint=release.fingerprint,
            type="junit",
            name="unit-tests",
            compliant=True,
            url=f"{repo_url(release.service)}/actions",
            data={"tests": 120, "failures": 0},
            reported_at=at,
        )
    )
