"""Import stage 4, apply: a confirmed plan becomes a new immutable version, a new store built beside the
live one and switched to atomically, and an audit line; rollback serves the previous version again (see
the apply order in spbe/imports/importer.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from spbe.core.frameworks import SeedError
from spbe.imports.plan import Change, Plan, plan_upload, replan
from spbe.imports.read import Problem, shown
from spbe.imports.validate import Row
from spbe.settings import SEED_DIR, db_path
from spbe.store import versions
from spbe.store.build import Seeds, build_lock, ensure_db, write_temp_store

IMPORT_SOURCE_KIND = "regional import"
CRASH_EXIT = 75
ANY = object()  # expected_base not checked


# -- apply and rollback ---------------------------------------------------------------------------------
@dataclass
class Result:
    ok: bool
    action: str  # apply | rollback | none (nothing to change) | dry_run | refused
    version: str | None = None  # the version serving afterwards (None: the seeds only)
    previous_version: str | None = None
    plan: Plan | None = None
    problems: list[Problem] = field(default_factory=list)
    rows_added: int = 0
    rows_changed: int = 0

    @property
    def needs_confirmation(self) -> bool:
        return not self.ok and bool(self.problems) and all(p.severity != "error" for p in self.problems)

    @property
    def exit_code(self) -> int:
        if self.ok:
            return 0
        if self.needs_confirmation:
            return 3
        return 1 if any(p.code in ("store_rejected", "store_failed") for p in self.problems) else 2


def checkpoint(stage: str) -> None:
    """Test-only hooks: SPBE_TEST_CRASH_AT=<stage> exits at once; SPBE_TEST_PAUSE_AT=<stage>:<s> sleeps."""
    if os.environ.get("SPBE_TEST_CRASH_AT") == stage:
        os._exit(CRASH_EXIT)
    pause = os.environ.get("SPBE_TEST_PAUSE_AT", "")
    if pause.startswith(stage + ":"):
        print(f"SPBE_TEST paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(float(pause.split(":", 1)[1]))


def number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.10g}"


def safe_label(text: str, limit: int = 80) -> str:
    """A file or person's name as stored in the sources table: printable, no markup characters."""
    text = "".join(ch for ch in str(text) if ch.isprintable() and ch not in "<>[]()`*_#|\\")
    return " ".join(text.split())[:limit] or "-"


def overlay_row(row: Row, source_id: str, change: Change | None = None) -> tuple[str, tuple, dict]:
    def text(name: str) -> str:
        return change.kept_text(name) if change is not None else getattr(row, name)

    common = {
        "instansi_id": row.instansi_id,
        "year": str(row.year),
        "framework_id": row.framework_id,
        "assessment": row.assessment,
        "source_id": source_id,
        "note": text("note"),
    }
    if row.level == "index":
        return (
            "index_results.csv",
            (row.instansi_id, str(row.year), row.assessment),
            common
            | {
                "indeks": number_text(row.value),
                "predikat": text("predikat"),
                "source_detail": text("source_detail"),
                "year_attributed": "no",
            },
        )
    if row.level == "domain":
        return (
            "domain_results.csv",
            (row.instansi_id, str(row.year), row.assessment, row.code),
            common | {"domain_code": row.code, "value": number_text(row.value)},
        )
    return (
        "indicator_results.csv",
        (row.instansi_id, str(row.year), row.assessment, row.code),
        common | {"indicator_no": row.code, "level": number_text(row.value)},
    )


OVERLAY_KEYS = {
    "index_results.csv": ("instansi_id", "year", "assessment"),
    "domain_results.csv": ("instansi_id", "year", "assessment", "domain_code"),
    "indicator_results.csv": ("instansi_id", "year", "assessment", "indicator_no"),
}


