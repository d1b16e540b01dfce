"""Hatch build hook: bundle GraphiQL (and React) from npm into tracegraph/static/graphiql/, and the web UI (web/,
Preact + urql, built by Vite) into tracegraph/static/ui/, at build time.

The bundles are git-ignored built code, never committed: for each npm project, `npm ci` (when its node_modules/ is
missing or older than its package-lock.json) then `npm run build` — esbuild for GraphiQL, `tsc --noEmit && vite
build` for the UI, so a type error fails the install. A bundle newer than all of its inputs is not rebuilt. Where
npm is missing the build goes on without them and the service's pages (/graphql, /) explain how to build them. Set
TRACEGRAPH_SKIP_GRAPHIQL=1 to skip both on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


# A NamedTuple, not a dataclass: hatchling loads this file without registering it as a module.
class NpmBundle(NamedTuple):
    label: str
    project: Path  # where package.json is
    output: Path  # the built directory
    built: Path  # a file the build writes last-ish: its time says how fresh the bundle is
    tool: str  # node_modules/.bin/<tool> missing means node_modules is incomplete
    inputs: tuple[str, ...]  # files and directories (walked) the bundle is built from, relative to the root


BUNDLES = (
    NpmBundle(
        label="GraphiQL",
        project=Path("."),
        output=Path("tracegraph/static/graphiql"),
        built=Path("tracegraph/static/graphiql/graphiql.js"),
        tool="esbuild",
        inputs=("package.json", "package-lock.json", "tracegraph/static/src/graphiql.jsx"),
    ),
    NpmBundle(
        label="the web UI",
        project=Path("web"),
        output=Path("tracegraph/static/ui"),
        built=Path("tracegraph/static/ui/index.html"),
        tool="vite",
        inputs=(
            "web/package.json",
            "web/package-lock.json",
            "web/index.html",
            "web/vite.config.ts",
            "web/tsconfig.json",
            "web/src",
        ),
    ),
)


class GraphiQLBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "graphiql"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        if self.target_name != "wheel":
            return  # an sdist ships the sources (package.json, the entry points); its wheel build bundles them
        for bundle in BUNDLES:
            # Git-ignored files are left out of a wheel unless named as artifacts.
            build_data["artifacts"].append(f"/{bundle.output.as_posix()}/")
        if os.environ.get("TRACEGRAPH_SKIP_GRAPHIQL") == "1":
            return
        for bundle in BUNDLES:
            self._build(root, bundle)

    def _build(self, root: Path, bundle: NpmBundle) -> None:
        project = root / bundle.project
        if not (project / "package.json").is_file():
            return  # building from an sdist that already carries the bundle
        if self._fresh(root, bundle):
            return
        npm = shutil.which("npm")
        if npm is None:
            self.app.display_warning(
                f"npm not found: {bundle.label} is not bundled. Install Node.js with npm and run `npm ci && npm run "
                f"build` in {bundle.project.as_posix()}/; until then the service's page says how."
            )
            return
        if self._stale_packages(project, bundle.tool):
            self.app.display_info(f"Installing the npm packages of {bundle.label} (npm ci)…")
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=project, check=True)  # noqa: S603
        self.app.display_info(f"Bundling {bundle.label} (npm run build)…")
        subprocess.run([npm, "run", "build"], cwd=project, check=True)  # noqa: S603

    @staticmethod
    def _stale_packages(project: Path, tool: str) -> bool:
        """node_modules/ missing, or installed before package-lock.json last changed (a pulled dependency)."""
        installed = project / "node_modules" / ".package-lock.json"  # written by every npm install
        if not (project / "node_modules" / ".bin" / tool).exists() or not installed.is_file():
            return True
        return installed.stat().st_mtime < (project / "package-lock.json").stat().st_mtime

    @staticmethod
    def _fresh(root: Path, bundle: NpmBundle) -> bool:
        built = root / bundle.built
        if not built.is_file():
            return False
        return built.stat().st_mtime >= max(_newest(root / name) for name in bundle.inputs)


def _newest(path: Path) -> float:
    """The latest modification time of a file, or of any file under a directory; 0 when missing."""
    if path.is_file():
        return path.stat().st_mtime
    if path.is_dir():
        return max((item.stat().st_mtime for item in path.rglob("*") if item.is_file()), default=0.0)
    return 0.0
