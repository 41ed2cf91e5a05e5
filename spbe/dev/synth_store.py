"""A synthetic national-scale store for the benchmark: every instansi with indicator-level results for
many years and two assessments, written through the real schema into a file of the caller's choosing
(a temporary folder; never data/).

How it is made: the real seeds are built first (spbe.store.build.build: schema, frameworks, sources, instansi,
national figures, targets), then every result table is replaced inside DuckDB by generated rows:
indicator levels from a deterministic hash, domain values and the index computed from those levels with
the weights of each year's framework, predikat from that framework's bands. `copies` > 1 adds duplicate
instansi with synthetic ids ('<id>-sintetis-<k>') for the ten-times store.

Everything generated is marked as not real by its source: source_id SYNTH, a sources row titled as
synthetic benchmark data (kind 'illustration'), which every chart's source note then names. The note column
stays empty, as it is for nearly all real rows (a note on every row would make note-driven views, such as
the data caveats on the Sumber page, list the whole store). Provenance is 'official_report' for the official
assessment and 'region_import' for the self-assessment, every predikat 'derived' from the bands. The assessments are 'official' and
'self_assessment' so the pages take the same code paths as with a region's imported results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from spbe.settings import SEED_DIR
from spbe.store.build import build

SYNTH_SOURCE = "SYNTH"
# Eight evaluation years: 2021-2025 under PermenPANRB 59/2020 (47 indicators), 2026-2028 under 8/2026 (20).
DEFAULT_YEARS = tuple(range(2021, 2029))
ASSESSMENTS = ("official", "self_assessment")
FOCUS = "kota-cilegon"  # kept in every store, however small: it is the app's default instansi


@dataclass(frozen=True)
class SynthStore:
    path: Path
    instansi: int
    years: tuple[int, ...]
    index_rows: int
    domain_rows: int
    indicator_rows: int
    seconds: float


def expected_indicator_rows(instansi: int, years=DEFAULT_YEARS, indicators_per_year: dict[int, int] | None = None) -> int:
    """instansi x sum over years of that year's indicator count x 2 assessments."""
    counts = indicators_per_year or {}
    return instansi * len(ASSESSMENTS) * sum(counts.get(y, 0) for y in years)


def _exec(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> None:
    con.execute(sql, params or [])


def build_synthetic_store(
    target: Path, copies: int = 1, limit: int | None = None, years=DEFAULT_YEARS, seed_dir: Path = SEED_DIR
) -> SynthStore:
    """Write a synthetic store to target: the real instansi (the first `limit` of them, focus included, if
    limit is given: focus province first) times `copies`, each with generated results for every year and both assessments."""
    target = Path(target).resolve()
    if target.parent == SEED_DIR.resolve():
        raise ValueError("the synthetic store must not be written into data/")
    t0 = time.perf_counter()
    build(seed_dir=seed_dir, target=target, overlay=None)
    con = duckdb.connect(str(target))
    try:
        _fill(con, copies, limit, tuple(int(y) for y in years))
        con.execute("checkpoint")
        counts = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("instansi", "index_results", "domain_results", "indicator_results")
        }
    finally:
        con.close()
    # ensure_db rebuilds a store older than the seed files: keep a seed edited during a long benchmark
    # from silently replacing the synthetic store with the shipped one.
    ahead = time.time() + 7 * 24 * 3600
    os.utime(target, (ahead, ahead))
    return SynthStore(
        target,
        counts["instansi"],
        tuple(years),
        counts["index_results"],
        counts["domain_results"],
        counts["indicator_results"],
        time.perf_counter() - t0,
    )


