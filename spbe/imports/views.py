"""What the import page shows about versions: the serving label, the rollback target, history and audit."""

from __future__ import annotations

import pandas as pd

from spbe.i18n import t
from spbe.safe_text import md_escape
from spbe.store import versions


# -- what the import page shows ------------------------------------------------------------------------------
def serving_label(lang: str) -> str:
    name = versions.active_name()
    if name is None:
        return t("import.page.state_seeds", lang)
    manifest = versions.read_manifest(name)
    detail = f"{name} · {manifest.get('file_name', '')} · {manifest.get('user', '')} · {manifest.get('created_at', '')}"
    detail = md_escape(detail)  # shown in markdown: a file name must not become a link
    return t("import.page.state", lang, version=detail)


def rollback_target() -> tuple[bool, str | None]:
    """(possible, the version a rollback would serve: None = the seeds only)."""
    name = versions.active_name()
    if name is None:
        return False, None
    return True, versions.read_manifest(name).get("parent") or None


def history_frame(lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("import.col.version", lang): h["version"],
                t("import.col.status", lang): t(f"import.version_status.{h['status']}", lang),
                t("import.col.when", lang): h.get("created_at", ""),
                t("import.col.who", lang): h.get("user", ""),
                t("import.col.file", lang): h.get("file_name", ""),
                t("import.col.added", lang): str(h.get("rows_added", "")),
                t("import.col.changed", lang): str(h.get("rows_changed", "")),
                t("import.col.sha256", lang): h.get("sha256", ""),
            }
            for h in versions.history()
        ]
    )


def audit_frame(lang: str) -> pd.DataFrame:
    known = {"apply", "rollback", "recovered"}
    return pd.DataFrame(
        [
            {
                t("import.col.when", lang): e.get("ts", ""),
                t("import.col.action", lang): t(f"import.action.{e['action']}", lang)
                if e.get("action") in known
                else str(e.get("action")),
                t("import.col.who", lang): e.get("user", ""),
                t("import.col.file", lang): e.get("file", ""),
                t("import.col.added", lang): str(e.get("rows_added", "")),
                t("import.col.changed", lang): str(e.get("rows_changed", "")),
                t("import.col.version", lang): e.get("version") or t("import.seeds_only", lang),
                t("import.col.sha256", lang): e.get("sha256", ""),
            }
            for e in reversed(versions.read_audit())
        ]
    )
