"""Metrics summed over `tracegraph serve --workers N`: prometheus_client's multiprocess mode.

Each worker writes its counts to files of its own (named by its pid) in `PROMETHEUS_MULTIPROC_DIR`; `/metrics`, in
whichever worker answers it, sums every file there (metrics.registry). The variable must be set before a worker
imports prometheus_client, so `serve` sets it before uvicorn spawns the workers, and after it has used the store
itself (its own counts stay in memory, out of the sums).

Dead workers: uvicorn restarts a worker that died or hung, and its supervisor offers no hook on a child's exit, so
`multiprocess.mark_process_dead` is never called. That is harmless here: it only removes `live*` gauges' files, and
tracegraph has no gauge. A dead worker's counter and histogram files stay and keep counting in the sums, which is
what Prometheus expects of a counter (a drop would read as a reset); each restart adds one set of files.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tracegraph.settings import Settings

logger = logging.getLogger(__name__)

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# The files prometheus_client writes there: counter_<pid>.db, histogram_<pid>.db, gauge_<mode>_<pid>.db…
_FILE = re.compile(r"(?:counter|histogram|summary|gauge_[a-z]+)_(?P<pid>\d+)\.db")


@contextmanager
def shared_metrics(settings: Settings) -> Iterator[Path | None]:
    """Around the workers' lifetime: the directory their metrics share, or None when there is nothing to share.

    `PROMETHEUS_MULTIPROC_DIR` when set (its files from an earlier run are removed first: they would be summed in,
    so give each `serve` its own directory); else, with metrics on and more than one worker, a new temporary
    directory, removed when the workers have stopped."""
    given = os.environ.get(VARIABLE)
    if given:
        directory = Path(given)
        directory.mkdir(parents=True, exist_ok=True)
        # Not this process's own files: with one worker it serves, and may have counted already (serve --demo).
        stale = [path for path in directory.iterdir() if _stale(path.name)]
        for path in stale:
            path.unlink()
        if stale:
            logger.info("Removed %d metrics files of an earlier run from %s", len(stale), directory)
        yield directory
        return
    if not settings.metrics_enabled or settings.workers <= 1:
        yield None
        return
    directory = Path(tempfile.mkdtemp(prefix="tracegraph-metrics-"))
    os.environ[VARIABLE] = str(directory)
    logger.info("The %d workers' metrics are summed from %s", settings.workers, directory)
    try:
        yield directory
    finally:
        del os.environ[VARIABLE]
        shutil.rmtree(directory, ignore_errors=True)


def _stale(name: str) -> bool:
    matched = _FILE.fullmatch(name)
    return matched is not None and int(matched["pid"]) != os.getpid()
