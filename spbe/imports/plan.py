"""Import stage 3, plan: the validated rows against the data served now: added, changed (values and text
corrections) or unchanged, official conflicts and index mismatches to confirm, the recomputed indices, and
incomplete uploads. plan_upload reads, validates and previews; replan previews the same rows again."""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

import pandas as pd

from spbe.core.scoring import index_from_levels, index_from_parts
from spbe.i18n import fmt_delta, fmt_num, t
from spbe.imports.read import Problem, Signed, collapse, read_tables_limited, shown
from spbe.imports.validate import Reference, Row, load_reference, validate_tables
from spbe.settings import SEED_DIR
from spbe.store import db, versions

EPS = 1e-9
TOLERANCE = 0.01  # the official tables reproduce an index from its parts within this


# -- preview ---------------------------------------------------------------------------------------------
TEXT_FIELDS = ("note", "predikat", "source_detail")


@dataclass(frozen=True)
class Change:
    row: Row
    status: str  # added | changed | unchanged
    old: float | None
    published: float | None  # the published official figure for the same key, when there is one
    old_text: tuple[tuple[str, str], ...] = ()  # the stored note / predikat / source detail
    text_changes: tuple[str, ...] = ()  # the text fields this row corrects

    def kept_text(self, name: str) -> str:
        """The text to store: the file's where it gives one, else what is stored now."""
        if name in self.row.given:
            return getattr(self.row, name)
        return dict(self.old_text).get(name, "") or getattr(self.row, name)


@dataclass(frozen=True)
class Recomputed:
    instansi_id: str
    year: int
    assessment: str
    framework_id: str
    basis: str  # indicators | domains
    value: float | None
    missing: int
    reference: float | None  # the index for the same assessment after the import (uploaded or stored)
    official: float | None  # the official index held for the instansi and year

    @property
    def difference(self) -> float | None:
        return None if self.value is None or self.reference is None else self.value - self.reference

    @property
    def warn(self) -> bool:
        return self.difference is not None and abs(self.difference) > TOLERANCE + EPS


@lru_cache(maxsize=4)
def _published(seed_dir: str, stamp: tuple) -> dict[tuple, float]:
    out = {}
    specs = (
        ("index_results.csv", "index", "", "indeks"),
        ("domain_results.csv", "domain", "domain_code", "value"),
        ("indicator_results.csv", "indicator", "indicator_no", "level"),
    )
    for name, level, code_col, value_col in specs:
        path = Path(seed_dir) / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["assessment"] == "official" and r.get(value_col, "") != "":
                    out[(level, r["instansi_id"], int(r["year"]), "official", r[code_col] if code_col else "")] = float(
                        r[value_col]
                    )
    return out


def published_official(seed_dir: Path = SEED_DIR) -> dict[tuple, float]:
    """The official figures as published (the seed files), by (level, instansi_id, year, 'official', code)."""
    stamp = tuple(
        (seed_dir / n).stat().st_mtime_ns
        for n in ("index_results.csv", "domain_results.csv", "indicator_results.csv")
        if (seed_dir / n).exists()
    )
    return _published(str(seed_dir), stamp)


