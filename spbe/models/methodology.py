"""The Sumber & Metodologi page's content: frameworks, sources, caveats found in the data, and the
full-dataset downloads. Data access plus pure reshaping; no Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from spbe.core import PROVENANCES
from spbe.core.frameworks import framework_for_year, predikat_label
from spbe.export import csv_bytes, xlsx_bytes
from spbe.i18n import DEFAULT_LANG, MISSING, fmt_num, t
from spbe.models.shared import per_store_version
from spbe.settings import db_path
from spbe.store import db

VERIFIED_STATES = ("yes", "partial", "no")

# Sheet name -> query: the whole dataset in one workbook, one table per sheet.
DATASET_SHEETS = {
    "indeks": "dataset_export",
    "domain": "domain_results_all",
    "nasional": "national_results_all",
    "target": "target_list",
    "sumber": "source_list",
    "kerangka": "framework_list",
    "item_kerangka": "framework_item_list",
    "predikat": "predikat_band_list",
    "nama_level": "level_name_list",
    "instansi": "instansi_list",
}


def verified_key(verified: str) -> str:
    """Catalogue key describing a framework's verification state (unknown states read as 'no')."""
    return f"sources.verified_{verified if verified in VERIFIED_STATES else 'no'}"


def years_in_force(first_year: int, last_year) -> tuple[int, int | None]:
    return int(first_year), (None if last_year is None or pd.isna(last_year) else int(last_year))


def framework_of_years(years: list[int]) -> pd.DataFrame:
    """Which framework each evaluation year held in the data was scored under."""
    rows = []
    for year in sorted(years):
        fw = framework_for_year(year)
        rows.append({"year": year, "framework_id": fw.framework_id, "regulation": fw.regulation, "verified": fw.verified})
    return pd.DataFrame(rows)


def split_references(sources: pd.DataFrame) -> pd.DataFrame:
    """A web address goes in 'link' (clickable), a decree number or other reference in 'reference'."""
    ref = sources["url_or_reference"].fillna("")
    is_link = ref.str.match(r"^https?://")
    out = sources.drop(columns=["url_or_reference"]).copy()
    out["link"] = ref.where(is_link, None)
    out["reference"] = ref.where(~is_link, None)
    return out


def weights_table(weights: pd.DataFrame, framework_id: str) -> pd.DataFrame:
    """Domains and aspects of one framework with weights, aspects under their domain."""
    part = weights[weights["framework_id"] == framework_id].copy()
    parents = part["parent_code"].where(part["parent_code"].notna(), part["code"])
    part["_order"] = [
        (str(p), 0 if lvl == "domain" else 1, str(c).zfill(3))
        for p, lvl, c in zip(parents, part["level"], part["code"], strict=True)
    ]
    return part.sort_values("_order").drop(columns="_order")


def edge_rows_with_lower_predikat(edges: pd.DataFrame) -> pd.DataFrame:
    """Band-edge rows whose published predikat is the band below the printed value (unrounded value under the edge)."""
    return edges[edges["predikat_is_lower_band"].fillna(False).astype(bool)]  # no printed predikat (DS1920): not lower


def mean_differences(check: pd.DataFrame, tolerance: float = 0.005) -> pd.DataFrame:
    """Printed means that differ from the plain mean of the values held by more than rounding can explain."""
    return check[(check["difference"].abs() > tolerance)]


# -- downloads ------------------------------------------------------------------------------------
def dataset_sheets() -> dict[str, pd.DataFrame]:
    return {sheet: db.run(query) for sheet, query in DATASET_SHEETS.items()}


@lru_cache(maxsize=2)
def _dataset_xlsx(version: tuple) -> bytes:
    return xlsx_bytes(dataset_sheets())


@lru_cache(maxsize=2)
def _dataset_csv(version: tuple) -> bytes:
    return csv_bytes(db.run("dataset_export"))


def dataset_xlsx() -> bytes:
    """The whole dataset as one workbook (one sheet per table), built once per version of the store."""
    return _dataset_xlsx(db.store_version())


def dataset_csv() -> bytes:
    """Every index result with its domain values, source and notes, as one CSV."""
    return _dataset_csv(db.store_version())


def store_bytes() -> bytes:
    """The DuckDB store file itself, as served to the app."""
    return db_path().read_bytes()


_STRUCTURE_PART = re.compile(r"(\d+) (domains|aspects|indicators)")


