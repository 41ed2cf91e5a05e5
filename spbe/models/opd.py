"""Who owns each indicator gap: the suggested OPD (regional agency) per indicator, a region's own saved
mapping, and per OPD the indicators, levels and index points at stake. Pure functions apart from the
two that read and write the saved mapping (state_dir()/opd/<instansi_id>.csv, written atomically).

Public API (also used by the presentation export):
    default_mapping(framework, instansi_id) -> DataFrame     # the suggestion from data/opd_default_mapping.csv
    load_mapping(framework, instansi_id) -> Loaded           # saved mapping if valid, else the suggestion
    validate_mapping(framework, frame) -> (DataFrame, [Problem])
    save_mapping(framework, instansi_id, frame) -> Path      # MappingError listing every problem
    owner_table(framework, mapping, levels=None) -> DataFrame
    opd_summary(owners) -> DataFrame
    action_plan_sheets(owners, summary, columns) -> dict[str, DataFrame]
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from spbe.core.frameworks import Framework
from spbe.core.pemdi import as_level
from spbe.settings import SEED_DIR, state_dir

DEFAULT_FILE = SEED_DIR / "opd_default_mapping.csv"
SAVED_COLUMNS = ["framework_id", "indicator_no", "opd", "target_level"]
MAX_OPD_CHARS = 120
INSTANSI_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
SHEET_BAD_RE = re.compile(r"[\[\]:*?/\\]")


class MappingError(ValueError):
    """A mapping breaks a rule; .problems lists every one (code + values for the message)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.code} {p.values}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    code: str  # catalogue key suffix: opd.problem_<code>
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Loaded:
    mapping: pd.DataFrame  # indicator_no, opd, target_level, reason_id, reason_en, status
    origin: str  # "saved", "default" or "none" (no suggestion for this framework)
    problems: tuple[Problem, ...] = ()  # why a saved file was not used


def saved_path(instansi_id: str) -> Path:
    """Where an instansi's mapping is kept; refuses an id that is not a plain slug (no path tricks)."""
    if not INSTANSI_ID_RE.match(instansi_id or ""):
        raise ValueError(f"instansi id {instansi_id!r} is not a plain lower-case slug")
    return state_dir() / "opd" / f"{instansi_id}.csv"


def _read_default(path: Path = DEFAULT_FILE) -> pd.DataFrame:
    st = path.stat()  # read once per version of the file (every view asks for it)
    return _read_default_file(str(path), st.st_mtime_ns, st.st_size).copy()


@lru_cache(maxsize=4)
def _read_default_file(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def default_mapping(fw: Framework, instansi_id: str, path: Path = DEFAULT_FILE) -> pd.DataFrame:
    """The suggested OPD per indicator: the generic name, or the instansi's own agency name where the seed
    has a column for it (opd_<instansi id with _>, e.g. opd_kota_cilegon). Empty if the framework has none."""
    seed = _read_default(path)
    seed = seed[seed["framework_id"] == fw.framework_id]
    local = "opd_" + instansi_id.replace("-", "_")
    names = seed[local] if local in seed.columns else seed["opd"]
    out = pd.DataFrame(
        {
            "indicator_no": seed["indicator_no"].astype(str),
            "opd": [n or g for n, g in zip(names, seed["opd"], strict=True)],
            "target_level": pd.array([None] * len(seed), dtype="Int64"),
            "reason_id": seed["reason_id"],
            "reason_en": seed["reason_en"],
            "status": seed["status"],
        }
    )
    return out.reset_index(drop=True)


def _as_level(value, fw: Framework) -> tuple[int | None, bool]:
    """(level or None, ok) for a target-level cell: empty is fine, else a whole level on the scale."""
    if value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip()):
        return None, True
    if value is pd.NA:
        return None, True
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None, False
    if not number.is_integer() or not fw.level_min <= number <= fw.level_max:
        return None, False
    return int(number), True