def version_files(plan: Plan, name: str, parent: str | None, user: str, now: dt.datetime, confirmed: bool) -> dict[str, bytes]:
    """Every file of the new version: the previous overlay with the new rows laid over it, and the record."""
    number = int(versions.VERSION_RE.match(name).group(1))
    source_id = f"IMPORT-{number:04d}"
    parent_dir = versions.version_dir(parent) if parent else None
    files: dict[str, bytes] = {}
    merged: dict[str, dict[tuple, dict]] = {}
    for file_name, key_cols in OVERLAY_KEYS.items():
        merged[file_name] = {tuple(r[c] for c in key_cols): r for r in versions.read_rows(parent_dir, file_name)}
    todo = [c for c in plan.changes if c.status != "unchanged"]
    for change in todo:
        file_name, key, row = overlay_row(change.row, source_id, change)
        merged[file_name][key] = row
    for file_name, rows in merged.items():
        ordered = [rows[k] for k in sorted(rows, key=lambda k: tuple(int(x) if x.isdigit() else x for x in k))]
        files[file_name] = versions.csv_text(versions.RESULT_COLUMNS[file_name], ordered).encode("utf-8")
    sources = versions.read_rows(parent_dir, "sources.csv")
    sources.append(
        {
            "source_id": source_id,
            "kind": IMPORT_SOURCE_KIND,
            "title": f"Impor data instansi: {safe_label(plan.file_name)}",
            "publisher": safe_label(user),
            "date": now.date().isoformat(),
            "url_or_reference": f"sha256:{plan.sha256}; {name}",
        }
    )
    files["sources.csv"] = versions.csv_text(versions.RESULT_COLUMNS["sources.csv"], sources).encode("utf-8")
    change_rows = [
        {
            "status": c.status,
            "level": c.row.level,
            "instansi_id": c.row.instansi_id,
            "year": c.row.year,
            "assessment": c.row.assessment,
            "code": c.row.code,
            "old": "" if c.old is None else number_text(c.old),
            "new": number_text(c.row.value),
            "published_official": "" if c.published is None else number_text(c.published),
            "sheet": c.row.sheet or "",
            "row": c.row.row,
        }
        for c in todo
    ]
    files["changes.csv"] = versions.csv_text(list(change_rows[0]) if change_rows else ["status"], change_rows).encode("utf-8")
    manifest = {
        "version": name,
        "parent": parent or "",
        "created_at": now.isoformat().replace("+00:00", "Z"),
        "user": user,
        "file_name": plan.file_name,
        "sha256": plan.sha256,
        "size": plan.size,
        "source_id": source_id,
        "rows_added": plan.count("added"),
        "rows_changed": plan.count("changed"),
        "rows_unchanged": plan.count("unchanged"),
        "official_changes": len(plan.confirmations),
        "official_changes_confirmed": confirmed,
    }
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    files[f"upload/{safe_upload_name(plan.file_name)}"] = plan.data
    return files


