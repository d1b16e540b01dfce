"""Hatch build hook: bundle GraphiQL (and React) from npm into tracegraph/static/graphiql/ at build time.

The bundle is git-ignored third-party code, so it is built, never committed: `npm ci` (when node_modules/ is
missing or older than package-lock.json) then `npm run build` (esbuild). Where npm is missing the build goes on
without it and the service's /graphql page explains how to build the assets. Set TRACEGRAPH_SKIP_GRAPHIQL=1 to skip
on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLE = Path("tracegraph/static/graphiql")
INPUTS = ("package.json", "package-lock.json", "tracegraph/static/src/graphiql.jsx")


class GraphiQLBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "graphiql"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        bundle = root / BUNDLE
        if self.target_name != "wheel":
            return  # an sdist ships the sources (package.json, the entry point); its wheel build bundles them
        # Git-ignored files are left out of a wheel unless named as artifacts.
        build_data["artifacts"].append(f"/{BUNDLE.as_posix()}/")
        if os.environ.get("TRACEGRAPH_SKIP_GRAPHIQL") == "1":
            return
        if not (root / "package.json").is_file():
            return  # building from an sdist that already carries the bundle
        if self._fresh(root, bundle):
            return
        npm = shutil.which("npm")
        if npm is None:
            self.app.display_warning(
                "npm not found: GraphiQL is not bundled. Install Node.js with npm and run `npm ci && npm run build`; "
                "until then /graphql shows how."
            )
            return
        if self._stale_packages(root):
            self.app.display_info("Installing GraphiQL's npm packages (npm ci)…")
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)  # noqa: S603
        self.app.display_info("Bundling GraphiQL (npm run build)…")
        subprocess.run([npm, "run", "build"], cwd=root, check=True)  # noqa: S603

    @staticmethod
    def _stale_packages(root: Path) -> bool:
        """node_modules/ missing, or installed before package-lock.json last changed (a pulled dependency)."""
        installed = root / "node_modules" / ".package-lock.json"  # written by every npm install
        if not (root / "node_modules" / ".bin" / "esbuild").exists() or not installed.is_file():
            return True
        return installed.stat().st_mtime < (root / "package-lock.json").stat().st_mtime

    @staticmethod
    def _fresh(root: Path, bundle: Path) -> bool:
        built = bundle / "graphiql.js"
        if not built.is_file():
            return False
        newest_input = max((root / name).stat().st_mtime for name in INPUTS if (root / name).exists())
        return built.stat().st_mtime >= newest_input