def validate_mapping(fw: Framework, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a mapping (edited or read from a file): every indicator of the framework exactly once, a
    non-empty OPD name of at most MAX_OPD_CHARS printable characters, a target level empty or on the scale.
    Returns the clean frame (indicator_no, opd, target_level) in indicator order and the problems found."""
    problems: list[Problem] = []
    missing_cols = [c for c in ("indicator_no", "opd") if c not in frame.columns]
    if missing_cols:
        return frame.iloc[0:0], [Problem("missing_column", {"column": c}) for c in missing_cols]
    known = [i.code for i in fw.indicators]
    seen: dict[str, int] = {}
    clean = []
    for row_no, row in enumerate(frame.to_dict("records"), start=1):
        raw_no = row.get("indicator_no")
        code = str(raw_no).strip() if raw_no is not None else ""
        if code.endswith(".0") and code[:-2].isdigit():
            code = code[:-2]
        if code not in known:
            problems.append(Problem("unknown_indicator", {"row": row_no, "value": code[:40]}))
            continue
        if code in seen:
            problems.append(Problem("duplicate_indicator", {"row": row_no, "indicator": code, "first": seen[code]}))
            continue
        seen[code] = row_no
        opd = row.get("opd")
        opd = "" if opd is None or (isinstance(opd, float) and opd != opd) or opd is pd.NA else str(opd).strip()
        if not opd:
            problems.append(Problem("opd_empty", {"row": row_no, "indicator": code}))
        elif len(opd) > MAX_OPD_CHARS:
            problems.append(Problem("opd_too_long", {"row": row_no, "indicator": code, "max": MAX_OPD_CHARS}))
        elif CONTROL_RE.search(opd):
            problems.append(Problem("opd_bad_chars", {"row": row_no, "indicator": code}))
        level, ok = _as_level(row.get("target_level"), fw)
        if not ok:
            problems.append(
                Problem(
                    "bad_target",
                    {
                        "row": row_no,
                        "indicator": code,
                        "value": str(row.get("target_level"))[:20],
                        "low": fw.level_min,
                        "high": fw.level_max,
                    },
                )
            )
        clean.append(dict(indicator_no=code, opd=opd, target_level=level))
    for code in known:
        if code not in seen:
            problems.append(Problem("missing_indicator", {"indicator": code}))
    out = pd.DataFrame(clean, columns=["indicator_no", "opd", "target_level"])
    out["target_level"] = out["target_level"].astype("Int64")
    out = out.sort_values("indicator_no", key=lambda s: s.astype(int) if s.str.isdigit().all() else s).reset_index(drop=True)
    return out, problems


def load_mapping(fw: Framework, instansi_id: str) -> Loaded:
    """The instansi's saved mapping when it exists and is valid for this framework, else the suggestion.
    A saved file that fails the checks is left untouched on disk; the problems say why it was not used."""
    suggestion = default_mapping(fw, instansi_id)
    if suggestion.empty:
        return Loaded(suggestion, "none")
    path = saved_path(instansi_id)
    if not path.exists():
        return Loaded(suggestion, "default")
    try:
        saved = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        return Loaded(suggestion, "default", (Problem("unreadable", {"error": str(err)[:200]}),))
    if "framework_id" in saved.columns and (saved["framework_id"] != fw.framework_id).any():
        return Loaded(suggestion, "default", (Problem("other_framework", {"framework": fw.framework_id}),))
    clean, problems = validate_mapping(fw, saved)
    if problems:
        return Loaded(suggestion, "default", tuple(problems))
    merged = clean.merge(suggestion[["indicator_no", "reason_id", "reason_en"]], on="indicator_no", how="left")
    merged["status"] = "disimpan"
    return Loaded(merged, "saved")


def mapping_csv(fw: Framework, clean: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(SAVED_COLUMNS)
    for r in clean.itertuples():
        target = "" if pd.isna(r.target_level) else int(r.target_level)
        writer.writerow([fw.framework_id, r.indicator_no, r.opd, target])
    return buf.getvalue().encode("utf-8")


def save_mapping(fw: Framework, instansi_id: str, frame: pd.DataFrame) -> Path:
    """Validate and write the mapping atomically (temporary file + os.replace); the previous version is kept
    as <instansi_id>.prev.csv. Raises MappingError listing every problem; nothing is written then."""
    clean, problems = validate_mapping(fw, frame)
    if problems:
        raise MappingError(problems)
    path = saved_path(instansi_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(mapping_csv(fw, clean))
        f.flush()
        os.fsync(f.fileno())
    if path.exists():  # keep the version being replaced, also written atomically
        prev_tmp = path.with_name(f".{instansi_id}.prev.{os.getpid()}.tmp")
        prev_tmp.write_bytes(path.read_bytes())
        os.replace(prev_tmp, path.with_name(f"{instansi_id}.prev.csv"))
    os.replace(tmp, path)
    return path


def mapping_stamp(instansi_id: str) -> str | None:
    """What identifies the saved mapping on disk (a digest of the file, None when there is none): part of the key of
    anything cached from load_mapping, so a save or a restore is seen at once (the store version does not change).
    The content, not the file's times: two saves within one clock tick must not look alike (the file is ~2 kB)."""
    try:
        content = saved_path(instansi_id).read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def owner_table(fw: Framework, mapping: pd.DataFrame, levels: dict | None = None) -> pd.DataFrame:
    """One row per indicator: its OPD, aspect and domain, what one step is worth (weight / 100), the current
    level (only from imported data, else missing), the target level (from the mapping), and index points at
    stake: to the top level (weight x headroom / 100) and to the target (weight x (target - current) / 100)."""
    levels = {str(k): v for k, v in (levels or {}).items() if v is not None}
    codes = mapping["indicator_no"].astype(str).tolist()  # plain dicts: a .loc per indicator costs ~10 ms a view
    opds = dict(zip(codes, mapping["opd"].tolist(), strict=True))
    targets = dict(zip(codes, mapping["target_level"].tolist(), strict=True)) if "target_level" in mapping else {}
    rows = []
    for ind in fw.indicators:
        aspect = fw.item("aspect", ind.parent_code)
        opd = opds.get(ind.code)
        target = targets.get(ind.code)
        target = None if target is None or pd.isna(target) else int(target)
        current = as_level(levels[ind.code]) if ind.code in levels else None  # 8/2026 values may be decimal
        rows.append(
            dict(
                indicator_no=ind.code,
                indicator_name_id=ind.name_id,
                indicator_name_en=ind.name_en,
                aspect_code=aspect.code,
                domain_code=aspect.parent_code or aspect.code,
                opd=opd,
                step_worth=ind.weight_pct / 100,
                current_level=current,
                target_level=target,
                points_to_top=None if current is None else ind.weight_pct * (fw.level_max - current) / 100,
                points_to_target=None if current is None or target is None else ind.weight_pct * max(target - current, 0) / 100,
            )
        )
    out = pd.DataFrame(rows)
    for col in ("current_level", "target_level"):
        out[col] = out[col].astype("Int64")
    return out


def _groups(owners: pd.DataFrame) -> dict:
    """Row positions per OPD, OPDs in first-seen order, rows without an OPD left out (as groupby(sort=False))."""
    groups: dict = {}
    for i, opd in enumerate(owners["opd"].tolist() if len(owners) else []):
        if opd is None or (isinstance(opd, float) and opd != opd):
            continue
        groups.setdefault(opd, []).append(i)
    return {opd: np.array(at) for opd, at in groups.items()}


def opd_summary(owners: pd.DataFrame) -> pd.DataFrame:
    """Per OPD: indicators, the worth of one step on each of them added up, and the points at stake. A sum
    over levels is given only when every indicator of the OPD has a current level (missing is missing)."""
    # Per-OPD sums over numpy arrays (a pandas group per OPD costs ~30 ms a view); each sum adds the same values in
    # the same order as the Series sums did, so the numbers are bit for bit the same.
    groups = _groups(owners)
    has_level = owners["current_level"].notna().to_numpy() if len(owners) else np.array([], dtype=bool)
    worth = owners["step_worth"].to_numpy(dtype=float) if len(owners) else np.array([])
    to_top = owners["points_to_top"].to_numpy(dtype=float) if len(owners) else np.array([])
    to_target = owners["points_to_target"].to_numpy(dtype=float) if len(owners) else np.array([])
    numbers = owners["indicator_no"].tolist() if len(owners) else []
    rows = []
    for opd, at in groups.items():
        complete = bool(has_level[at].all())
        targets = to_target[at][~np.isnan(to_target[at])]
        rows.append(
            dict(
                opd=opd,
                n_indicators=len(at),
                indicators=", ".join(numbers[i] for i in at),
                step_worth_sum=float(worth[at].sum()),
                with_levels=int(has_level[at].sum()),
                points_to_top=float(to_top[at].sum()) if complete else None,
                points_to_target=float(targets.sum()) if len(targets) else None,
            )
        )
    out = pd.DataFrame(rows)
    return out.sort_values(["step_worth_sum", "opd"], ascending=[False, True]).reset_index(drop=True)


def sheet_names(names: list[str]) -> dict[str, str]:
    """Excel sheet names for OPD names: no []:*?/\\ characters, at most 31 characters, unique."""
    out, used = {}, set()
    for name in names:
        base = SHEET_BAD_RE.sub("-", str(name)).strip("' ") or "OPD"
        candidate, k = base[:31], 2
        while candidate.lower() in used:
            suffix = f" ({k})"
            candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
        used.add(candidate.lower())
        out[name] = candidate
    return out


def action_plan_sheets(
    owners: pd.DataFrame, summary: pd.DataFrame, columns: dict[str, str], summary_sheet: str, plan_sheet: str
) -> dict[str, pd.DataFrame]:
    """The action-plan workbook: a summary per OPD, every indicator with its OPD on one sheet, then one sheet
    per OPD. `columns` renames columns into the reader's language (the page passes its catalogue texts)."""
    sheets = {summary_sheet: summary.rename(columns=columns), plan_sheet: owners.rename(columns=columns)}
    names = sheet_names([summary_sheet, plan_sheet, *owners["opd"].dropna().unique()])
    for opd in owners["opd"].dropna().unique():
        sheets[names[opd]] = owners[owners["opd"] == opd].rename(columns=columns)
    return sheets


def opd_points_at_stake(owners: pd.DataFrame, low_level_max: int = 2) -> pd.DataFrame:
    """Per OPD, from the current levels: the index points at stake up to the top level (the sum over its
    indicators of (top - level) x weight / 100), their share of all points at stake, the mean level, how many
    of its indicators are at level low_level_max or below, and its three costliest indicators ("43 (0.120)").
    OPDs with an indicator lacking a level are left out (missing is missing); most points first.
    Over every OPD the points add up to top level - index when every indicator has an owner and a level."""
    held = owners.dropna(subset=["opd"])
    total = float(held["points_to_top"].dropna().sum())
    # numpy per OPD, as in opd_summary: the same sums and mean, bit for bit, without a pandas group per OPD
    groups = _groups(held)
    has_level = held["current_level"].notna().to_numpy() if len(held) else np.array([], dtype=bool)
    level = held["current_level"].astype(float).to_numpy() if len(held) else np.array([])
    to_top = held["points_to_top"].to_numpy(dtype=float) if len(held) else np.array([])
    numbers = held["indicator_no"].tolist() if len(held) else []
    rows = []
    for name, at in groups.items():
        if not has_level[at].all():
            continue
        ranked = sorted(at, key=lambda i: (-to_top[i], int(numbers[i])))
        points = float(to_top[at].sum())
        rows.append(
            dict(
                opd=name,
                n_indicators=len(at),
                indicators=", ".join(numbers[i] for i in at),
                mean_level=float(level[at].sum() / len(at)),
                n_low=int((level[at] <= low_level_max).sum()),
                points_to_top=points,
                share=points / total if total else None,
                costliest=", ".join(f"{numbers[i]} ({to_top[i]:.3f})" for i in ranked[:3] if to_top[i] > 0),
            )
        )
    columns = ["opd", "n_indicators", "indicators", "mean_level", "n_low", "points_to_top", "share", "costliest"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["points_to_top", "opd"], ascending=[False, True]).reset_index(drop=True)


# -- the page model ----------------------------------------------------------------------------------
SUMMARY_COLUMNS = {
    "opd": "opd.col_opd",
    "n_indicators": "opd.col_n",
    "indicators": "opd.col_indicators",
    "step_worth_sum": "opd.col_worth_sum",
    "with_levels": "opd.col_with_levels",
    "points_to_top": "opd.col_points_top",
    "points_to_target": "opd.col_points_target",
}
STAKE_COLUMNS = {
    "opd": "opd.col_opd",
    "n_indicators": "opd.col_n",
    "indicators": "opd.col_indicators",
    "mean_level": "opd.col_mean_level",
    "points_to_top": "opd.col_points_top",
    "share": "opd.col_share",
    "costliest": "opd.col_costliest",
}


def owner_columns(lang: str) -> dict[str, str]:
    return {
        "indicator_no": "opd.col_no",
        f"indicator_name_{'id' if lang == 'id' else 'en'}": "opd.col_indicator",
        "aspect_code": "opd.col_aspect",
        "domain_code": "opd.col_domain",
        "opd": "opd.col_opd",
        "step_worth": "opd.col_worth",
        "current_level": "opd.col_current",
        "target_level": "opd.col_target",
        "points_to_top": "opd.col_points_top",
        "points_to_target": "opd.col_points_target",
        f"reason_{'id' if lang == 'id' else 'en'}": "opd.col_reason",
        "status": "opd.col_status",
    }


@dataclass
class OpdView:
    """What the Kepemilikan OPD page shows: the mapping, the levels it works on, and the OPD tables."""

    fw: Framework
    loaded: Loaded
    basis: object | None  # gaps.LevelBasis
    levels: dict
    illustrative: bool
    level_sources: list
    owners: pd.DataFrame
    summary: pd.DataFrame
    stakes: pd.DataFrame | None

    @property
    def sources(self) -> list:
        return [self.fw.source_ids, *self.level_sources]


def load_opd_view(frame, low_level_max: int = 2) -> OpdView:
    """The page model: the saved or suggested mapping, the year's levels (else the latest earlier year of the
    framework) and, per OPD, the indicators and index points at stake."""
    from spbe.core import gaps
    from spbe.core.frameworks import framework_for_year
    from spbe.store import db

    fw = framework_for_year(frame.year)
    loaded = load_mapping(fw, frame.instansi_id)
    basis = gaps.level_basis(db.run("indicator_levels", instansi_id=frame.instansi_id), frame.year)
    levels = basis.levels if basis is not None else {}
    owners = owner_table(fw, loaded.mapping, levels) if loaded.origin != "none" else pd.DataFrame()
    return OpdView(
        fw=fw,
        loaded=loaded,
        basis=basis,
        levels=levels,
        illustrative=basis.illustrative if basis is not None else False,
        level_sources=list(basis.source_ids) if basis is not None else [],
        owners=owners,
        summary=opd_summary(owners) if loaded.origin != "none" else pd.DataFrame(),
        stakes=opd_points_at_stake(owners, low_level_max) if levels and loaded.origin != "none" else None,
    )


def owners_display(view: OpdView, lang: str) -> pd.DataFrame:
    """The indicator table as shown: each indicator's OPD, levels, points at stake and why (suggested/saved)."""
    from spbe.i18n import t
    from spbe.models.tables import labelled

    reason = "reason_id" if lang == "id" else "reason_en"
    shown = view.owners.merge(view.loaded.mapping[["indicator_no", reason, "status"]], on="indicator_no", how="left")
    shown["status"] = [t(f"opd.status_{s}", lang) if s in ("saran", "disimpan") else s for s in shown["status"]]
    return labelled(shown, owner_columns(lang), lang)


def stakes_display(stakes: pd.DataFrame, lang: str, low_level_max: int) -> pd.DataFrame:
    from spbe.i18n import t
    from spbe.models.tables import labelled

    shown = stakes.assign(share=[None if v is None else round(100 * v, 1) for v in stakes["share"]])
    out = labelled(shown, STAKE_COLUMNS, lang)
    out.insert(4, t("opd.col_n_low", lang, low=low_level_max), shown["n_low"].tolist())
    return out
