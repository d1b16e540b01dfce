"""`python -m bench run --size smoke --backend embedded|neo4j|both [--neo4j-uri URI] [--profile]`;
`python -m bench real-git --backend embedded|neo4j|both [--neo4j-uri URI] [--samples N]`."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bench import real_git
from bench.generate import SIZES
from bench.run import RESULTS, run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="load a size and time every operation on one or both backends")
    run_parser.add_argument("--size", choices=list(SIZES), default="smoke")
    run_parser.add_argument("--backend", choices=["embedded", "neo4j", "both"], default="both")
    run_parser.add_argument("--neo4j-uri", help="bench this (wiped) Neo4j instead of starting one")
    run_parser.add_argument("--repeats", type=int, help="timed runs per operation (default: by size)")
    run_parser.add_argument("--profile", action="store_true", help="write pyinstrument profiles of each read")
    run_parser.add_argument("--out", type=Path, default=RESULTS)
    real = commands.add_parser("real-git", help="import real git histories and time `Where` on them (issue 9)")
    real.add_argument("--backend", choices=["embedded", "neo4j", "both"], default="both")
    real.add_argument("--neo4j-uri", help="bench this (wiped) Neo4j instead of starting one")
    real.add_argument("--history", choices=[*real_git.HISTORIES, "both"], default="both")
    real.add_argument("--samples", type=int, default=200, help="never-built commits asked (and requests timed)")
    real.add_argument("--imports", type=int, default=3, help="full CLI imports of requests, each on a fresh org")
    real.add_argument("--floor-samples", type=int, default=10, help="commits answered by the floor queries")
    real.add_argument("--material", type=Path, default=real_git.MATERIAL, help="where the real histories are")
    real.add_argument("--out", type=Path, default=RESULTS)
    options = parser.parse_args()
    backends = ["embedded", "neo4j"] if options.backend == "both" else [options.backend]
    if options.command == "real-git":
        asyncio.run(
            real_git.run(
                backends,
                histories=real_git.HISTORIES if options.history == "both" else [options.history],
                neo4j_uri=options.neo4j_uri,
                samples=options.samples,
                imports=options.imports,
                floor_samples=options.floor_samples,
                material=options.material,
                out=options.out,
            )
        )
        return
    asyncio.run(
        run(
            options.size,
            backends,
            neo4j_uri=options.neo4j_uri,
            profile=options.profile,
            repeats=options.repeats,
            out=options.out,
        )
    )


if __name__ == "__main__":
    main()
