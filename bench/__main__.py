"""`python -m bench run --size smoke --backend embedded|neo4j|both [--neo4j-uri URI] [--profile]`."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

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
    options = parser.parse_args()
    backends = ["embedded", "neo4j"] if options.backend == "both" else [options.backend]
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
