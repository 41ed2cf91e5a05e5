"""Gap analysis: where the focus instansi loses index points, against which benchmark, and how its
self-assessment compares with the official result. Pure functions over data frames and a Framework.

Benchmarks are either computed here from the per-instansi rows (means over the rows present, with their
count) or printed in the national report (category means, R23/R24): every row says which ("how").
The index of a benchmark made of domain means is computed from those means with the framework's weights
(sum of value x weight / 100), which is the mean of the instansi's unrounded indices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from spbe import core
from spbe.core import CATEGORY_SCOPE, is_missing, scoring
from spbe.core.frameworks import Framework
from spbe.core.pemdi import as_level, level_name_of

REFERENCES = ("provinsi", "kategori_provinsi", "pemimpin", "nasional", "pembanding")
BENCHMARK_ORDER = ("focus", "pembanding", "kategori_provinsi", "provinsi", "nasional", "pemimpin", "target")


def _clean(value):
    return None if is_missing(value) else float(value)


def _domain_codes(fw: Framework) -> list[str]:
    return [i.code for i in fw.top_level]


def domain_table(year_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per instansi: its domain values as columns plus index, name, category, province."""
    if year_rows.empty:
        return pd.DataFrame(columns=["instansi_id", "instansi_name", "category", "province", "indeks"])
    values = year_rows.pivot_table(index="instansi_id", columns="domain_code", values="value", aggfunc="first")
    info = year_rows.drop_duplicates("instansi_id").set_index("instansi_id")[
        ["instansi_name", "category", "province", "indeks", "predikat", "index_source_id"]
    ]
    return info.join(values).reset_index()


def province_leader(table: pd.DataFrame, focus: Mapping, peer_ids: list[str]) -> pd.Series | None:
    """The instansi with the highest published index in the focus's province (among the peers for a
    central agency, which has no province); ties go to the name first in alphabetical order."""
    pool = (
        table[table["province"] == focus.get("province")] if focus.get("province") else table[table["instansi_id"].isin(peer_ids)]
    )
    pool = pool.dropna(subset=["indeks"])
    if pool.empty:
        return None
    return pool.sort_values(["indeks", "instansi_name"], ascending=[False, True]).iloc[0]


def _mean_row(rows: pd.DataFrame, codes: list[str]) -> dict:
    out = {}
    for code in codes:
        col = rows[code].dropna() if code in rows else pd.Series(dtype=float)
        out[code] = (float(col.mean()) if len(col) else None, int(len(col)))
    return out


def reference_domains(
    fw: Framework, table: pd.DataFrame, focus: Mapping, peer_ids: list[str], printed: pd.DataFrame, reference: str
) -> dict:
    """The domain values of one benchmark: {"values": {code: value}, "n": {code: rows}, "how": ..., "label": ...}.

    provinsi: mean over every instansi of the focus's province; kategori_provinsi: same category in the province;
    pemimpin: the province leader's values; nasional: the category mean printed in the national report;
    pembanding: mean over the peer set (the focus excluded).
    """
    codes = _domain_codes(fw)
    focus_id = focus.get("instansi_id")
    if reference == "nasional":
        scope = CATEGORY_SCOPE.get(focus.get("category"))
        rows = printed[(printed["scope"] == scope) & (printed["statistic"] == "mean")] if not printed.empty else printed
        if "series" in rows:
            rows = rows[rows["series"] == "category_average"]
        values = {
            c: _clean(rows.loc[rows["domain_code"] == c, "value"].iloc[0]) if (rows["domain_code"] == c).any() else None
            for c in codes
        }
        index_row = rows[rows["domain_code"].isna()]
        return dict(
            values=values,
            n={c: None for c in codes},
            how="printed",
            label=scope,
            printed_index=_clean(index_row["value"].iloc[0]) if len(index_row) else None,
            source_ids=sorted(set(rows["source_id"])) if len(rows) else [],
        )
    if reference == "pemimpin":
        leader = province_leader(table, focus, peer_ids)
        if leader is None:
            return dict(values={c: None for c in codes}, n={c: 0 for c in codes}, how="published", label=None, source_ids=[])
        return dict(
            values={c: _clean(leader.get(c)) for c in codes},
            n={c: 1 for c in codes},
            how="published",
            label=leader["instansi_name"],
            instansi_id=leader["instansi_id"],
            printed_index=_clean(leader["indeks"]),
            source_ids=[leader["index_source_id"]] if isinstance(leader["index_source_id"], str) else [],
        )
    if reference == "provinsi":
        rows = table[table["province"] == focus.get("province")] if focus.get("province") else table.iloc[0:0]
        label = focus.get("province")
    elif reference == "kategori_provinsi":
        rows = (
            table[(table["province"] == focus.get("province")) & (table["category"] == focus.get("category"))]
            if focus.get("province")
            else table.iloc[0:0]
        )
        label = focus.get("province")
    elif reference == "pembanding":  # core.peer_domain_average: the other peers, the focus excluded
        peers = core.PeerSet(tuple(dict.fromkeys([focus_id, *peer_ids])), "pilih")
        rows = table[table["instansi_id"].isin(peers.others)]
        long = rows.melt(id_vars=["instansi_id"], value_vars=[c for c in codes if c in rows], var_name="domain_code")
        values = core.peer_domain_average(long, peers)
        return dict(
            values={c: values.get(c) for c in codes},
            n={c: int(long.loc[long["domain_code"] == c, "value"].notna().sum()) for c in codes},
            how="rows",
            label=None,
            source_ids=sorted(set(rows["index_source_id"].dropna())) if len(rows) else [],
        )
    else:
        raise ValueError(f"unknown reference {reference!r}, expected one of {REFERENCES}")
    means = _mean_row(rows, codes)
    return dict(
        values={c: means[c][0] for c in codes},
        n={c: means[c][1] for c in codes},
        how="rows",
        label=label,
        source_ids=sorted(set(rows["index_source_id"].dropna())) if len(rows) else [],
    )