def safe_upload_name(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", PurePath(name).name).strip("._") or "upload"
    return base[:120]


def switch_to(name: str | None, seeds: Seeds) -> None:
    """Build the store for a version, then point at it, then serve it (see the module docstring)."""
    target = db_path()
    with build_lock(target):
        tmp = None
        try:
            tmp = write_temp_store(seeds, target)
        except BaseException:
            for leftover in target.parent.glob(f".{target.name}.{os.getpid()}.tmp*"):
                leftover.unlink(missing_ok=True)
            raise
        checkpoint("store_built")
        versions.switch_pointer(name)
        checkpoint("pointer_switched")
        os.utime(tmp)  # newer than the pointer: ensure_db must not rebuild what is already current
        os.replace(tmp, target)
        checkpoint("store_replaced")


def _refused(code: str, plan: Plan | None = None, **params) -> Result:
    return Result(
        False,
        "refused",
        versions.active_name(),
        plan=plan,
        problems=[Problem(code, plan.file_name if plan else "", params=tuple(params.items()))],
    )


def _refusal(plan: Plan, confirm_official: bool, expected_base, confirm_index: bool = False) -> Result | None:
    if expected_base is not ANY and plan.base_version != expected_base:
        return _refused("changed_since_preview", plan)
    if plan.errors:
        return Result(False, "refused", plan.base_version, plan=plan, problems=plan.errors)
    confirmed = {"official_conflict": confirm_official, "index_mismatch": confirm_index}
    missing = [p for p in plan.confirmations if not confirmed.get(p.code, False)]
    if missing:
        return Result(False, "refused", plan.base_version, plan=plan, problems=missing)
    return None


def apply_upload(
    data: bytes, file_name: str, user: str, confirm_official: bool = False, expected_base=ANY, confirm_index: bool = False
) -> Result:
    """Validate and apply an upload; nothing is written unless every row is valid (and confirmed). Reads the file once."""
    ensure_db()
    return apply_plan(plan_upload(data, file_name), user, confirm_official, expected_base, confirm_index)


def apply_plan(plan: Plan, user: str, confirm_official: bool = False, expected_base=ANY, confirm_index: bool = False) -> Result:
    """Apply a plan made by plan_upload (e.g. the one the page previewed): the file is not read again; under the
    lock its rows are previewed again against the data served then."""
    user = safe_label(user or "-")
    refusal = _refusal(plan, confirm_official, expected_base, confirm_index)
    if refusal is not None:
        return refusal  # a bad file touches nothing, not even the lock file
    with versions.import_lock():
        versions.recover()
        ensure_db()
        plan = replan(plan)  # the data may have changed meanwhile
        refusal = _refusal(plan, confirm_official, expected_base, confirm_index)
        if refusal is not None:
            return refusal
        added, changed = plan.count("added"), plan.count("changed")
        if not added and not changed:
            return Result(True, "none", plan.base_version, plan.base_version, plan)
        now = versions.utc_now()
        name = versions.next_version_name(now)
        parent = plan.base_version
        versions.write_version(name, version_files(plan, name, parent, user, now, confirm_official), checkpoint)
        checkpoint("version_written")
        try:
            seeds = Seeds(SEED_DIR, versions.version_dir(name))
            switch_to(name, seeds)
        except SeedError as err:
            versions.remove_version(name)
            return _refused("store_rejected", plan, reason=str(err))
        except OSError as err:
            if versions.active_name() != name:
                versions.remove_version(name)
            return _refused("store_failed", plan, reason=str(err))
        versions.append_audit(
            {
                "ts": now.isoformat().replace("+00:00", "Z"),
                "action": "apply",
                "user": user,
                "file": plan.file_name,
                "sha256": plan.sha256,
                "rows_added": added,
                "rows_changed": changed,
                "rows_unchanged": plan.count("unchanged"),
                "official_changes": len(plan.confirmations),
                "version": name,
                "previous_version": parent or "",
            }
        )
        checkpoint("audited")
        return Result(True, "apply", name, parent, plan, rows_added=added, rows_changed=changed)


def apply_file(path, user: str, confirm_official: bool = False, confirm_index: bool = False) -> Result:
    """apply_upload for a file on disk (the API the CLI and scripts use)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return Result(
            False, "refused", versions.active_name(), problems=[Problem("file_missing", path.name, value=shown(str(path)))]
        )
    return apply_upload(data, path.name, user, confirm_official, confirm_index=confirm_index)


def rollback(user: str) -> Result:
    """Serve again the version the active one was applied on (the seeds only if it was the first)."""
    user = safe_label(user or "-")
    with versions.import_lock():
        versions.recover()
        current = versions.active_name()
        if current is None:
            return _refused("nothing_to_roll_back")
        parent = versions.read_manifest(current).get("parent") or None
        try:
            seeds = Seeds(SEED_DIR, versions.version_dir(parent) if parent else None)
            switch_to(parent, seeds)
        except SeedError as err:
            return _refused("store_rejected", reason=str(err))
        except OSError as err:
            return _refused("store_failed", reason=str(err))
        versions.append_audit(
            {
                "ts": versions.utc_now().isoformat().replace("+00:00", "Z"),
                "action": "rollback",
                "user": user,
                "version": parent or "",
                "previous_version": current,
            }
        )
        checkpoint("audited")
        return Result(True, "rollback", parent, current)
