from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from tracegraph.cli.main import app
from tracegraph.fingerprints import fingerprint


def test_fingerprint_prints_only_the_digest(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("print('hi')\n")
    (tmp_path / "app" / "debug.log").write_text("noise")
    runner = CliRunner()
    file_digest = runner.invoke(app, ["fingerprint", str(tmp_path / "app" / "main.py")])
    assert file_digest.exit_code == 0
    assert file_digest.stdout == hashlib.sha256(b"print('hi')\n").hexdigest() + "\n"
    excluded = runner.invoke(app, ["fingerprint", str(tmp_path / "app"), "--type", "dir", "--exclude", "*.log"])
    assert excluded.stdout.strip() == fingerprint(tmp_path / "app", exclude=["*.log"])
    assert excluded.stdout.strip() != fingerprint(tmp_path / "app")


def test_fingerprint_errors_are_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["fingerprint", str(tmp_path / "missing"), "--type", "file"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