def computed_index(fw: Framework, values: Mapping) -> float | None:
    """sum(domain value x weight) / 100 with the framework's weights; None when a domain is missing."""
    return scoring.index_from_parts(fw, {k: v for k, v in values.items() if v is not None}).value


def benchmarks(
    fw: Framework,
    table: pd.DataFrame,
    focus: Mapping,
    peer_ids: list[str],
    printed: pd.DataFrame,
    target: float | None = None,
    target_source: str | None = None,
    peer_index: core.PeerAverage | None = None,
) -> pd.DataFrame:
    """Long table: one row per benchmark and domain (and 'index'): value, rows used, how it was obtained.
    The peer average's index is core.peer_average (the other peers' published indices) when given."""
    codes = _domain_codes(fw)
    focus_row = table[table["instansi_id"] == focus.get("instansi_id")]
    rows = []
    if len(focus_row):
        f = focus_row.iloc[0]
        for c in codes:
            rows.append(
                dict(
                    benchmark="focus",
                    domain_code=c,
                    value=_clean(f.get(c)),
                    n=1,
                    how="published",
                    label=f["instansi_name"],
                    source_ids=f["index_source_id"],
                )
            )
        rows.append(
            dict(
                benchmark="focus",
                domain_code="index",
                value=_clean(f["indeks"]),
                n=1,
                how="published",
                label=f["instansi_name"],
                source_ids=f["index_source_id"],
            )
        )
    for ref in ("pembanding", "kategori_provinsi", "provinsi", "nasional", "pemimpin"):
        r = reference_domains(fw, table, focus, peer_ids, printed, ref)
        for c in codes:
            rows.append(
                dict(
                    benchmark=ref,
                    domain_code=c,
                    value=r["values"][c],
                    n=r["n"][c],
                    how=r["how"],
                    label=r.get("label"),
                    source_ids=";".join(r["source_ids"]),
                )
            )
        if ref == "pembanding" and peer_index is not None:
            index_value, how = peer_index.value, "rows"
        elif r["how"] == "rows":
            index_value, how = computed_index(fw, r["values"]), "computed"
        else:
            index_value, how = r.get("printed_index"), r["how"]
        rows.append(
            dict(
                benchmark=ref,
                domain_code="index",
                value=index_value,
                n=peer_index.count if how == "rows" and peer_index is not None else None,
                how=how,
                label=r.get("label"),
                source_ids=";".join(r["source_ids"]),
            )
        )
    if target is not None:
        rows.append(
            dict(
                benchmark="target",
                domain_code="index",
                value=float(target),
                n=None,
                how="target",
                label=None,
                source_ids=target_source or "",
            )
        )
    return pd.DataFrame(rows, columns=["benchmark", "domain_code", "value", "n", "how", "label", "source_ids"])


