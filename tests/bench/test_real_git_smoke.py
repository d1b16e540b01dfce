"""The real-git harness (`python -m bench real-git`) in miniature: the requests bundle on the embedded store, a few
commits asked. It must run end to end — the CLI import, the `Where` requests, the floor query — and every answer
must equal git's. Not a timing gate: timings live in BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.real_git import MATERIAL, run


async def test_real_git_harness_answers_like_git_on_requests(tmp_path: Path) -> None:
    if not (MATERIAL / "requests.bundle").is_file():
        pytest.skip(f"missing test material {MATERIAL}: the real histories live in shared/real-git beside the clone")
    results = await run(["embedded"], histories=["requests"], samples=6, imports=1, floor_samples=2, out=tmp_path)
    [backend] = results["backends"]
    history = backend["histories"]["requests"]
    assert backend["mismatches"] == 0, history["mismatch_examples"]
    assert history["answers_checked"] == 6
    assert history["answers_with_placements"] > 0
    assert history["floor"]["finished"] == 2
    assert history["answers"][0]["full"]["created"] == history["commits"]
    assert [Path(name).suffix for name in results["files"]] == [".json", ".md"]
