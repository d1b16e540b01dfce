"""Every CLI command's `--output json`, run against a fresh `tracegraph serve --demo`: the examples docs/cli.md
shows and `test_json_shapes.py` holds the CLI to, key for key.

`python -m tests.cli.json_examples` starts the demo, runs them all and rewrites docs/cli.md's examples section
(between its `json-examples` markers), so the documentation is what the CLI prints."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.server import RunningServer, start_server

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
START, END = "<!-- json-examples:start -->", "<!-- json-examples:end -->"
BUILD = b"tracegraph docs example build\n"
BUILD_FINGERPRINT = hashlib.sha256(BUILD).hexdigest()
POLICY = """_schema: https://kosli.com/schemas/policy/environment/v1
artifacts:
  provenance:
    required: true
"""
TYPE_SCHEMA = {"type": "object", "properties": {"coverage": {"type": "number"}}, "required": ["coverage"]}
REPO_URL = "https://github.com/cyber-dojo/docs-example"
TOKEN_ID = "TOKEN_ID"  # in `admin revoke-token`'s arguments: the id `admin create-token` answered
SECRET = "<the secret, shown once>"
# The demo server's dispatcher delivers to it: nothing listens there, so each attempt records a refused connection.
HOOK_URL = "http://127.0.0.1:9/hook"
WEBHOOK_ID = "WEBHOOK_ID"  # the id `admin webhook create` answered
DELIVERY_ID = "DELIVERY_ID"  # the id of the first delivery `admin webhook deliveries` answered
SECRET_KEYS = ("api_token", "secret")


@dataclass(frozen=True)
class Example:
    command: str  # the command's path, e.g. `list environments`
    args: tuple[str, ...]  # after `tracegraph --output json`
    about: str  # what the document is, in a sentence or two
    admin: bool = False  # run with an admin token (writes), not the demo's reader token
    fails: bool = False  # a gate that exits 1 (non-compliant) and still prints its document

    @property
    def shown(self) -> str:
        return shlex.join(self.args)


EXAMPLES = (
    Example("log env", ("log", "env", "aws-prod", "--interval", "176..177"),
            "An array of events, newest first (the table above)."),
    Example("list snapshots", ("list", "snapshots", "aws-prod", "--interval", "176..177"),
            "An array, newest first (oldest first with `--reverse`), as kosli's `list snapshots`: `from` is when "
            "the snapshot was reported, `to` when the next one replaced it (null for the latest), `duration` the "
            "seconds between (until now for the latest), `compliant` as `assert snapshot` judges it."),
    Example("get snapshot", ("get", "snapshot", "aws-prod#176"), "One object (the table above)."),
    Example("get artifact", ("get", "artifact", "creator@860ad17"),
            "One object, as kosli's: `running` (since which snapshot) and `exited` (at which snapshot it stopped) "
            "per environment, `history` (kosli's wording of each event), `deployments` (their numbers); "
            "`trail_name` null when it was not reported in a trail."),
    Example("get artifact", ("get", "artifact", "creator:e0f31af"),
            "By commit, as kosli answers it: an array of the artifacts built from it, each as above."),
    Example("get environment", ("get", "environment", "aws-prod"), "One object (above)."),
    Example("get flow", ("get", "flow", "creator"), "One object (above)."),
    Example("list environments", ("list", "environments"), "An array by name, each as `get environment`."),
    Example("list flows", ("list", "flows"), "An array by name, each as `get flow`."),
    Example("list artifacts", ("list", "artifacts", "--flow", "creator", "--limit", "2"),
            "An array, newest first, as kosli's `list artifacts` (`git_commit`, `commit_url`, `build_url` null "
            "when not reported)."),
    Example("diff snapshots", ("diff", "snapshots", "aws-beta", "aws-prod"),
            "One object, as kosli's `diff snapshots`: only in the first (`snappish1`), only in the second "
            "(`snappish2`), scaled (`changed`, with `s1_instance_count` and `s2_instance_count`) and unchanged "
            "(`not-changed`, listed whether or not `--show-unchanged` is given). `snapshot_id` is `ENV#N` (`ENV#0`: "
            "never reported); `flow` is `\"\"` without provenance."),
    Example("search", ("search", "b7a5908"),
            "One object: kosli's `resolved_to` (`commit`, `fingerprint` or `multiple`) and `artifacts` (each build "
            "found, with `running_in` and `exited_from` as `ENV#N`; a fingerprint no build reported is one item "
            "with `has_provenance` false), and tracegraph's `commits`: each matching commit, where it runs now "
            "(`distance`: built from a commit that many commits later) and `undecided_commits` (whose history was "
            "never fully reported)."),
    Example("findings", ("findings", "aws-prod"), "One object (the table above)."),
    Example("versions", ("versions", "--flow", "creator"), "An array, one entry per environment (above)."),
    Example("assert snapshot", ("assert", "snapshot", "aws-prod"),
            "One object, printed whether the gate passes or not (exit 1 when not): `compliant`, and the policy "
            "evaluation it follows — each policy applied with its version and `status` (kosli's "
            "`policy_evaluations`) and each non-compliant artifact with its `reasons`. With no policy attached "
            "when it was evaluated, `evaluated_at` is null and both lists are empty (`findings` then shows what "
            "fails).",
            fails=True),
    Example("assert artifact", ("assert", "artifact", "creator@860ad17", "--environment", "aws-prod"),
            "One object, as `assert snapshot`'s, for one artifact evaluated now (exit 1 when not compliant).",
            fails=True),
    Example("policy create", ("policy", "create", "staging-policy", "--file", "policy.yml"),
            "The policy's version now.", admin=True),
    Example("policy attach", ("policy", "attach", "staging-policy", "--environment", "aws-beta"),
            "The environment's policies afterwards.", admin=True),
    Example("policy detach", ("policy", "detach", "staging-policy", "--environment", "aws-beta"),
            "The environment's policies afterwards.", admin=True),
    Example("policy list", ("policy", "list"),
            "An array by name: each policy's latest version and the environments it is attached to.", admin=True),
    Example("attestation-type create",
            ("attestation-type", "create", "coverage-metrics", "--schema", "type.json", "--jq", ".coverage > 80"),
            "The type's version now, with its JSON Schema and jq rules.", admin=True),
    Example("attestation-type list", ("attestation-type", "list"),
            "An array by name, each at its latest version, as `attestation-type create` answers.", admin=True),
    Example("admin create-org", ("admin", "create-org", "docs-example"),
            "The org. `admin` commands open the store itself (`--data-dir` or `TRACEGRAPH_DATA_DIR`, or "
            "`--neo4j-uri`)."),
    Example("admin create-flow", ("admin", "create-flow", "docs-flow", "--org", "cyber-dojo"),
            "The flow, as `get flow` shows it."),
    Example("admin create-environment",
            ("admin", "create-environment", "staging", "--org", "cyber-dojo", "--type", "K8S"),
            "The environment, as `get environment` shows it."),
    Example("admin create-token",
            ("admin", "create-token", "--org", "cyber-dojo", "--role", "writer", "--name", "ci"),
            "The token with its secret, `api_token` — printed this once; only its hash is stored."),
    Example("admin list-tokens", ("admin", "list-tokens", "--org", "cyber-dojo"),
            "An array of the org's tokens, without secrets (also with `--json`)."),
    Example("admin revoke-token", ("admin", "revoke-token", TOKEN_ID, "--org", "cyber-dojo"),
            "The token, revoked."),
    Example("admin webhook create", ("admin", "webhook", "create", HOOK_URL, "--org", "cyber-dojo", "--event",
                                     "artifact.reported"),
            "The webhook with its signing secret, `secret` — printed this once (deliveries are signed with it)."),
    Example("admin webhook list", ("admin", "webhook", "list", "--org", "cyber-dojo"),
            "An array of the org's webhooks, oldest first, without secrets."),
    Example("report artifact", ("report", "artifact", "cyberdojo/creator:docs", "--flow", "creator",
                                "--path", "build.tar"),
            "The artifact, as `list artifacts` lists it.", admin=True),
    Example("report deployment", ("report", "deployment", "--flow", "creator", "--fingerprint", BUILD_FINGERPRINT,
                                  "--environment", "staging"),
            "The deployment, numbered in its flow.", admin=True),
    Example("report snapshot", ("report", "snapshot", "staging", "--artifact",
                                f"cyberdojo/creator:docs={BUILD_FINGERPRINT}:2"),
            "The snapshot the report made (or, when nothing changed, the latest: `changed` false, no events), with "
            "its events named as `log env` names them.", admin=True),
    Example("report commits", ("report", "commits", "--repo", "repo"),
            "How many commits were sent (`received`) and new (`created`); `incremental` when only what the server "
            "lacked was sent; `normalised`: how many of each fix-up the git reader made (empty when none).",
            admin=True),
    Example("admin webhook deliveries", ("admin", "webhook", "deliveries", WEBHOOK_ID, "--org", "cyber-dojo"),
            "An array of the webhook's deliveries, newest first: status, attempts so far, the last answer (status "
            "code or error) and `attempt_log`, every attempt of every series."),
    Example("admin webhook replay", ("admin", "webhook", "replay", DELIVERY_ID, "--org", "cyber-dojo"),
            "The delivery, due again: a new series of attempts with the same body and idempotency key."),
    Example("admin webhook delete", ("admin", "webhook", "delete", WEBHOOK_ID, "--org", "cyber-dojo"),
            "The webhook deleted (with its deliveries)."),
    Example("fingerprint", ("fingerprint", "build.tar"), "The digest, with the type it was computed as."),
)  # fmt: skip


def prepare(workdir: Path) -> None:
    """The files the examples name: a build, a policy, a JSON Schema, a git clone with an https origin."""
    (workdir / "build.tar").write_bytes(BUILD)
    (workdir / "policy.yml").write_text(POLICY)
    (workdir / "type.json").write_text(json.dumps(TYPE_SCHEMA))
    repo = workdir / "repo"
    repo.mkdir()
    for step in (
        ["init", "-q", "-b", "main"],
        ["-c", "user.name=Docs", "-c", "user.email=docs@example.com", "commit", "-q", "--allow-empty", "-m", "one"],
        ["remote", "add", "origin", REPO_URL],
    ):
        subprocess.run(["git", "-C", str(repo), *step], check=True, capture_output=True)


def run_examples(server: RunningServer, workdir: Path) -> dict[str, Any]:
    """Each example's document, by its shown arguments, in order (the writes build on each other)."""
    prepare(workdir)
    data_dir = str(Path(server.env["HOME"]) / "data")
    local = {"TRACEGRAPH_DATA_DIR": data_dir}
    made = server.cli("admin", "create-token", "--org", "cyber-dojo", "--role", "admin", "--name", "docs",
                      env=local).stdout.strip()  # fmt: skip
    as_admin = {**local, "TRACEGRAPH_API_TOKEN": made}
    answers: dict[str, Any] = {}
    ids = {TOKEN_ID: "", WEBHOOK_ID: "", DELIVERY_ID: ""}
    for example in EXAMPLES:
        args = [ids.get(arg, arg) for arg in example.args]
        env = as_admin if example.admin else local
        answer = _answer(server, example, args, env, workdir)
        if example.command == "admin webhook deliveries":
            # The server's dispatcher plans deliveries from the feed a poll after the reports: wait for the first.
            for _ in range(100):
                if answer:
                    break
                time.sleep(0.1)
                answer = _answer(server, example, args, env, workdir)
            ids[DELIVERY_ID] = answer[0]["id"]
        answers[example.shown] = answer
        if example.command == "admin create-token":
            ids[TOKEN_ID] = answer["id"]
        if example.command == "admin webhook create":
            ids[WEBHOOK_ID] = answer["id"]
    return answers