def structure_text(structure: str, lang: str = DEFAULT_LANG) -> str:
    """The data's '4 domains, 8 aspects, 47 indicators' in the reader's language ('4 domain, 8 aspek, 47 indikator');
    a structure written otherwise is shown as the data has it."""
    parts = [p.strip() for p in str(structure).split(",")]
    found = [_STRUCTURE_PART.fullmatch(p) for p in parts]
    if not parts or not all(found):
        return str(structure)
    return ", ".join(t(f"sources.structure_{m.group(2)}", lang, n=m.group(1)) for m in found)


def framework_spans(frameworks: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[str]:
    """'2018–2020 PermenPANRB 5/2018 (Indeks SPBE, 3 domain, ...)' per framework, open-ended ones with '…'."""
    from spbe.core.history import short_regulation

    out = []
    for fw in frameworks.itertuples():
        first, last = years_in_force(fw.first_year, fw.last_year)
        structure = structure_text(fw.structure, lang)
        out.append(f"{first}–{last or '…'} {short_regulation(fw.regulation)} ({fw.index_name}, {structure})")
    return out


def fmt_weight(value, lang: str) -> str:
    """13 -> '13', 16.5 -> '16,5' (id): weights as the regulation prints them."""
    return fmt_num(value, lang, 0 if float(value).is_integer() else 1)


def weights_display(weights: pd.DataFrame, framework_id: str, lang: str) -> pd.DataFrame:
    """The weights as a reader wants them: code, weight, indicators, name (aspects indented under their domain)."""
    part = weights_table(weights, framework_id)
    names = part["name_en"].where(part["name_en"].notna(), part["name_id"]) if lang == "en" else part["name_id"]
    has_domains = (part["level"] == "domain").any()
    indent = ["↳ " if has_domains and lvl == "aspect" else "" for lvl in part["level"]]
    return pd.DataFrame(
        {
            t("sources.col_code", lang): part["code"].to_numpy(),
            t("sources.col_weight", lang): [fmt_weight(w, lang) for w in part["weight_pct"]],
            # a count, or "–" where the row has none (a domain): never the grid's English "None"
            t("sources.col_indicators", lang): [MISSING if pd.isna(n) else str(int(n)) for n in part["indicators"]],
            t("sources.col_name", lang): [i + n for i, n in zip(indent, names, strict=True)],
        }
    )


def bands_display(bands: pd.DataFrame, framework_id: str, lang: str) -> pd.DataFrame:
    """Bands as ranges in the reader's number format: Baik from 2,60 to below 3,50."""
    part = bands[bands["framework_id"] == framework_id].sort_values("rank")
    label = [predikat_label(p, lang) for p in part["predikat"]]
    upper = [f"{'≤' if inc else '<'} {fmt_num(u, lang)}" for u, inc in zip(part["upper"], part["upper_inclusive"], strict=True)]
    return pd.DataFrame(
        {
            t("common.predikat", lang): label,
            t("sources.col_from", lang): [
                f"{'≥' if inc else '>'} {fmt_num(v, lang)}"
                for v, inc in zip(part["lower"], part.get("lower_inclusive", [True] * len(part)), strict=True)
            ],
            t("sources.col_below", lang): upper,
        }
    )


def levels_display(levels: pd.DataFrame, framework_id: str, lang: str) -> pd.DataFrame:
    part = levels[levels["framework_id"] == framework_id]
    return pd.DataFrame(
        {
            # the scale's name as the glossary writes it ("layanan"), never its code ("service")
            t("sources.col_scale", lang): [t(f"glossary.level_scale_{scale}", lang) for scale in part["scale"]],
            t("sources.col_level", lang): part["level"].to_numpy(),
            t("sources.col_name", lang): (part["name_en"] if lang == "en" else part["name_id"]).to_numpy(),
        }
    )


def sources_display(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every source with a clickable link or its decree/regulation reference, headers in the reader's language."""
    table = split_references(sources)
    return pd.DataFrame(
        {
            t("sources.col_id", lang): table["source_id"].to_numpy(),
            t("sources.col_kind", lang): table["kind"].to_numpy(),
            t("sources.col_title", lang): table["title"].to_numpy(),
            t("sources.col_publisher", lang): table["publisher"].to_numpy(),
            t("sources.col_date", lang): table["date"].to_numpy(),
            t("sources.col_reference", lang): table["reference"].to_numpy(),
            t("sources.col_link", lang): table["link"].to_numpy(),
        }
    )


# -- trust levels and what each source covers (issue 10) -----------------------------------------------------
def trust_levels(lang: str) -> list[tuple[str, str]]:
    """(name, what it means) for each provenance, best first."""
    return [(t(f"sources.trust.{p}", lang), t(f"sources.trust.{p}_text", lang)) for p in PROVENANCES]


def coverage_display(coverage: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per year and trust level: the sources, how many official index values and indicator levels the store holds."""
    if coverage.empty:
        return pd.DataFrame()
    cov = coverage.copy()
    cov["main_source"] = cov["source_id"].str.split(";").str[0]
    rows = []
    for (year, prov), part in cov.groupby(["year", "provenance"], sort=True):
        sources = sorted({s for ids in part["source_id"] for s in str(ids).split(";")})
        main = part.loc[part["index_values"].idxmax(), "main_source"]
        rows.append(
            {
                t("trend.col_year", lang): int(year),
                t("sources.col_trust", lang): t(f"sources.trust.{prov}", lang),
                t("sources.col_main_source", lang): main,
                t("sources.col_index_values", lang): int(part["index_values"].sum()),
                t("sources.col_indicator_levels", lang): int(part["indicator_levels"].sum()),
                t("sources.col_all_sources", lang): ", ".join(sources),
            }
        )
    return pd.DataFrame(rows)


def seed_coverage_lines(lang: str) -> list[str]:
    """What each results seed covers, in words (counts in the table beside it come from the store)."""
    return [t(f"sources.seed.{k}", lang) for k in ("r18", "ds1920", "ds2122", "r23_r24", "import")]


# -- PermenPANRB 8/2026 (Indeks Pemdi) ----------------------------------------------------------------------
def pemdi_bands_display(fw, lang: str) -> pd.DataFrame:
    """Tabel 4 as printed, both readings of its edges, and the reading this dashboard shows (the asesor deck's)."""
    return pd.DataFrame(
        {
            t("common.predikat", lang): [
                f"{predikat_label(e.predikat, lang)} ({e.alt_name_en if lang == 'en' else e.alt_name_id})" for e in fw.band_edges
            ],
            t("sources.col_as_printed", lang): [
                e.as_printed.replace(".", ",") if lang == "id" else e.as_printed for e in fw.band_edges
            ],
            t("sources.col_reading_lower", lang): [e.interval_lower_inclusive for e in fw.band_edges],
            t("sources.col_reading_upper", lang): [e.interval_upper_inclusive for e in fw.band_edges],
        }
    )


def pemdi_external_display(fw, lang: str) -> pd.DataFrame:
    """Indicators 5-7: the external score range printed for each level (the value itself is taken as entered)."""
    rows = []
    for (code, level), c in sorted(fw.criteria.items(), key=lambda kv: (int(kv[0][0]), kv[0][1])):
        if not c.external_score:
            continue
        rows.append(
            {
                t("sources.col_indicator", lang): f"{code}. {fw.item('indicator', code).name(lang)}",
                t("sources.col_level", lang): level,
                t("common.predikat", lang): c.predikat,
                t("sources.col_value_band", lang): c.value_band,
                t("sources.col_external", lang): c.external_as_printed,
            }
        )
    return pd.DataFrame(rows)


def pemdi_criteria_display(fw, lang: str) -> pd.DataFrame:
    """What each level of each indicator requires: our condensed summary, not the binding text."""
    rows = []
    for ind in fw.indicators:
        for level in range(fw.level_min, fw.level_max + 1):
            c = fw.criteria.get((ind.code, level))
            if c is None:
                continue
            rows.append(
                {
                    t("sources.col_indicator", lang): f"{ind.code}. {ind.name(lang)} ({fmt_weight(ind.weight_pct, lang)} %)",
                    t("sources.col_level", lang): level,
                    t("sources.col_value_band", lang): c.value_band,
                    t("sources.col_criteria", lang): c.criteria(lang),
                }
            )
    return pd.DataFrame(rows)


def pemdi_indicator_weights(fw, lang: str) -> pd.DataFrame:
    """The 20 indicators with aspect and weight (Tabel 1; indicator 13 is 5 %, its detail pages misprint 4 %)."""
    return pd.DataFrame(
        {
            t("sources.col_code", lang): [i.code for i in fw.indicators],
            t("sources.col_aspect", lang): [i.parent_code for i in fw.indicators],
            t("sources.col_weight", lang): [fmt_weight(i.weight_pct, lang) for i in fw.indicators],
            t("sources.col_name", lang): [i.name(lang) for i in fw.indicators],
        }
    )


# -- the page model -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourcesView:
    """Everything the Sumber page shows, loaded once (the page is layout over it)."""

    frameworks: pd.DataFrame
    weights: pd.DataFrame
    bands: pd.DataFrame
    levels: pd.DataFrame
    years_used: pd.DataFrame  # year, regulation, verified (catalogue key)
    sources: pd.DataFrame
    coverage: pd.DataFrame
    inferred: pd.DataFrame
    noted: pd.DataFrame
    edges: pd.DataFrame
    mean_check: pd.DataFrame
    restated: list


def load_sources_view(years) -> SourcesView:
    from spbe.core import history

    years_used = framework_of_years(list(years)).drop(columns="framework_id")
    years_used["verified"] = [verified_key(v) for v in years_used["verified"]]
    return SourcesView(
        frameworks=db.run("framework_list"),
        weights=db.run("framework_weights"),
        bands=db.run("predikat_band_list"),
        levels=db.run("level_name_list"),
        years_used=years_used,
        sources=db.run("source_list"),
        coverage=db.run("provenance_coverage"),
        inferred=db.run("inferred_year_results"),
        noted=db.run("noted_domain_results"),
        edges=db.run("band_edge_results"),
        mean_check=db.run("category_mean_check"),
        restated=history.restatements(db.run("national_series"), db.run("national_report_means")),
    )


@dataclass(frozen=True)
class SourcesPage:
    """The Sumber page in one language, every table as shown: nothing on it depends on the focus, so it is built
    once per store version and language (sources_page) and shared by every view. Shared: read, never change."""

    view: SourcesView
    weights: dict  # framework_id -> weights_display
    bands: dict  # framework_id -> bands_display
    levels: dict  # framework_id -> levels_display
    years_used: pd.DataFrame  # verified in words
    pemdi_weights: pd.DataFrame
    pemdi_bands: pd.DataFrame
    sources: pd.DataFrame  # sources_display
    coverage: pd.DataFrame  # coverage_display
    spans: list  # framework_spans
    lower_edges: int  # edge rows whose published predikat is the band below


def build_sources_page(frame) -> SourcesPage:
    """The page's tables from the store now pinned (uncached: sources_page memoises it)."""
    return _build_sources_page(frame.lang, tuple(frame.years))


def _build_sources_page(lang: str, years: tuple) -> SourcesPage:
    from spbe.core import pemdi

    view = load_sources_view(years)
    ids = list(view.frameworks["framework_id"])
    pfw = pemdi.framework()
    return SourcesPage(
        view=view,
        weights={f: weights_display(view.weights, f, lang) for f in ids},
        bands={f: bands_display(view.bands, f, lang) for f in ids},
        levels={f: levels_display(view.levels, f, lang) for f in ids},
        years_used=view.years_used.assign(verified=[t(k, lang) for k in view.years_used["verified"]]),
        pemdi_weights=pemdi_indicator_weights(pfw, lang),
        pemdi_bands=pemdi_bands_display(pfw, lang),
        sources=sources_display(view.sources, lang),
        coverage=coverage_display(view.coverage, lang),
        spans=framework_spans(view.frameworks, lang),
        lower_edges=len(edge_rows_with_lower_predikat(view.edges)),
    )


# Nothing on the page depends on the focus: one build per store version, language and years held (an import
# switches the version, so it misses), shared by every view.
_shared_sources_page = per_store_version(maxsize=8)(_build_sources_page)


def sources_page(frame) -> SourcesPage:
    """build_sources_page once per store version (the one this run reads), language and years held, for every view."""
    return _shared_sources_page(frame.lang, tuple(frame.years))


def download_specs() -> tuple:
    """(catalogue key, bytes maker, file name, mime, widget key) for the three full-dataset downloads."""
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return (
        ("sources.download_dataset_csv", dataset_csv, "spbe_dataset.csv", "text/csv", "dl_dataset_csv"),
        ("sources.download_dataset_xlsx", dataset_xlsx, "spbe_dataset.xlsx", xlsx, "dl_dataset_xlsx"),
        ("sources.download_duckdb", store_bytes, "spbe.duckdb", "application/octet-stream", "dl_duckdb"),
    )
