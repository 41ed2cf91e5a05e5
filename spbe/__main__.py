"""Command line: python -m spbe build | import FILE [--dry-run] | bench."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spbe", description="SPBE index dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build the DuckDB store from data/ (path: $SPBE_DB)")
    args, rest = parser.parse_known_args(argv)
    if args.command == "build":
        from spbe.build import build
        from spbe.frameworks import SeedError

        try:
            path = build()
        except SeedError as err:
            print(f"build failed: {err}", file=sys.stderr)
            return 2
        print(f"built {path}")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