def gap_contributions(fw: Framework, focus_values: Mapping, reference_values: Mapping) -> pd.DataFrame:
    """Each domain's share of the index gap: weight x (focus - reference) / 100. The contributions add up to
    the difference of the two computed indices. A missing value on either side leaves that row missing."""
    rows = []
    for item in fw.top_level:
        f, r = _clean(focus_values.get(item.code)), _clean(reference_values.get(item.code))
        gap = None if f is None or r is None else f - r
        rows.append(
            dict(
                domain_code=item.code,
                name_id=item.name_id,
                name_en=item.name_en,
                weight_pct=item.weight_pct,
                focus=f,
                reference=r,
                gap=gap,
                contribution=None if gap is None else item.weight_pct * gap / 100,
            )
        )
    return pd.DataFrame(rows)


# -- self-assessment against the official result ----------------------------------------------------
def self_vs_official_index(trend: pd.DataFrame) -> pd.DataFrame:
    """Years holding both an official and a self-assessed index: both values and self - official."""
    wide = trend.pivot_table(index="year", columns="assessment", values="indeks", aggfunc="first")
    if not {"official", "self_assessment"} <= set(wide.columns):
        return pd.DataFrame(columns=["year", "official", "self_assessment", "difference"])
    both = wide[["official", "self_assessment"]].dropna().reset_index()
    both["difference"] = both["self_assessment"] - both["official"]
    return both


def self_vs_official_domains(domain_rows: pd.DataFrame) -> pd.DataFrame:
    """Per year and domain where both assessments have a value: official, self, difference."""
    wide = domain_rows.pivot_table(index=["year", "domain_code"], columns="assessment", values="value", aggfunc="first")
    if not {"official", "self_assessment"} <= set(wide.columns):
        return pd.DataFrame(columns=["year", "domain_code", "official", "self_assessment", "difference"])
    both = wide[["official", "self_assessment"]].dropna().reset_index()
    both["difference"] = both["self_assessment"] - both["official"]
    return both


def levels_for(level_rows: pd.DataFrame, year: int, assessment: str) -> dict[str, int]:
    part = level_rows[(level_rows["year"] == year) & (level_rows["assessment"] == assessment)]
    return {str(k): as_level(v) for k, v in zip(part["indicator_code"], part["level"], strict=True)}  # 8/2026: decimals


