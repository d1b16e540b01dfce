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


def test_kosli_flag_spellings_and_comma_lists(tmp_path: Path) -> None:
    root = tmp_path / "app"
    (root / "logs").mkdir(parents=True)
    (root / "logs" / "a.log").write_text("noise")
    (root / "main.py").write_text("print('hi')\n")
    (root / "notes.txt").write_text("n")
    runner = CliRunner()
    expected = fingerprint(root, exclude=["logs", "*.txt"])
    for flags in (
        ["-t", "dir", "-x", "logs,*.txt"],
        ["--artifact-type", "dir", "--exclude", "logs", "--exclude", "*.txt"],
        ["--type", "dir", "-x", "logs", "-x", "*.txt"],
    ):
        result = runner.invoke(app, ["fingerprint", str(root), *flags])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == expected
    assert expected != fingerprint(root)


def test_broken_symlink_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "gone").symlink_to("nowhere")
    result = CliRunner().invoke(app, ["fingerprint", str(tmp_path / "app"), "-t", "dir"])
    assert result.exit_code == 1
    assert "gone: a symbolic link must resolve" in result.stderr
    ok = CliRunner().invoke(app, ["fingerprint", str(tmp_path / "app"), "-t", "dir", "-x", "gone"])
    assert ok.exit_code == 0


def test_bad_pattern_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["fingerprint", str(tmp_path), "-x", "["])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: exclude: '[': syntax error in pattern")