@dataclass
class Plan:
    file_name: str
    sha256: str
    size: int
    data: bytes = field(repr=False)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    recomputed: list[Recomputed] = field(default_factory=list)
    base_version: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    validated: list[Problem] = field(default_factory=list)  # the read and validation findings, before the preview

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def confirmations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "confirm"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "info"]

    @property
    def findings(self) -> list[Problem]:
        """What the findings list shows: everything but the notes."""
        return [p for p in self.problems if p.severity != "info"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)

    # frames for people: numbers as text in the page's language
    def changes_frame(self, lang: str) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    t("import.col.status", lang): t(f"import.status.{c.status}", lang),
                    t("import.col.level", lang): t(f"import.level.{c.row.level}", lang),
                    t("import.col.instansi", lang): self.names.get(c.row.instansi_id, c.row.instansi_id),
                    t("import.col.year", lang): str(c.row.year),
                    t("import.col.assessment", lang): t(f"assessment.{c.row.assessment}", lang),
                    t("import.col.code", lang): c.row.code,
                    t("import.col.old", lang): fmt_num(c.old, lang, _digits(c)),
                    t("import.col.new", lang): fmt_num(c.row.value, lang, _digits(c)),
                    t("import.col.published", lang): fmt_num(c.published, lang, _digits(c)),
                    t("import.col.text_change", lang): "; ".join(
                        f"{t(f'import.text_field.{n}', lang)}: '{shown(dict(c.old_text).get(n, ''))}' → '{shown(getattr(c.row, n))}'"
                        for n in c.text_changes
                    ),
                    t("import.col.origin", lang): (f"{c.row.sheet} · " if c.row.sheet else "") + str(c.row.row),
                }
                for c in self.changes
            ]
        )

    def recomputed_frame(self, lang: str) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    t("import.col.instansi", lang): self.names.get(r.instansi_id, r.instansi_id),
                    t("import.col.year", lang): str(r.year),
                    t("import.col.assessment", lang): t(f"assessment.{r.assessment}", lang),
                    t("import.col.basis", lang): t(f"import.basis.{r.basis}", lang),
                    t("import.col.recomputed", lang): fmt_num(r.value, lang)
                    if r.value is not None
                    else t("import.missing_parts", lang, count=r.missing),
                    t("import.col.reference", lang): fmt_num(r.reference, lang),
                    t("import.col.difference", lang): fmt_delta(r.difference, lang, 3),
                    t("import.col.official", lang): fmt_num(r.official, lang),
                    t("import.col.check", lang): t(
                        "import.check.warn"
                        if r.warn
                        else ("import.check.ok" if r.difference is not None else "import.check.none"),
                        lang,
                    ),
                }
                for r in self.recomputed
            ]
        )

    def problems_frame(self, lang: str) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    t("import.col.severity", lang): t(f"import.severity.{p.severity}", lang),
                    t("import.col.sheet", lang): p.sheet or "",
                    t("import.col.row", lang): "" if p.row is None else str(p.row),
                    t("import.col.column", lang): p.column or "",
                    t("import.col.value", lang): p.value if p.value is not None else "",
                    t("import.col.message", lang): p.detail(lang),
                }
                for p in self.problems
            ]
        )

    def summary_lines(self, lang: str, limit: int = 500) -> list[str]:
        lines = [
            t("import.summary.file", lang, name=self.file_name, sha=self.sha256[:12], rows=len(self.rows)),
            t(
                "import.summary.counts",
                lang,
                added=self.count("added"),
                changed=self.count("changed"),
                unchanged=self.count("unchanged"),
            ),
        ]
        shown_changes = [c for c in self.changes if c.status != "unchanged"]
        for c in shown_changes[:limit]:
            digits = _digits(c)
            lines.append(
                "  "
                + t(
                    "import.summary.change",
                    lang,
                    status=t(f"import.status.{c.status}", lang),
                    level=t(f"import.level.{c.row.level}", lang),
                    instansi=self.names.get(c.row.instansi_id, c.row.instansi_id),
                    year=c.row.year,
                    assessment=t(f"assessment.{c.row.assessment}", lang),
                    code=c.row.code or "-",
                    old=fmt_num(c.old, lang, digits),
                    new=fmt_num(c.row.value, lang, digits),
                )
                + "".join(
                    f"; {t(f'import.text_field.{n}', lang)}: '{shown(dict(c.old_text).get(n, ''))}' → '{shown(getattr(c.row, n))}'"
                    for n in c.text_changes
                )
            )
        if len(shown_changes) > limit:
            lines.append("  " + t("import.summary.more", lang, count=len(shown_changes) - limit))
        for r in self.recomputed:
            key = "import.summary.recomputed_warn" if r.warn else "import.summary.recomputed"
            lines.append(
                t(
                    key,
                    lang,
                    instansi=self.names.get(r.instansi_id, r.instansi_id),
                    year=r.year,
                    assessment=t(f"assessment.{r.assessment}", lang),
                    basis=t(f"import.basis.{r.basis}", lang),
                    value=fmt_num(r.value, lang) if r.value is not None else t("import.missing_parts", lang, count=r.missing),
                    reference=fmt_num(r.reference, lang),
                    difference=fmt_delta(r.difference, lang),
                    official=fmt_num(r.official, lang),
                )
            )
        return lines