def self_vs_official_levels(fw: Framework, level_rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per indicator and per aspect (computed by the engine when the aspect is complete on both sides):
    official, self-assessment, difference. Items missing on either side are left out."""
    official, own = levels_for(level_rows, year, "official"), levels_for(level_rows, year, "self_assessment")
    rows = []
    for ind in fw.indicators:
        if ind.code in official and ind.code in own:
            rows.append(
                dict(
                    level="indicator",
                    code=ind.code,
                    parent_code=ind.parent_code,
                    official=official[ind.code],
                    self_assessment=own[ind.code],
                )
            )
    for aspect in fw.aspects:
        o, s = scoring.aspect_index(fw, aspect.code, official).value, scoring.aspect_index(fw, aspect.code, own).value
        if o is not None and s is not None:
            rows.append(dict(level="aspect", code=aspect.code, parent_code=aspect.parent_code, official=o, self_assessment=s))
    out = pd.DataFrame(rows, columns=["level", "code", "parent_code", "official", "self_assessment"])
    out["difference"] = out["self_assessment"] - out["official"]
    return out


def calibration_summary(pairs: pd.DataFrame, tolerance: float = 1e-9) -> dict:
    """How often and by how much the self-assessment over- or under-states the official result."""
    diffs = pairs.dropna(subset=["difference"]) if len(pairs) else pairs
    if diffs is None or diffs.empty:
        return dict(n=0, over=0, under=0, equal=0, mean_difference=None, largest_over=None, largest_under=None)
    over = diffs[diffs["difference"] > tolerance]
    under = diffs[diffs["difference"] < -tolerance]
    return dict(
        n=int(len(diffs)),
        over=int(len(over)),
        under=int(len(under)),
        equal=int(len(diffs) - len(over) - len(under)),
        mean_difference=float(diffs["difference"].mean()),
        largest_over=over.sort_values("difference", ascending=False).iloc[0].to_dict() if len(over) else None,
        largest_under=under.sort_values("difference").iloc[0].to_dict() if len(under) else None,
    )


# -- indicator views (only with imported levels) ------------------------------------------------------
def indicator_year_matrix(fw: Framework, level_rows: pd.DataFrame, assessment: str, lang: str) -> pd.DataFrame:
    """Long table indicator x year: level and the framework's level name, for a heatmap."""
    part = level_rows[(level_rows["assessment"] == assessment) & (level_rows["framework_id"] == fw.framework_id)]
    rows = []
    for r in part.itertuples():
        ind = fw.item("indicator", str(r.indicator_code))
        rows.append(
            dict(
                indicator_code=ind.code,
                indicator_name=ind.name(lang),
                aspect_code=ind.parent_code,
                year=int(r.year),
                level=as_level(r.level),
                level_name=level_name_of(fw, ind, r.level, lang),
                source_id=r.source_id,
                kind=r.kind,
            )
        )
    return pd.DataFrame(
        rows, columns=["indicator_code", "indicator_name", "aspect_code", "year", "level", "level_name", "source_id", "kind"]
    )


def aspect_values(fw: Framework, levels: Mapping, lang: str) -> pd.DataFrame:
    """Each aspect's index from the levels (scoring engine), weakest first; incomplete aspects are missing.
    points_lost = (top level - aspect index) x aspect weight / 100: the index points its indicators lose."""
    rows = []
    for aspect in fw.aspects:
        score = scoring.aspect_index(fw, aspect.code, levels)
        rows.append(
            dict(
                aspect_code=aspect.code,
                domain_code=aspect.parent_code,
                name=aspect.name(lang),
                weight_pct=aspect.weight_pct,
                value=score.value,
                missing=len(score.missing),
                points_lost=None if score.value is None else (fw.level_max - score.value) * aspect.weight_pct / 100,
            )
        )
    out = pd.DataFrame(rows)
    return out.sort_values(["value", "aspect_code"], na_position="last").reset_index(drop=True)


def weakest_indicators(fw: Framework, levels: Mapping, lang: str) -> pd.DataFrame:
    """Indicators with a level, lowest level first, then the most index points at stake (weight x headroom)."""
    rows = []
    for ind in fw.indicators:
        if ind.code not in levels or levels[ind.code] is None:
            continue
        level = as_level(levels[ind.code])
        rows.append(
            dict(
                indicator_code=ind.code,
                indicator_name=ind.name(lang),
                aspect_code=ind.parent_code,
                level=level,
                level_name=level_name_of(fw, ind, level, lang),
                step_worth=ind.weight_pct / 100,
                points_at_stake=ind.weight_pct * (fw.level_max - level) / 100,
                order=int(ind.code) if ind.code.isdigit() else 0,
            )
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.sort_values(["level", "points_at_stake", "order"], ascending=[True, False, True]).drop(columns="order")


# -- small helpers the page needs ---------------------------------------------------------------------
DEFAULT_REFERENCE = "pembanding"  # the peer average (core.peer_average), as the largest-loss sentence


def parse_reference(raw: str | None) -> tuple[str, bool]:
    """The benchmark named in the URL (?acuan=), or the default and False when it is not one we know."""
    if raw is None or raw == "":
        return DEFAULT_REFERENCE, True
    return (raw, True) if raw in REFERENCES else (DEFAULT_REFERENCE, False)


def targets_held(targets: pd.DataFrame, instansi_id: str) -> list[tuple[int, float]]:
    mine = targets[(targets["scope"] == "instansi") & (targets["instansi_id"] == instansi_id)]
    return [(int(y), float(v)) for y, v in zip(mine["year"], mine["target_indeks"], strict=True)]


def benchmark_display(bench: pd.DataFrame, labels: dict[str, str], how_text, columns: dict[str, str]) -> pd.DataFrame:
    """The benchmark table as shown and downloaded: readable benchmark names and how each value was obtained."""
    out = bench.copy()
    out["how"] = [how_text(h, "" if is_missing(n) else int(n)) for h, n in zip(out["how"], out["n"], strict=True)]
    out["benchmark"] = out["benchmark"].map(labels)
    return out.drop(columns=["label"]).rename(columns=columns)


def dumbbell_labels(fw: Framework, pairs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Aspects first, then the indicators whose two levels differ, each labelled 'code · name' (shortened)."""
    out = pairs[(pairs["level"] == "aspect") | (pairs["difference"].abs() > 1e-9)].copy()
    names = {(i.level, i.code): i.name(lang) for i in fw.items}
    out["label"] = [f"{c} · {names.get((lv, c), '')[:40]}" for lv, c in zip(out["level"], out["code"], strict=True)]
    out["order"] = [0 if lv == "aspect" else 1 for lv in out["level"]]
    return out.sort_values(["order", "difference"], ascending=[True, False]).drop(columns="order")


# -- real indicator levels: which year a view uses, points lost, what changed ---------------------------
# The 47 levels of every instansi evaluated in 2021 and 2022 are held (DS2122); 2023-2024 have domain values
# only. A view for a year without levels uses the latest earlier year of the same framework that has them.
@dataclass(frozen=True)
class LevelBasis:
    """The indicator levels a view works on, and where they come from."""

    year: int  # the year whose levels are used
    requested_year: int  # the year the reader picked
    assessment: str
    framework: Framework
    levels: dict[str, int]
    kind: str  # official, self-assessment, illustration, ...
    provenance: str | None  # official_report, secondary_verified, ..., or None when the store does not say
    source_ids: tuple[str, ...]
    years_held: tuple[int, ...]  # every year with levels of this assessment and framework

    @property
    def same_year(self) -> bool:
        return self.year == self.requested_year

    @property
    def complete(self) -> bool:
        return all(i.code in self.levels for i in self.framework.indicators)

    @property
    def illustrative(self) -> bool:
        return self.kind == "illustration"

    @property
    def previous_year(self) -> int | None:
        """The latest earlier year with levels of the same assessment and framework (for 'what changed')."""
        earlier = [y for y in self.years_held if y < self.year]
        return earlier[-1] if earlier else None


def level_basis(level_rows: pd.DataFrame, year: int, assessment: str | None = None) -> LevelBasis | None:
    """The levels a view for `year` works on: that year's when held, else the latest earlier year under the
    same framework (2022 for a 2023 or 2024 view of an instansi of the 2021-2022 dataset). Official levels
    first, then the nearest stage (simulate.preferred_assessment), unless `assessment` names one.
    None when no year up to `year` under that framework has levels."""
    from spbe.core.frameworks import framework_for_year
    from spbe.core.simulate import preferred_assessment

    if level_rows is None or level_rows.empty:
        return None
    try:
        fw = framework_for_year(year)
    except KeyError:
        return None
    rows = level_rows[(level_rows["framework_id"] == fw.framework_id) & (level_rows["year"] <= year)]
    if assessment is not None:
        rows = rows[rows["assessment"] == assessment]
    if rows.empty:
        return None
    basis_year = int(rows["year"].max())
    chosen = assessment or preferred_assessment(rows.loc[rows["year"] == basis_year, "assessment"].unique().tolist())
    part = rows[(rows["year"] == basis_year) & (rows["assessment"] == chosen)]
    provenance = part["provenance"].dropna().unique().tolist() if "provenance" in part else []
    kinds = part["kind"].dropna().unique().tolist()
    held = level_rows[(level_rows["framework_id"] == fw.framework_id) & (level_rows["assessment"] == chosen)]
    return LevelBasis(
        year=basis_year,
        requested_year=int(year),
        assessment=chosen,
        framework=fw,
        levels=levels_for(level_rows[level_rows["framework_id"] == fw.framework_id], basis_year, chosen),
        kind="illustration" if "illustration" in kinds else (kinds[0] if kinds else chosen),
        provenance=provenance[0] if len(provenance) == 1 else (";".join(sorted(provenance)) or None),
        source_ids=tuple(sorted(part["source_id"].dropna().unique())),
        years_held=tuple(sorted(int(y) for y in held["year"].unique() if y <= year)),
    )


_SHORT_NAME_RULES = {
    "id": (
        (r"^Tingkat Kematangan ", ""),
        (r"^Kebijakan Internal ", "Kebijakan "),
        (r"^Penerapan ", ""),
        (r"^Pelaksanaan Audit ", "Audit "),
        (r" Instansi Pusat/Pemerintah Daerah", ""),
        (r"Jaringan Dokumentasi dan Informasi Hukum \(JDIH\)", "JDIH"),
    ),
    "en": (
        (r"^Maturity of ", ""),
        (r"^the internal policy on ", "Policy: "),
        (r"^the operation of ", ""),
        (r"the agency's ", ""),
        (r"\(electronic\) ", ""),
        (r" \(Jaringan Intra\)", ""),
        (r"the Legal Documentation and Information Network \(JDIH\)", "JDIH"),
        (r" (implementation|execution)$", ""),
    ),
}


def short_indicator_name(fw: Framework, code: str, lang: str, width: int = 30) -> str:
    """'11 Arsitektur SPBE': the number and the indicator's name without the words every name shares
    ('Tingkat Kematangan', 'Maturity of'), cut to `width` characters with '…'. The full name goes in hover."""
    ind = fw.item("indicator", str(code))
    name = ind.name(lang)
    for pattern, new in _SHORT_NAME_RULES.get(lang, ()):
        name = re.sub(pattern, new, name)
    name = name.strip()
    name = name[:1].upper() + name[1:]
    if len(name) > width:
        name = name[: width - 1].rstrip() + "…"
    return f"{ind.code} {name}"


def _exact(x) -> Fraction:
    return Fraction(repr(float(x))) if not isinstance(x, int | Fraction) else Fraction(x)


def indicator_points_lost(fw: Framework, levels: Mapping, lang: str) -> pd.DataFrame:
    """Per indicator: index points lost = (top level - level) x weight / 100, i.e. what the indicator would add
    at the top level, with its owning aspect and domain; the most points lost first (then indicator order).
    Over all indicators the points lost add up to top level - index."""
    rows = []
    for ind in fw.indicators:
        raw = levels.get(ind.code)
        if raw is None or is_missing(raw):
            continue
        level = as_level(raw)  # 8/2026 values may be decimals: never int() them
        aspect = fw.item("aspect", ind.parent_code)
        domain = fw.item("domain", aspect.parent_code) if aspect.parent_code else None
        lost = _exact(ind.weight_pct) * (fw.level_max - _exact(level)) / 100
        rows.append(
            dict(
                indicator_code=ind.code,
                label=short_indicator_name(fw, ind.code, lang),
                indicator_name=ind.name(lang),
                aspect_code=aspect.code,
                aspect_name=aspect.name(lang),
                domain_code=domain.code if domain else aspect.code,
                domain_name=domain.name(lang) if domain else aspect.name(lang),
                weight_pct=ind.weight_pct,
                level=level,
                level_name=level_name_of(fw, ind, level, lang),
                points_lost=float(lost),
                order=int(ind.code) if ind.code.isdigit() else 0,
            )
        )
    columns = [
        "indicator_code",
        "label",
        "indicator_name",
        "aspect_code",
        "aspect_name",
        "domain_code",
        "domain_name",
        "weight_pct",
        "level",
        "level_name",
        "points_lost",
    ]
    out = pd.DataFrame(rows, columns=[*columns, "order"])
    if out.empty:
        return out.drop(columns="order")
    return out.sort_values(["points_lost", "order"], ascending=[False, True]).drop(columns="order").reset_index(drop=True)


@dataclass(frozen=True)
class WaterfallBar:
    """One bar of the indicator waterfall: one indicator that changed, or the small changes grouped."""

    key: str  # indicator code, or "others_gain" / "others_loss"
    indicator_codes: tuple[str, ...]
    aspect_code: str | None
    domain_code: str | None
    level_before: int | float | None  # None for a group (a float only for 8/2026 decimal values)
    level_after: int | float | None
    points_exact: Fraction  # sum of (level after - level before) x weight / 100

    @property
    def points(self) -> float:
        return float(self.points_exact)

    @property
    def grouped(self) -> bool:
        return self.key.startswith("others")


@dataclass(frozen=True)
class IndicatorWaterfall:
    """From one year's index to another's, indicator by indicator (computed from the levels, unrounded)."""

    start_exact: Fraction
    end_exact: Fraction
    bars: tuple[WaterfallBar, ...]
    changed: int  # indicators whose level changed
    grouped: int  # of those, how many were folded into the "others" bars
    max_bars: int

    @property
    def start(self) -> float:
        return float(self.start_exact)

    @property
    def end(self) -> float:
        return float(self.end_exact)

    @property
    def delta(self) -> float:
        return float(self.end_exact - self.start_exact)

    def table(self, fw: Framework, lang: str) -> pd.DataFrame:
        """The bars as rows (numbers only; the page names the columns)."""
        rows = []
        for b in self.bars:
            rows.append(
                dict(
                    key=b.key,
                    indicators=", ".join(b.indicator_codes),
                    label=short_indicator_name(fw, b.key, lang) if not b.grouped else b.key,
                    indicator_name=fw.item("indicator", b.key).name(lang) if not b.grouped else None,
                    aspect_code=b.aspect_code,
                    domain_code=b.domain_code,
                    level_before=b.level_before,
                    level_after=b.level_after,
                    points=b.points,
                )
            )
        out = pd.DataFrame(
            rows,
            columns=[
                "key",
                "indicators",
                "label",
                "indicator_name",
                "aspect_code",
                "domain_code",
                "level_before",
                "level_after",
                "points",
            ],
        )
        for col in ("level_before", "level_after"):
            if all(float(v).is_integer() for v in out[col].dropna()):
                out[col] = out[col].astype("Int64")
        return out


def indicator_change_waterfall(
    fw: Framework, levels_before: Mapping, levels_after: Mapping, max_bars: int = 12
) -> IndicatorWaterfall:
    """What changed between two years, per indicator: each changed indicator's index points,
    (level after - level before) x weight / 100, from the first year's index to the second's.

    Both level vectors must be complete (every indicator of the framework); the indices are computed from
    the levels, unrounded and exact (fractions), so the bars add up exactly from start to end. With more
    than `max_bars` changed indicators, the largest changes (in index points; ties to the lower number)
    keep their own bar and the rest are folded into two bars, the other gains and the other losses, so
    at most `max_bars` bars are drawn. Bars are in framework order, the grouped ones last.
    Used by the Kesenjangan page and the presentation's "why 2.03 -> 2.01" slide.
    """
    before, after = {}, {}
    for source, out in ((levels_before, before), (levels_after, after)):
        for ind in fw.indicators:
            raw = source.get(ind.code, source.get(int(ind.code)) if ind.code.isdigit() else None)
            level = scoring.check_level(fw, ind.code, raw)
            if level is None:
                raise ValueError(f"indicator {ind.code}: level missing, the waterfall needs all {len(fw.indicators)}")
            out[ind.code] = level
    weight = {i.code: _exact(i.weight_pct) for i in fw.indicators}
    start = sum(weight[c] * _exact(before[c]) for c in before) / 100
    end = sum(weight[c] * _exact(after[c]) for c in after) / 100
    changes = []
    for pos, ind in enumerate(fw.indicators):
        delta = _exact(after[ind.code]) - _exact(before[ind.code])
        if delta:
            aspect = fw.item("aspect", ind.parent_code)
            changes.append(
                (
                    pos,
                    WaterfallBar(
                        ind.code,
                        (ind.code,),
                        aspect.code,
                        aspect.parent_code or aspect.code,
                        before[ind.code],
                        after[ind.code],
                        weight[ind.code] * delta / 100,
                    ),
                )
            )
    max_bars = max(int(max_bars), 3)
    if len(changes) <= max_bars:
        kept, rest = changes, []
    else:
        by_size = sorted(changes, key=lambda pc: (-abs(pc[1].points_exact), pc[0]))
        kept, rest = by_size[: max_bars - 2], by_size[max_bars - 2 :]
    bars = [b for _, b in sorted(kept, key=lambda pc: pc[0])]
    for key, members in (
        ("others_gain", [b for _, b in sorted(rest, key=lambda pc: pc[0]) if b.points_exact > 0]),
        ("others_loss", [b for _, b in sorted(rest, key=lambda pc: pc[0]) if b.points_exact < 0]),
    ):
        if members:
            bars.append(
                WaterfallBar(key, tuple(b.key for b in members), None, None, None, None, sum(b.points_exact for b in members))
            )
    assert sum((b.points_exact for b in bars), Fraction(0)) == end - start  # the bars explain the change exactly
    return IndicatorWaterfall(start, end, tuple(bars), len(changes), len(rest), max_bars)
