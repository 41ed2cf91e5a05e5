"""Series over the years under changing frameworks: the rules the trend charts and page models follow.

Rules the charts follow (and the tests check):
- A missing year is a gap: the y value for that year is None and the line breaks there. Nothing is
  interpolated across it (Kota Serang has 2018 then 2023: no line joins them).
- A line also breaks where the evaluation framework changes (after 2020, after 2025): values of
  different frameworks are not strictly comparable, and predikat is never compared across them.
- Domains are matched across frameworks by name, not by code: Layanan is D3 in PermenPANRB 5/2018 and
  D4 in 59/2020; Manajemen exists only from 2021.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from spbe.core.frameworks import Band, framework_for_year


@dataclass(frozen=True)
class Segment:
    """A run of consecutive axis years under one framework."""

    framework_id: str
    regulation: str  # short name, e.g. "PermenPANRB 59/2020"
    first: int
    last: int
    verified: str
    bands: tuple[Band, ...]


def short_regulation(regulation: str) -> str:
    """'PermenPANRB 59/2020 tentang Pemantauan ...' -> 'PermenPANRB 59/2020'."""
    return regulation.split(" tentang ")[0].strip()


def axis_years(years) -> list[int]:
    """Every year from the first to the last held, so missing years are visible on the axis."""
    held = sorted({int(y) for y in years if pd.notna(y)})
    return list(range(held[0], held[-1] + 1)) if held else []


def framework_segments(years: list[int]) -> list[Segment]:
    return list(_segments(tuple(years)))


@lru_cache(maxsize=64)
def _segments(years: tuple[int, ...]) -> tuple[Segment, ...]:
    # Cached: a peer bundle asks for the same axis hundreds of times.
    segments: list[Segment] = []
    for year in years:
        fw = framework_for_year(year)
        if segments and segments[-1].framework_id == fw.framework_id and segments[-1].last == year - 1:
            last = segments[-1]
            segments[-1] = Segment(last.framework_id, last.regulation, last.first, year, last.verified, last.bands)
        else:
            segments.append(Segment(fw.framework_id, short_regulation(fw.regulation), year, year, fw.verified, fw.bands))
    return tuple(segments)


def gapped_xy(values: pd.DataFrame, years: list[int], value: str = "value") -> tuple[list, list]:
    """x and y over every axis year: None where no value is held, and a None break between frameworks.

    values holds one row per year (columns year and value). A break point sits half-way between the last
    year of one framework and the first of the next, so a line never crosses a framework change.
    """
    by_year = {int(y): float(v) for y, v in zip(values["year"], values[value], strict=True) if pd.notna(v)}
    return gapped_from_map(by_year, years)


def gapped_from_map(by_year: dict[int, float], years: list[int]) -> tuple[list, list]:
    """gapped_xy for values already keyed by year."""
    x: list = []
    y: list = []
    segments = framework_segments(years)
    for i, seg in enumerate(segments):
        if i:
            x.append(seg.first - 0.5)
            y.append(None)
        for year in range(seg.first, seg.last + 1):
            x.append(year)
            y.append(by_year.get(year))
    return x, y


def domain_key(name_id: str) -> str:
    """A domain's name without the trailing 'SPBE', lower case: the key that matches across frameworks."""
    name = name_id.strip()
    if name.upper().endswith(" SPBE"):
        name = name[: -len(" SPBE")]
    return name.lower()


def domain_trend_table(national: pd.DataFrame, focus: pd.DataFrame | None, focus_name: str | None) -> pd.DataFrame:
    """Long table: one row per series, domain and year, with the domain's code and name in that year's framework.

    national: national_series rows with a domain_code; focus: domain_history rows (official only are used).
    """
    parts = []
    nat = national[national["domain_code"].notna()]
    if not nat.empty:
        parts.append(
            pd.DataFrame(
                {
                    "series": "national",
                    "instansi_name": None,
                    "year": nat["year"],
                    "framework_id": nat["framework_id"],
                    "domain_code": nat["domain_code"],
                    "domain_name_id": nat["domain_name_id"],
                    "domain_name_en": nat["domain_name_en"],
                    "value": nat["value"],
                    "source_id": nat["source_id"],
                    "note": nat["comment"],
                }
            )
        )
    if focus is not None and not focus.empty:
        own = focus[focus["assessment"] == "official"]
        parts.append(
            pd.DataFrame(
                {
                    "series": "focus",
                    "instansi_name": focus_name,
                    "year": own["year"],
                    "framework_id": own["framework_id"],
                    "domain_code": own["domain_code"],
                    "domain_name_id": own["domain_name"],
                    "domain_name_en": own["domain_name_en"],
                    "value": own["value"],
                    "source_id": own["source_id"],
                    "note": own["note"],
                }
            )
        )
    if not parts:
        return pd.DataFrame(
            columns=[
                "series",
                "instansi_name",
                "year",
                "framework_id",
                "domain_code",
                "domain_name_id",
                "domain_name_en",
                "value",
                "source_id",
                "note",
                "domain_key",
            ]
        )
    table = pd.concat(parts, ignore_index=True)
    table["domain_key"] = table["domain_name_id"].map(domain_key)
    return table.sort_values(["domain_key", "series", "year"]).reset_index(drop=True)


def domain_order(table: pd.DataFrame) -> list[str]:
    """Domain keys in the order of the most recent framework's codes (earlier-only domains after them)."""
    latest = table.sort_values(["year", "domain_code"], ascending=[False, True])
    return list(dict.fromkeys(latest["domain_key"]))


def domain_codes_by_framework(table: pd.DataFrame, key: str) -> list[tuple[str, str, int, int]]:
    """For one domain key: (framework_id, code, first year, last year) per framework, e.g. Layanan: D3 then D4."""
    part = table[table["domain_key"] == key]
    out = []
    for (fid, code), rows in part.groupby(["framework_id", "domain_code"], sort=False):
        out.append((fid, code, int(rows["year"].min()), int(rows["year"].max())))
    return sorted(out, key=lambda r: r[2])


@dataclass(frozen=True)
class Restatement:
    """A year whose national domain means differ between the trend series and the year's own report."""

    year: int
    used_source: str
    other_source: str
    other_detail: str
    other_values: dict  # domain_code -> value printed by the other source


def restatements(national: pd.DataFrame, averages: pd.DataFrame) -> list[Restatement]:
    """Compare the trend series' domain means with the 'nasional' category means printed for the same year."""
    out = []
    nat = national[national["domain_code"].notna()]
    own = averages[(averages["scope"] == "nasional") & (averages["statistic"] == "mean") & averages["domain_code"].notna()]
    for year, printed in own.groupby("year"):
        series = nat[nat["year"] == year].set_index("domain_code")["value"]
        other = printed.set_index("domain_code")["value"]
        common = [c for c in other.index if c in series.index]
        if common and any(abs(series[c] - other[c]) > 1e-9 for c in common):
            used = nat.loc[nat["year"] == year, "source_detail"].iloc[0]
            out.append(
                Restatement(
                    int(year),
                    str(used),
                    str(printed["source_id"].iloc[0]),
                    str(printed["source_detail"].iloc[0]),
                    {c: float(other[c]) for c in common},
                )
            )
    return out


def missing_year_spans(years_held) -> list[tuple[int, int]]:
    """Runs of years without a value between the first and the last year held: [2018, 2023] -> [(2019, 2022)]."""
    held = sorted({int(y) for y in years_held})
    spans = []
    for a, b in zip(held, held[1:], strict=False):
        if b - a > 1:
            spans.append((a + 1, b - 1))
    return spans


def span_text(spans: list[tuple[int, int]]) -> str:
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)