def preview(plan: Plan, ref: Reference) -> None:
    """Fill in what the rows would add or change, official conflicts, and the recomputed indices."""
    ids = sorted({r.instansi_id for r in plan.rows})
    current_frame = db.run("import_current", instansi_ids=ids)
    current = {
        (r.level, r.instansi_id, int(r.year), r.assessment, r.code): float(r.value)
        for r in current_frame.itertuples()
        if not pd.isna(r.value)
    }
    texts = {
        (r.level, r.instansi_id, int(r.year), r.assessment, r.code): tuple(
            (name, "" if pd.isna(getattr(r, name)) else str(getattr(r, name))) for name in TEXT_FIELDS
        )
        for r in current_frame.itertuples()
    }
    published = published_official()
    plan.names = {i: ref.names[i] for i in ids}
    for row in plan.rows:
        old = current.get(row.key)
        old_text = texts.get(row.key, ())
        stored = dict(old_text)
        corrected = tuple(n for n in row.given if row.key in texts and getattr(row, n) != stored.get(n, ""))
        value_same = old is not None and abs(old - row.value) <= EPS
        status = "added" if old is None else ("unchanged" if value_same and not corrected else "changed")
        pub = published.get(row.key) if row.assessment == "official" else None
        plan.changes.append(Change(row, status, old, pub, old_text, corrected))
        if pub is not None and not value_same and abs(pub - row.value) > EPS:
            plan.problems.append(
                Problem(
                    "official_conflict",
                    plan.file_name,
                    row.sheet,
                    row.row,
                    None,
                    shown(row.value),
                    (
                        ("instansi", ref.names[row.instansi_id]),
                        ("year", row.year),
                        ("what", row.code or "indeks"),
                        ("published", pub),
                        ("new", row.value),
                        ("difference", Signed(row.value - pub)),
                    ),
                    "confirm",
                )
            )
    after = dict(current)
    after.update({row.key: row.value for row in plan.rows})
    groups = defaultdict(set)
    for row in plan.rows:
        if row.level in ("indicator", "domain"):
            groups[(row.instansi_id, row.year, row.assessment, row.framework_id)].add(row.level)
    for (iid, year, assessment, fid), levels in sorted(groups.items()):
        fw = ref.frameworks[fid]
        reference = after.get(("index", iid, year, assessment, ""))
        official = after.get(("index", iid, year, "official", ""))
        for level in ("indicator", "domain"):
            if level not in levels:
                continue
            if level == "indicator":
                values = {i.code: after.get(("indicator", iid, year, assessment, i.code)) for i in fw.indicators}
                score = index_from_levels(fw, {k: v for k, v in values.items() if v is not None})
            else:
                values = {i.code: after.get(("domain", iid, year, assessment, i.code)) for i in fw.top_level}
                score = index_from_parts(fw, values)
            missing = sum(1 for v in values.values() if v is None)
            rec = Recomputed(
                iid,
                year,
                assessment,
                fid,
                "indicators" if level == "indicator" else "domains",
                score.value,
                missing,
                reference,
                official,
            )
            plan.recomputed.append(rec)
            if level == "indicator" and missing:
                plan.problems.append(
                    Problem(
                        "incomplete_levels",
                        plan.file_name,
                        params=(
                            ("instansi", ref.names[iid]),
                            ("year", year),
                            ("assessment", assessment),
                            ("count", len(values) - missing),
                            ("total", len(values)),
                            ("missing_codes", _code_list([k for k, v in values.items() if v is None])),
                        ),
                        severity="warning",
                    )
                )
            if rec.warn:
                plan.problems.append(
                    Problem(
                        "index_mismatch",
                        plan.file_name,
                        None,
                        None,
                        None,
                        None,
                        (
                            ("instansi", ref.names[iid]),
                            ("year", year),
                            ("assessment", assessment),
                            ("basis", rec.basis),
                            ("recomputed", rec.value),
                            ("reference", reference),
                            ("difference", Signed(rec.difference)),
                        ),
                        "confirm",  # applied only when confirmed, as an official change is
                    )
                )


def _digits(c) -> int:
    """Decimals shown for a change: whole levels as 3, an 8/2026 decimal value as 1,26 (never rounded to a level)."""
    values = [v for v in (c.old, c.row.value, c.published) if v is not None and v == v]
    return 0 if c.row.level == "indicator" and all(float(v).is_integer() for v in values) else 2


def _code_list(codes: list[str], limit: int = 12) -> str:
    shown_codes = ", ".join(codes[:limit])
    return shown_codes + (f", … (+{len(codes) - limit})" if len(codes) > limit else "")


def plan_upload(data: bytes, file_name: str) -> Plan:
    """Read (under limits, in a child process), validate and preview an upload. Writes nothing."""
    file_name = PurePath(file_name).name or "upload"
    plan = Plan(file_name, hashlib.sha256(data).hexdigest(), len(data), data, base_version=versions.active_name())
    tables, problems = read_tables_limited(data, file_name)
    plan.problems += problems
    if plan.errors:
        return plan
    ref = load_reference()
    rows, problems = validate_tables(tables, file_name, ref)
    skipped = [p.sheet for p in plan.problems if p.code == "sheet_skipped"]
    if skipped and any(p.code == "no_data" for p in problems):
        problems = [
            Problem("no_data_skipped", file_name, params=(("sheets", ", ".join(f"'{n}'" for n in skipped)),))
            if p.code == "no_data"
            else p
            for p in problems
        ]
    plan.problems += problems
    plan.problems = collapse(plan.problems)
    if plan.errors:
        return plan
    plan.rows = rows
    plan.validated = list(plan.problems)
    preview(plan, ref)
    return plan


def replan(plan: Plan) -> Plan:
    """The same validated rows previewed again against the data served now (no second read of the file)."""
    if plan.errors:
        return plan  # refused on reading or validation: nothing to preview again
    fresh = Plan(
        plan.file_name,
        plan.sha256,
        plan.size,
        plan.data,
        rows=list(plan.rows),
        problems=list(plan.validated),
        base_version=versions.active_name(),
        validated=list(plan.validated),
    )
    if not fresh.errors:
        preview(fresh, load_reference())
    return fresh
