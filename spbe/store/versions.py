"""Applied imports as immutable versions, the ACTIVE pointer, and the append-only audit log.

    state_dir()/imports/
        ACTIVE                     name of the version being served ('' = the published seeds only)
        v0001-20260601T101500Z/    one applied import: the full cumulative overlay, never changed again
            index_results.csv, domain_results.csv, indicator_results.csv, sources.csv
            manifest.json          who, when, file, sha256, counts, the version it was applied on
            changes.csv            every value added or changed, old -> new
            upload/<file>          the file exactly as uploaded
        audit.jsonl                one JSON object per apply / rollback, appended, never rewritten
        .lock                      serialises apply and rollback (readers never take it)

A version folder is written under a temporary name, fsynced and renamed into place before the
pointer names it; the pointer is replaced atomically (temp file, fsync, os.replace). spbe.store.build
reads the pointer, so whatever the pointer names is what a rebuild serves.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import os
import re
import shutil
import stat
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from spbe.settings import db_path, state_dir

VERSION_RE = re.compile(r"^v(\d{4,})-\d{8}T\d{6}Z$")
TMP_PREFIX = ".tmp-"
RESULT_COLUMNS = {
    "index_results.csv": [
        "instansi_id",
        "year",
        "framework_id",
        "assessment",
        "indeks",
        "predikat",
        "source_id",
        "source_detail",
        "year_attributed",
        "note",
    ],
    "domain_results.csv": ["instansi_id", "year", "framework_id", "assessment", "domain_code", "value", "source_id", "note"],
    "indicator_results.csv": ["instansi_id", "year", "framework_id", "assessment", "indicator_no", "level", "source_id", "note"],
    "sources.csv": ["source_id", "kind", "title", "publisher", "date", "url_or_reference"],
}


def imports_dir() -> Path:
    return state_dir() / "imports"


def pointer_path() -> Path:
    return imports_dir() / "ACTIVE"


def audit_path() -> Path:
    return imports_dir() / "audit.jsonl"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def active_name() -> str | None:
    """The version the pointer names, if it names an existing version folder (None = seeds only)."""
    try:
        name = pointer_path().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if name and VERSION_RE.match(name) and (imports_dir() / name).is_dir() else None


def version_dir(name: str) -> Path:
    if not VERSION_RE.match(name):
        raise ValueError(f"{name!r} is not a version name")
    return imports_dir() / name


def list_versions() -> list[str]:
    folder = imports_dir()
    if not folder.is_dir():
        return []
    names = [p.name for p in folder.iterdir() if p.is_dir() and VERSION_RE.match(p.name)]
    return sorted(names, key=lambda n: int(VERSION_RE.match(n).group(1)))


def next_version_name(now: dt.datetime | None = None) -> str:
    now = now or utc_now()
    numbers = [int(VERSION_RE.match(n).group(1)) for n in list_versions()]
    # Interrupted applies leave temp folders; their numbers are never reused either.
    folder = imports_dir()
    if folder.is_dir():
        for p in folder.iterdir():
            m = VERSION_RE.match(p.name.removeprefix(TMP_PREFIX))
            if m:
                numbers.append(int(m.group(1)))
    return f"v{max(numbers, default=0) + 1:04d}-{now:%Y%m%dT%H%M%SZ}"


def read_manifest(name: str) -> dict:
    return json.loads((version_dir(name) / "manifest.json").read_text(encoding="utf-8"))


def read_rows(folder: Path | None, file_name: str) -> list[dict]:
    if folder is None or not (folder / file_name).exists():
        return []
    with (folder / file_name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({c: r.get(c, "") for c in columns})
    return buf.getvalue()


# -- durable writes -------------------------------------------------------------------------------
def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durable(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_version(name: str, files: dict[str, bytes], checkpoint=lambda stage: None) -> Path:
    """Write every file of a version under a temporary name, fsync, then rename it into place."""
    folder = version_dir(name)
    tmp = imports_dir() / f"{TMP_PREFIX}{name}"
    imports_dir().mkdir(parents=True, exist_ok=True)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for i, (relative, data) in enumerate(sorted(files.items())):
        path = tmp / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_durable(path, data)
        if i == 0:
            checkpoint("version_partial")
    for path in tmp.rglob("*"):
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # immutable once written
    for sub in sorted({p.parent for p in tmp.rglob("*")} | {tmp}, key=lambda p: -len(p.parts)):
        _fsync_dir(sub)
    os.rename(tmp, folder)
    _fsync_dir(imports_dir())
    return folder


def switch_pointer(name: str | None) -> None:
    """Point ACTIVE at a version (None: the seeds only), atomically and durably."""
    imports_dir().mkdir(parents=True, exist_ok=True)
    tmp = pointer_path().with_name(f".ACTIVE.{os.getpid()}.tmp")
    _write_durable(tmp, (name or "").encode("utf-8"))
    os.replace(tmp, pointer_path())
    _fsync_dir(imports_dir())


def remove_version(name: str) -> None:
    """Only for a version that never became active (its apply failed before the switch)."""
    shutil.rmtree(version_dir(name), ignore_errors=True)


# -- audit log ------------------------------------------------------------------------------------
def append_audit(entry: dict) -> None:
    imports_dir().mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    fd = os.open(audit_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_audit() -> list[dict]:
    """The audit entries in order; a line torn by a crash mid-write is skipped."""
    try:
        lines = audit_path().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
    return out


# -- locking and recovery -------------------------------------------------------------------------
@contextmanager
def import_lock():
    """Serialise apply and rollback across threads and processes (flock is per open file)."""
    imports_dir().mkdir(parents=True, exist_ok=True)
    with open(imports_dir() / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover() -> list[str]:
    """Tidy up after an interrupted apply or rollback (call holding import_lock); returns what it did.

    - temporary version folders (killed while writing) are removed: they were never pointed at;
    - temporary store files of processes that no longer run are removed;
    - if the pointer names a version the audit log does not end on, the switch happened but the audit
      line was not written: it is written now, marked as recovered.
    """
    done = []
    folder = imports_dir()
    if folder.is_dir():
        for p in folder.iterdir():
            if p.name.startswith(TMP_PREFIX) and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
                done.append(f"removed unfinished {p.name}")
            elif p.name.startswith(".ACTIVE.") and p.name.endswith(".tmp"):
                p.unlink(missing_ok=True)
                done.append(f"removed {p.name}")
    store = db_path()
    for p in store.parent.glob(f".{store.name}.*.tmp*"):
        m = re.match(rf"^\.{re.escape(store.name)}\.(\d+)\.tmp", p.name)
        if m and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            p.unlink(missing_ok=True)
            done.append(f"removed {p.name}")
    audit = read_audit()
    last = (audit[-1].get("version") or None) if audit else None
    active = active_name()
    if active != last and (audit or active):
        entry = {
            "ts": utc_now().isoformat().replace("+00:00", "Z"),
            "action": "recovered",
            "version": active or "",
            "previous_version": last or "",
            "user": "",
            "recovered": True,
        }
        if active:
            manifest = read_manifest(active)
            if (manifest.get("parent") or None) == last:
                entry.update(
                    action="apply",
                    user=manifest.get("user", ""),
                    file=manifest.get("file_name", ""),
                    sha256=manifest.get("sha256", ""),
                    rows_added=manifest.get("rows_added", 0),
                    rows_changed=manifest.get("rows_changed", 0),
                    applied_at=manifest.get("created_at", ""),
                )
        append_audit(entry)
        done.append(f"audit completed for {active or 'seeds'}")
    return done


def history() -> list[dict]:
    """Every version with its manifest and status: active, applied earlier, or never applied."""
    audit = read_audit()
    reached = {e.get("version") for e in audit}
    active = active_name()
    out = []
    for name in reversed(list_versions()):
        try:
            manifest = read_manifest(name)
        except (OSError, ValueError):
            manifest = {}
        status = "active" if name == active else ("applied" if name in reached else "never_applied")
        out.append({"version": name, "status": status, **manifest})
    return out
