"""Command line: python -m spbe build | import FILE [--dry-run] | bench.

Each subcommand lives in its own module with a main(argv) -> exit code.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "build": ("spbe.store.build", "build the DuckDB store from data/ (path: $SPBE_DB)"),
    "import": ("spbe.imports.importer", "validate and apply a region's results file (CSV/XLSX); --dry-run to only check"),
    "rollback": ("spbe.imports.importer", "return to the previous applied import version"),
    "hash-password": ("spbe.web.auth", "make a password hash for an [admin_users] account in .streamlit/secrets.toml"),
    "bench": ("spbe.dev.bench", "measure render times, query latency and memory; prints one table"),
}


def usage() -> str:
    lines = ["usage: python -m spbe COMMAND [ARGS]", "", "commands:"]
    lines += [f"  {name:<13} {help_}" for name, (_, help_) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(usage(), file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    return module.main(argv)  # each module's main takes the full argv (command first)


if __name__ == "__main__":
    sys.exit(main())
