"""`tracegraph admin webhook` against a real `tracegraph serve` (child process) whose dispatcher delivers to a real
loopback receiver: create (the secret printed once), list, deliveries, replay, delete, in table and JSON."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import RunningServer, start_server
from tests.webhook_receiver import Receiver

FP_WEB = "e" * 64


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("cli-webhooks"), env={"TRACEGRAPH_WEBHOOK_BACKOFF_SECONDS": "0.2"})
    yield running
    running.stop()


def wait_for(receiver: Receiver, count: int, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while receiver.count() < count:
        assert time.monotonic() < deadline, f"{receiver.count()} of {count} deliveries arrived"
        time.sleep(0.05)


def test_admin_webhook_commands_with_a_running_server(server: RunningServer, tmp_path: Path) -> None:
    data_dir = str(Path(server.env["HOME"]) / "data")

    def admin(*args: str, json_output: bool = False) -> str:
        head = ("--output", "json") if json_output else ()
        return server.cli(*head, "admin", *args, "--data-dir", data_dir).stdout.strip()

    admin("create-org", "hooked")
    admin("create-environment", "prod", "--org", "hooked", "--type", "K8S")
    token = admin("create-token", "--org", "hooked", "--role", "writer", "--name", "ci")
    refused = server.cli("admin", "webhook", "create", "http://example.com/x", "--org", "hooked", "--event",
                         "snapshot.reported", "--data-dir", data_dir, check=False)  # fmt: skip
    assert refused.returncode == 1
    assert "url: must be an https URL" in refused.stderr
    secret_file = tmp_path / "secret"
    secret_file.write_text("cli-secret-0123456789\n")
    with Receiver(script=[500]) as receiver:
        made = json.loads(
            admin(
                "webhook",
                "create",
                receiver.url,
                "--org",
                "hooked",
                "--event",
                "snapshot.reported",
                "--secret-file",
                str(secret_file),
                json_output=True,
            )
        )
        assert made["secret"] == "cli-secret-0123456789"
        assert made["events"] == ["snapshot.reported"]
        listed = admin("webhook", "list", "--org", "hooked")
        assert made["id"] in listed
        assert "cli-secret" not in listed
        running = f"web={FP_WEB}:1"
        writer = {"TRACEGRAPH_ORG": "hooked", "TRACEGRAPH_API_TOKEN": token}
        server.cli("report", "snapshot", "prod", "--artifact", running, env=writer)
        wait_for(receiver, 2)  # a 500, then the retry
        request = receiver.received[-1]
        signed = "sha256=" + hmac.new(b"cli-secret-0123456789", request.body, hashlib.sha256).hexdigest()
        assert request.headers["x-tracegraph-signature-256"] == signed
        deadline = time.monotonic() + 20
        while True:
            [delivery] = json.loads(admin("webhook", "deliveries", made["id"], "--org", "hooked", json_output=True))
            if delivery["status"] != "PENDING" or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert delivery["status"] == "DELIVERED"
        assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 200]
        assert (delivery["attempts"], delivery["last_status_code"]) == (2, 200)
        table = admin("webhook", "deliveries", made["id"], "--org", "hooked")
        assert "DELIVERED" in table
        assert delivery["id"] in table
        assert admin("webhook", "deliveries", made["id"], "--org", "hooked", "--failed", json_output=True) == "[]"
        replayed = admin("webhook", "replay", delivery["id"], "--org", "hooked")
        assert replayed == f"Delivery {delivery['id']} is due again (series 2)"
        wait_for(receiver, 3)  # the server's sweep picks it up
        assert receiver.received[-1].headers["idempotency-key"] == delivery["idempotency_key"]
        server.cli("report", "snapshot", "prod", "--artifact", f"web={FP_WEB}:2", env=writer)
        wait_for(receiver, 4)  # the scale is a new snapshot: a second delivery
        cut = server.cli("--output", "json", "admin", "webhook", "deliveries", made["id"], "--org", "hooked",
                         "--limit", "1", "--data-dir", data_dir)  # fmt: skip
        assert len(json.loads(cut.stdout)) == 1
        assert "The newest 1 deliveries only: raise --limit" in cut.stderr
        assert len(json.loads(admin("webhook", "deliveries", made["id"], "--org", "hooked", json_output=True))) == 2
    assert admin("webhook", "delete", made["id"], "--org", "hooked").startswith(f"Deleted webhook {made['id']}")
    assert admin("webhook", "list", "--org", "hooked", json_output=True) == "[]"
    assert "cli-secret" not in server.log.read_text()