def _fill(con: duckdb.DuckDBPyConnection, copies: int, limit: int | None, years: tuple[int, ...]) -> None:
    if limit is not None:
        _exec(
            con,
            """
            delete from instansi where instansi_id not in (
                select instansi_id from instansi
                order by (instansi_id = $focus) desc,
                         (province is not distinct from (select province from instansi where instansi_id = $focus)) desc,
                         category, province, instansi_id
                limit $n)
        """,
            {"focus": FOCUS, "n": int(limit)},
        )
    _exec(
        con,
        """
        insert into instansi (instansi_id, instansi_name, category, province, subcategory, kemendagri_code)
        select instansi_id || '-sintetis-' || k, instansi_name || ' (sintetis ' || k || ')', category, province,
               subcategory, null
        from instansi, range(2, $copies + 1) as r(k)
    """,
        {"copies": int(copies)},
    )
    for table in ("index_results", "domain_results", "indicator_results"):
        _exec(con, f"delete from {table}")
    _exec(
        con,
        "insert into sources (source_id, kind, title, publisher, date, url_or_reference) "
        "values ($id, 'illustration', $title, 'spbe.dev.synth_store', $date, $ref)",
        {
            "id": SYNTH_SOURCE,
            "title": "Data sintetis untuk benchmark, bukan data nyata / Synthetic benchmark data, not real",
            "date": dt.date.today().isoformat(),
            "ref": "generated by spbe/dev/synth_store.py into a temporary file",
        },
    )
    _exec(con, "create temp table synth_years as select unnest($years::integer[]) as year", {"years": list(years)})
    # Each year's framework and its indicators, with the top-level item (domain, else aspect) they count towards.
    _exec(
        con,
        """
        create temp table synth_items as
        select y.year, f.framework_id, cast(ind.code as integer) as indicator_no, ind.name_id as indicator_name,
               ind.parent_code as aspect_code, asp.parent_code as domain_code, ind.weight_pct,
               coalesce(asp.parent_code, ind.parent_code) as top_code
        from synth_years y
        join frameworks f on y.year >= f.first_year and (f.last_year is null or y.year <= f.last_year)
        join framework_items ind on ind.framework_id = f.framework_id and ind.level = 'indicator'
        left join framework_items asp on asp.framework_id = f.framework_id and asp.level = 'aspect'
             and asp.code = ind.parent_code
    """,
    )
    # Levels: a maturity per instansi, slow growth over the years, noise per indicator; the self-assessment
    # sits at or above the official level (as in the founding story: 3.00 claimed, 2.01 awarded).
    # Provenance as the real rows carry it: the official assessment as if from the report, the self-assessment
    # as a region's own import; every predikat is derived from the bands (the source says it is synthetic).
    _exec(
        con,
        """
        insert into indicator_results (instansi_id, instansi_name, year, framework_id, assessment, indicator_no,
               indicator_name, aspect_code, domain_code, level, source_id, kind, note, provenance)
        with levels as (
            select i.instansi_id, i.instansi_name, s.year, s.framework_id, s.indicator_no, s.indicator_name,
                   s.aspect_code, s.domain_code,
                   least(5, greatest(1, 1 + cast(hash(i.instansi_id) % 3 as integer) + (s.year - 2021) // 3
                         + cast(hash(i.instansi_id, s.year, s.indicator_no) % 3 as integer) - 1)) as official_level,
                   cast(hash(i.instansi_id, s.year, s.indicator_no, 'self') % 2 as integer) as self_extra
            from instansi i cross join synth_items s
        )
        select instansi_id, instansi_name, year, framework_id, a.assessment, indicator_no, indicator_name,
               aspect_code, domain_code,
               case a.assessment when 'official' then official_level else least(5, official_level + self_extra) end,
               $source, a.kind, null,
               case a.assessment when 'official' then 'official_report' else 'region_import' end
        from levels cross join assessments a
        where a.assessment in ('official', 'self_assessment')
    """,
        {"source": SYNTH_SOURCE},
    )
    _exec(
        con,
        """
        insert into domain_results (instansi_id, instansi_name, year, framework_id, assessment, domain_code,
               domain_name, value, source_id, kind, note, provenance)
        select r.instansi_id, r.instansi_name, r.year, r.framework_id, r.assessment, s.top_code, top.name_id,
               round(sum(r.level * s.weight_pct) / any_value(top.weight_pct), 2), $source, any_value(r.kind), null,
               any_value(r.provenance)
        from indicator_results r
        join synth_items s on s.year = r.year and s.indicator_no = r.indicator_no
        join framework_items top on top.framework_id = r.framework_id and top.code = s.top_code
             and top.level in ('domain', 'aspect')
        group by all
    """,
        {"source": SYNTH_SOURCE},
    )
    _exec(
        con,
        """
        insert into index_results (instansi_id, instansi_name, category, province, year, framework_id, assessment,
               indeks, predikat, source_id, year_attributed, kind, source_detail, note, provenance, predikat_basis,
               name_in_source)
        with raw as (
            select r.instansi_id, r.year, r.framework_id, r.assessment, any_value(r.kind) as kind,
                   any_value(r.provenance) as provenance, sum(r.level * s.weight_pct) / 100 as value
            from indicator_results r
            join synth_items s on s.year = r.year and s.indicator_no = r.indicator_no
            group by all
        )
        select raw.instansi_id, i.instansi_name, i.category, i.province, raw.year, raw.framework_id, raw.assessment,
               round(raw.value, 2), b.predikat, $source, false, raw.kind, null, null, raw.provenance, 'derived', null
        from raw
        join instansi i using (instansi_id)
        left join predikat_bands b on b.framework_id = raw.framework_id and raw.value >= b.lower
             and (raw.value < b.upper or (b.upper_inclusive and raw.value <= b.upper))
    """,
        {"source": SYNTH_SOURCE},
    )
    _exec(con, "update build_info set overlay = 'synthetic', rows_index = (select count(*) from index_results)")


def main(argv: list[str] | None = None) -> int:
    """python -m spbe.dev.synth_store OUT.duckdb [--copies 10] [--limit N]: write a synthetic store and say what it holds."""
    parser = argparse.ArgumentParser(prog="python -m spbe.dev.synth_store", description=main.__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    store = build_synthetic_store(args.target, copies=args.copies, limit=args.limit)
    print(
        f"{store.path}: {store.instansi} instansi, years {store.years[0]}-{store.years[-1]}, "
        f"{store.index_rows} index, {store.domain_rows} domain, {store.indicator_rows} indicator rows "
        f"in {store.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
