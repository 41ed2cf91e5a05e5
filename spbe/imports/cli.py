"""The import and rollback command line: python -m spbe import FILE ... | rollback."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from spbe.i18n import DEFAULT_LANG, t
from spbe.imports.apply import apply_file, rollback
from spbe.imports.plan import plan_upload
from spbe.imports.read import Problem, shown
from spbe.store.build import ensure_db


# -- command line ------------------------------------------------------------------------------------------
def _parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"python -m spbe {command}", exit_on_error=False)
    if command == "import":
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true", help="validate and preview only; write nothing")
        p.add_argument(
            "--confirm-official-changes", action="store_true", help="apply values that differ from the published official figures"
        )
        p.add_argument(
            "--confirm-index-mismatch",
            action="store_true",
            help="apply an index that differs by more than 0.01 from the one its domains or levels give",
        )
    p.add_argument("--user", default=None, help="name recorded in the audit log (default: the login name)")
    p.add_argument("--lang", choices=("id", "en"), default=DEFAULT_LANG)
    return p


def _print_problems(problems: list[Problem], lang: str) -> None:
    for p in problems:
        print(f"{t(f'import.severity.{p.severity}', lang)}: {p.message(lang)}", file=sys.stderr)


def main(argv: list[str]) -> int:
    """python -m spbe import FILE [--dry-run] [--confirm-official-changes] [--confirm-index-mismatch] [--user NAME]
    [--lang id|en]
    python -m spbe rollback [--user NAME] [--lang id|en]

    Exit codes: 0 done (or valid, for --dry-run); 2 invalid input (nothing written); 3 official figures
    would change and --confirm-official-changes was not given, or an index differs from its parts and
    --confirm-index-mismatch was not given (nothing written); 1 the store could not be built.
    """
    command = argv[0] if argv else "import"
    try:
        args = _parser(command).parse_args(argv[1:])
    except (argparse.ArgumentError, SystemExit) as err:
        print(f"{err}\n{_parser(command).format_usage()}", file=sys.stderr)
        return 2
    lang = args.lang
    user = args.user or f"cli:{getpass.getuser()}"
    if command == "rollback":
        result = rollback(user)
        if not result.ok:
            _print_problems(result.problems, lang)
            return result.exit_code
        print(
            t(
                "import.cli.rolled_back",
                lang,
                previous=result.previous_version,
                version=result.version or t("import.seeds_only", lang),
            )
        )
        return 0

    path = Path(args.file)
    if args.dry_run:
        try:
            data = path.read_bytes()
        except OSError:
            _print_problems([Problem("file_missing", path.name, value=shown(str(path)))], lang)
            return 2
        ensure_db()
        plan = plan_upload(data, path.name)
        _print_problems(plan.problems, lang)
        if plan.errors:
            print(t("import.cli.invalid", lang, count=len(plan.errors)), file=sys.stderr)
            return 2
        print("\n".join(plan.summary_lines(lang)))
        print(t("import.cli.dry_run", lang))
        flags = {"official_conflict": args.confirm_official_changes, "index_mismatch": args.confirm_index_mismatch}
        return 3 if any(not flags.get(p.code, False) for p in plan.confirmations) else 0

    result = apply_file(path, user, confirm_official=args.confirm_official_changes, confirm_index=args.confirm_index_mismatch)
    plan = result.plan
    if plan is not None:
        _print_problems([p for p in plan.problems if p not in result.problems], lang)
    _print_problems(result.problems, lang)
    if not result.ok:
        if plan is not None and not plan.errors:
            print("\n".join(plan.summary_lines(lang)))
        if result.needs_confirmation:
            official = sum(p.code == "official_conflict" for p in result.problems)
            mismatch = sum(p.code == "index_mismatch" for p in result.problems)
            if official:
                print(t("import.cli.needs_confirmation", lang, count=official), file=sys.stderr)
            if mismatch:
                print(t("import.cli.needs_index_confirmation", lang, count=mismatch), file=sys.stderr)
        else:
            print(t("import.cli.invalid", lang, count=len(result.problems)), file=sys.stderr)
        return result.exit_code
    print("\n".join(plan.summary_lines(lang)))
    if result.action == "none":
        print(t("import.cli.nothing", lang))
    else:
        print(t("import.cli.applied", lang, version=result.version, added=result.rows_added, changed=result.rows_changed))
    return 0