def _answer(server: RunningServer, example: Example, args: list[str], env: dict[str, str], workdir: Path) -> Any:
    done = server.cli("--output", "json", *args, env=env, cwd=workdir, check=False)
    if done.returncode != (1 if example.fails else 0):
        raise AssertionError(f"tracegraph {shlex.join(args)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def documented(text: str) -> dict[str, Any]:
    """docs/cli.md's examples: each document by its shown arguments, in order."""
    section = text.split(START, 1)[1].split(END, 1)[0]
    found = re.findall(r"^#### `([^`]+)`\n.*?```json\n(.*?)\n```", section, flags=re.MULTILINE | re.DOTALL)
    return {args: json.loads(document) for args, document in found}


def shortened(value: Any) -> Any:
    """Arrays cut to their first item and secrets hidden, for the page."""
    if isinstance(value, list):
        return [shortened(value[0])] if value else []
    if isinstance(value, dict):
        return {key: SECRET if key in SECRET_KEYS else shortened(item) for key, item in value.items()}
    return value


def section(answers: dict[str, Any]) -> str:
    parts = [START, ""]
    for example in EXAMPLES:
        document = json.dumps(shortened(answers[example.shown]), indent=2, ensure_ascii=False)
        about = textwrap.fill(example.about, width=120, break_long_words=False, break_on_hyphens=False)
        parts += [f"#### `{example.shown}`", "", about, "", "```json", document, "```", ""]
    parts.append(END)
    return "\n".join(parts)


def write_docs() -> None:
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as work:
        server = start_server(Path(home))
        try:
            answers = run_examples(server, Path(work))
        finally:
            server.stop()
    text = DOCS.read_text()
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    DOCS.write_text(before + section(answers) + after)


if __name__ == "__main__":
    write_docs()
