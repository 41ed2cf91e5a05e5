"""Carry the reviewed figures from the shared research folder into the project's seed files.

Run once by a maintainer when the research files change:
    python tools/carry_seeds.py ../shared/data
The seed files in data/ are the project's source of truth afterwards; the app and CI never read
the research folder. Every value keeps its source id (documents listed in data/sources.csv).
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))
from spbe.core.names import NameResolver, read_aliases  # noqa: E402

# How far a value can be trusted, best first (README: schema contract; Sumber page).
PROVENANCE = ("official_report", "secondary_verified", "secondary_unverified")
PROVENANCE_OF_SOURCE = {
    "R18": "official_report",
    "R23": "official_report",
    "R24": "official_report",
    "DS2122": "secondary_verified",
    "DS1920": "secondary_unverified",
}
# Banten values outside the national tables whose predikat the cited source prints (the others are
# derived from the bands): N4/N5 "predikat baik", N11 "baik", N10 "predikat Sangat Baik", R18 Tabel 20.
PRINTED_PREDIKAT_BANTEN = {
    ("Kabupaten Serang", "2021"),
    ("Provinsi Banten", "2021"),
    ("Provinsi Banten", "2025"),
    ("Kota Serang", "2018"),
}
LEVEL_COLUMNS = [f"i{n}" for n in range(1, 48)]
DS2122_DOMAINS = {"D1": "d1", "D2": "d2", "D3": "d3", "D4": "d4"}

KEMENDAGRI_BANTEN = {
    "Provinsi Banten": "36",
    "Kabupaten Pandeglang": "36.01",
    "Kabupaten Lebak": "36.02",
    "Kabupaten Tangerang": "36.03",
    "Kabupaten Serang": "36.04",
    "Kota Tangerang": "36.71",
    "Kota Cilegon": "36.72",
    "Kota Serang": "36.73",
    "Kota Tangerang Selatan": "36.74",
}

# 59/2020 domain and aspect names in English (translations, not official).
EN_59 = {
    "D1": "SPBE internal policy",
    "D2": "SPBE governance",
    "D3": "SPBE management",
    "D4": "SPBE services",
    "A1": "Internal policy on SPBE governance",
    "A2": "SPBE strategic planning",
    "A3": "Information and communication technology",
    "A4": "SPBE organisers",
    "A5": "Application of SPBE management",
    "A6": "ICT audit",
    "A7": "Electronic government administration services",
    "A8": "Electronic public services",
}
EN_5_2018 = {
    "D1": "SPBE internal policy",
    "D2": "SPBE governance",
    "D3": "SPBE services",
    "A1": "Internal policy on SPBE governance",
    "A2": "Internal policy on SPBE services",
    "A3": "Institutions",
    "A4": "Strategy and planning",
    "A5": "Information and communication technology",
    "A6": "Electronic government administration services",
    "A7": "Electronic public services",
}
EN_8_2026 = {
    "1": "Governance and management",
    "2": "Organisers",
    "3": "Data",
    "4": "Digital government security",
    "5": "Digital government technology",
    "6": "Integration of digital government services",
    "7": "Satisfaction of digital government service users",
}

# 8/2026 indicator names in English (translations of the summaries' Indonesian names, not official).
EN_8_2026_INDICATORS = {
    "1": "Digital government governance",
    "2": "Digital government service management",
    "3": "Digital government human resources",
    "4": "Digital government collaboration",
    "5": "Data governance",
    "6": "Geospatial information",
    "7": "Statistics development",
    "8": "Personal data protection",
    "9": "Audit of digital government security and technology",
    "10": "Digital government security",
    "11": "Cryptography for data security",
    "12": "Cyber incident handling",
    "13": "Digital government applications",
    "14": "Digital government infrastructure",
    "15": "Business process integration",
    "16": "Application integration",
    "17": "Digital service portal",
    "18": "Data interoperability",
    "19": "User support facilities",
    "20": "User satisfaction management",
}

DOMAIN_COLUMNS_59 = {"D1": "d1_kebijakan", "D2": "d2_tata_kelola", "D3": "d3_manajemen", "D4": "d4_layanan"}
# Under 5/2018 the Layanan domain is the third one; the national table prints it in the Layanan column.
DOMAIN_COLUMNS_5_2018 = {"D1": "d1_kebijakan", "D2": "d2_tata_kelola", "D3": "d4_layanan"}


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(name: str, fields: list[str], rows: list[dict]) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in fields})
    print(f"{name}: {len(rows)} rows")


def domain_note(row: dict, col: str) -> str:
    """A domain value that is empty or below the scale keeps the report row's explanation."""
    value = row[col]
    if value and float(value) >= 1:
        return ""
    return row["note"] or "not printed or not readable in the report conversion"


def framework_for_year(year: int) -> str:
    if year <= 2020:
        return "permenpanrb-5-2018"
    if year <= 2025:
        return "permenpanrb-59-2020"
    return "permenpanrb-8-2026"


def best_provenance(values) -> str:
    """The most trusted of several provenances (a value confirmed by a better source takes its trust)."""
    return min(values, key=PROVENANCE.index)


def round_half_up(x: float, places: int = 2) -> str:
    """As the official tables print: 2.425 -> 2.43 (Decimal, so binary floats do not round it down)."""
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def band_of(value: float, bands: list[tuple[float, str]]) -> str:
    return [name for low, name in bands if value >= low - 1e-12][-1]


def merge_history(index_rows: list[dict], domain_rows: list[dict], history: list[dict], resolver, bands_59) -> None:
    """Add the 2018-2022 rows; a row already held (a Banten value from the news) must agree and gains
    the history's source and, if better, its provenance. A disagreement stops the carry."""
    held = {(r["instansi_id"], r["year"], r["assessment"]): r for r in index_rows}
    held_domains = {(r["instansi_id"], r["year"], r["assessment"], r["domain_code"]) for r in domain_rows}
    for r in history:
        iid = resolver.resolve(r["instansi_name"])
        key = (iid, r["year"], "official")
        indeks = round_half_up(float(r["indeks"]))
        derived = r["predikat_printed"] != "yes" and r["framework"] == "permenpanrb-59-2020"
        predikat = r["predikat"] if r["predikat_printed"] == "yes" else (band_of(float(indeks), bands_59) if derived else "")
        basis = "printed" if r["predikat_printed"] == "yes" else ("derived" if derived else "")
        provenance = r["confidence"]
        assert provenance in PROVENANCE, r
        if key in held:
            old = held[key]
            assert abs(float(old["indeks"]) - float(indeks)) < 0.005, (key, old["indeks"], indeks)
            if old["predikat"] and predikat:
                assert old["predikat"] == predikat, (key, old["predikat"], predikat)
            ids = old["source_id"].split(";")
            old["source_id"] = ";".join([r["source_id"]] + [s for s in ids if s != r["source_id"]])
            old["provenance"] = best_provenance([old["provenance"], provenance])
            if old["predikat_basis"] != "printed" and r["predikat_printed"] == "yes":
                old["predikat_basis"] = "printed"
            new_domains = [
                c for c in DS2122_DOMAINS if r[DS2122_DOMAINS[c]] and (iid, r["year"], "official", c) not in held_domains
            ]
        else:
            assert r["framework"] == framework_for_year(int(r["year"])), r
            held[key] = row = dict(
                instansi_id=iid,
                year=r["year"],
                framework_id=r["framework"],
                assessment="official",
                indeks=indeks,
                predikat=predikat,
                source_id=r["source_id"],
                source_detail="",
                year_attributed="no",
                note=r["note"],
                provenance=provenance,
                predikat_basis=basis,
                name_in_source=r["instansi_name"],
            )
            index_rows.append(row)
            new_domains = [c for c in DS2122_DOMAINS if r[DS2122_DOMAINS[c]]]
        for code in new_domains:
            domain_rows.append(
                dict(
                    instansi_id=iid,
                    year=r["year"],
                    framework_id=r["framework"],
                    assessment="official",
                    domain_code=code,
                    value=round_half_up(float(r[DS2122_DOMAINS[code]])),
                    source_id=r["source_id"],
                    note="",
                    provenance=provenance,
                )
            )


DECIMAL_VALUE_FRAMEWORKS = ("permenpanrb-8-2026",)


def carry_8_2026(shared: Path) -> None:
    """PermenPANRB 8/2026 beyond the shared tables: level criteria, band edges, and the worked examples."""
    fid = "permenpanrb-8-2026"
    levels = read(shared / "framework_8_2026_levels.csv")
    write("framework_level_criteria.csv", ["framework_id", *levels[0].keys()], [dict(r, framework_id=fid) for r in levels])
    bands = read(shared / "framework_8_2026_bands.csv")
    write("framework_band_edges.csv", ["framework_id", *bands[0].keys()], [dict(r, framework_id=fid) for r in bands])
    checks = read(shared / "pemdi_checks.csv")
    write("pemdi_checks.csv", list(checks[0].keys()), checks)
    # The indicator table must agree with framework_items (carried from framework_structure_other.csv).
    table = read(shared / "framework_permenpanrb_8_2026.csv")
    assert len(table) == 20 and abs(sum(float(r["weight_pct"]) for r in table) - 100) < 1e-9, "8/2026 weights"
    assert next(r for r in table if r["indicator_no"] == "13")["weight_pct"] == "5", "indicator 13 is 5% (Tabel 1)"


def main(shared: Path) -> None:
    DATA.mkdir(exist_ok=True)
    # sources: carried as is
    sources = read(shared / "sources.csv")
    write("sources.csv", list(sources[0].keys()), sources)

    # frameworks
    fw_rows = []
    for r in read(shared / "frameworks.csv"):
        years = r["evaluation_years"]
        first, _, last = years.partition("-")
        fw_rows.append(
            {
                "framework_id": r["framework_id"],
                "regulation": r["regulation"],
                "index_name": r["index_name"],
                "first_year": first,
                "last_year": last,
                "structure": r["structure"],
                "level_min": 1,
                "level_max": 5,
                "verified": r["verified"],
                "source_ids": r["source_ids"],
                "note": r["note"],
                # 8/2026: evaluators give decimal indicator values inside a level's value band (e.g. 1.26;
                # Lampiran II.A prints the bands "1.00 s.d. < 1.50" ...); 5/2018 and 59/2020 score whole levels.
                "level_values": "decimal" if r["framework_id"] in DECIMAL_VALUE_FRAMEWORKS else "whole",
            }
        )
    write(
        "frameworks.csv",
        [
            "framework_id",
            "regulation",
            "index_name",
            "first_year",
            "last_year",
            "structure",
            "level_min",
            "level_max",
            "verified",
            "source_ids",
            "note",
            "level_values",
        ],
        fw_rows,
    )

    bands = []
    names = [("Kurang", "Poor"), ("Cukup", "Fair"), ("Baik", "Good"), ("Sangat Baik", "Very good"), ("Memuaskan", "Excellent")]
    cuts = {
        "permenpanrb-5-2018": [1.0, 1.8, 2.6, 3.5, 4.2],
        "permenpanrb-59-2020": [1.0, 1.8, 2.6, 3.5, 4.2],
        "permenpanrb-8-2026": [1.0, 1.5, 2.5, 3.5, 4.0],
    }
    # 8/2026 Tabel 4 prints strict inequalities at every edge. One reading must be used where a single band
    # is shown: the 2026 asesor deck's (ASES), in which an edge belongs to the LOWER band (interval_upper_inclusive
    # of framework_8_2026_bands.csv). spbe.core.pemdi flags values that sit exactly on an edge.
    edges_8 = {int(r["level"]): r["interval_upper_inclusive"] for r in read(shared / "framework_8_2026_bands.csv")}
    for fw, lows in cuts.items():
        for i, ((nid, nen), low) in enumerate(zip(names, lows, strict=True)):
            if fw == "permenpanrb-8-2026":
                interval = edges_8[i + 1]
                lower_inc, upper_inc = interval.startswith("["), interval.endswith("]")
            else:
                lower_inc, upper_inc = True, i + 1 == len(lows)
            bands.append(
                {
                    "framework_id": fw,
                    "rank": i + 1,
                    "predikat": nid,
                    "name_en": nen,
                    "lower": f"{low:.2f}",
                    "upper": f"{lows[i + 1]:.2f}" if i + 1 < len(lows) else "5.00",
                    "upper_inclusive": "yes" if upper_inc else "no",
                    "lower_inclusive": "yes" if lower_inc else "no",
                }
            )
    write(
        "predikat_bands.csv",
        ["framework_id", "rank", "predikat", "name_en", "lower", "upper", "upper_inclusive", "lower_inclusive"],
        bands,
    )

    levels = []
    process = ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"]
    process_en = ["Initial", "Managed", "Defined", "Integrated and measured", "Optimised"]
    service = ["Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimum"]
    service_en = ["Information", "Interaction", "Transaction", "Collaboration", "Optimised"]
    for i in range(5):
        levels.append(
            {
                "framework_id": "permenpanrb-59-2020",
                "scale": "process",
                "level": i + 1,
                "name_id": process[i],
                "name_en": process_en[i],
            }
        )
    for i in range(5):
        levels.append(
            {
                "framework_id": "permenpanrb-59-2020",
                "scale": "service",
                "level": i + 1,
                "name_id": service[i],
                "name_en": service_en[i],
            }
        )
    # 8/2026: the level names of Tabel 4 (alt_name_id / alt_name_en of framework_8_2026_bands.csv).
    for r in read(shared / "framework_8_2026_bands.csv"):
        levels.append(
            {
                "framework_id": "permenpanrb-8-2026",
                "scale": "pemdi",
                "level": int(r["level"]),
                "name_id": r["alt_name_id"],
                "name_en": r["alt_name_en"],
            }
        )
    write("level_names.csv", ["framework_id", "scale", "level", "name_id", "name_en"], levels)
    carry_8_2026(shared)

    items = []
    p59 = read(shared / "framework_permenpanrb_59_2020.csv")
    seen = set()
    dom_w: dict[str, float] = {}
    asp_w: dict[str, float] = {}
    for r in p59:
        dom_w[r["domain_code"]] = dom_w.get(r["domain_code"], 0) + float(r["weight_pct"])
        asp_w[r["aspect_code"]] = asp_w.get(r["aspect_code"], 0) + float(r["weight_pct"])
    for r in p59:
        if r["domain_code"] not in seen:
            seen.add(r["domain_code"])
            items.append(
                dict(
                    framework_id="permenpanrb-59-2020",
                    level="domain",
                    code=r["domain_code"],
                    parent_code="",
                    name_id=r["domain_name_id"],
                    name_en=EN_59[r["domain_code"]],
                    weight_pct=f"{dom_w[r['domain_code']]:g}",
                    level_scale="",
                    verified="yes",
                )
            )
        if r["aspect_code"] not in seen:
            seen.add(r["aspect_code"])
            items.append(
                dict(
                    framework_id="permenpanrb-59-2020",
                    level="aspect",
                    code=r["aspect_code"],
                    parent_code=r["domain_code"],
                    name_id=r["aspect_name_id"],
                    name_en=EN_59[r["aspect_code"]],
                    weight_pct=f"{asp_w[r['aspect_code']]:g}",
                    level_scale="",
                    verified="yes",
                )
            )
        items.append(
            dict(
                framework_id="permenpanrb-59-2020",
                level="indicator",
                code=r["indicator_no"],
                parent_code=r["aspect_code"],
                name_id=r["indicator_name_id"],
                name_en=r["indicator_name_en"],
                weight_pct=r["weight_pct"],
                level_scale=r["level_scale"],
                verified="yes",
            )
        )
    for r in read(shared / "framework_structure_other.csv"):
        en = EN_5_2018 if r["framework_id"] == "permenpanrb-5-2018" else EN_8_2026
        if r["level"] != "indicator":
            name_en = en.get(r["code"], "")
        else:
            name_en = EN_8_2026_INDICATORS.get(r["code"], "") if r["framework_id"] == "permenpanrb-8-2026" else ""
        items.append(
            dict(
                framework_id=r["framework_id"],
                level=r["level"],
                code=r["code"],
                parent_code=r["parent_code"],
                name_id=r["name_id"],
                name_en=name_en,
                weight_pct=r["weight_pct"],
                level_scale="pemdi" if r["level"] == "indicator" else "",
                verified=r["verified"],
            )
        )
    write(
        "framework_items.csv",
        ["framework_id", "level", "code", "parent_code", "name_id", "name_en", "weight_pct", "level_scale", "verified"],
        items,
    )

    # instansi and results
    inst: dict[str, dict] = {}
    index_rows, domain_rows = [], []

    def instansi_id(name, category, province, subcategory=""):
        iid = slug(name)
        if iid not in inst:
            inst[iid] = dict(
                instansi_id=iid,
                instansi_name=name,
                category=category,
                province=province,
                subcategory=subcategory,
                kemendagri_code=KEMENDAGRI_BANTEN.get(name, ""),
            )
        else:
            assert inst[iid]["instansi_name"] == name, (iid, name)
            assert inst[iid]["category"] == category, (iid, name)
        return iid

    for r in read(shared / "spbe_results_instansi.csv"):
        iid = instansi_id(r["instansi_name"], r["category"], r["province"], r["subcategory"])
        fw = framework_for_year(int(r["year"]))
        src = r["source"].split()[0]
        index_rows.append(
            dict(
                instansi_id=iid,
                year=r["year"],
                framework_id=fw,
                assessment="official",
                indeks=r["indeks"],
                predikat=r["predikat"],
                source_id=src,
                source_detail=r["source"] + f", No {r['table_row_no']}",
                year_attributed="no",
                note=r["note"],
                provenance="official_report",
                predikat_basis="printed",
                name_in_source=r["name_in_report"],
            )
        )
        for code, col in DOMAIN_COLUMNS_59.items():
            domain_rows.append(
                dict(
                    instansi_id=iid,
                    year=r["year"],
                    framework_id=fw,
                    assessment="official",
                    domain_code=code,
                    value=r[col],
                    source_id=src,
                    note=domain_note(r, col),
                    provenance="official_report",
                )
            )
    for r in read(shared / "spbe_results_banten_other_years.csv"):
        iid = instansi_id(r["instansi_name"], r["category"], r["province"])
        cols = DOMAIN_COLUMNS_5_2018 if r["framework"] == "permenpanrb-5-2018" else DOMAIN_COLUMNS_59
        sources = r["source_ids"].split(";")
        provenance = best_provenance(PROVENANCE_OF_SOURCE.get(s, "secondary_unverified") for s in sources)
        index_rows.append(
            dict(
                instansi_id=iid,
                year=r["year"],
                framework_id=r["framework"],
                assessment=r["assessment"],
                indeks=r["indeks"],
                predikat=r["predikat"],
                source_id=r["source_ids"],
                source_detail="",
                year_attributed=r["year_attributed"],
                note=r["note"],
                provenance=provenance,
                predikat_basis="printed" if (r["instansi_name"], r["year"]) in PRINTED_PREDIKAT_BANTEN else "derived",
                name_in_source=r["instansi_name"],
            )
        )
        if any(r[c] for c in cols.values()):
            for code, col in cols.items():
                domain_rows.append(
                    dict(
                        instansi_id=iid,
                        year=r["year"],
                        framework_id=r["framework"],
                        assessment=r["assessment"],
                        domain_code=code,
                        value=r[col],
                        source_id=r["source_ids"],
                        note="",
                        provenance=provenance,
                    )
                )

    # 2018-2022 history and the 2021-2022 indicator levels: names resolved through the reviewed aliases.
    aliases = read_aliases(DATA)
    for a in aliases:
        if a["relation"] == "own_id":
            instansi_id(a["instansi_name"], a["category"], a["province"], a["subcategory"])
            assert slug(a["instansi_name"]) == a["instansi_id"], a
    resolver = NameResolver(list(inst.values()), aliases)
    history = read(shared / "spbe_results_2018_2022.csv")
    levels = read(shared / "spbe_indicator_levels_2021_2022.csv")
    missing = resolver.unresolved([r["instansi_name"] for r in history + levels])
    assert not missing, f"names without an instansi_id (add them to {DATA / 'instansi_aliases.csv'}): {missing}"
    bands_59 = [(float(b["lower"]), b["predikat"]) for b in bands if b["framework_id"] == "permenpanrb-59-2020"]
    merge_history(index_rows, domain_rows, history, resolver, bands_59)
    level_rows = []
    for r in levels:
        assert r["source_id"] == "DS2122", r["source_id"]
        level_rows.append(
            dict(
                instansi_id=resolver.resolve(r["instansi_name"]),
                year=r["year"],
                framework_id="permenpanrb-59-2020",
                assessment="official",
                source_id="DS2122",
                provenance=PROVENANCE_OF_SOURCE["DS2122"],
                name_in_source=r["instansi_name"],
                **{c: r[c] for c in LEVEL_COLUMNS},
            )
        )
    # Values published elsewhere that the 2021-2022 rows must reproduce (tests/test_history.py).
    checks = [
        dict(
            instansi_id=resolver.resolve(r["instansi_name_in_dataset"]),
            year=r["year"],
            published_indeks=r["published_indeks"],
            source_id=r["source_id"],
            name_in_source=r["instansi_name_in_dataset"],
        )
        for r in read(shared / "spbe_2021_2022_checks.csv")
    ]
    assert all(c["instansi_id"] for c in checks), checks
    write("published_checks_2021_2022.csv", ["instansi_id", "year", "published_indeks", "source_id", "name_in_source"], checks)
    write(
        "indicator_levels_2021_2022.csv",
        ["instansi_id", "year", "framework_id", "assessment", "source_id", "provenance", "name_in_source", *LEVEL_COLUMNS],
        sorted(level_rows, key=lambda d: (d["year"], d["instansi_id"])),
    )
    write(
        "instansi.csv",
        ["instansi_id", "instansi_name", "category", "province", "subcategory", "kemendagri_code"],
        sorted(inst.values(), key=lambda d: d["instansi_id"]),
    )
    write(
        "index_results.csv",
        [
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
            "provenance",
            "predikat_basis",
            "name_in_source",
        ],
        sorted(index_rows, key=lambda d: (int(d["year"]), d["assessment"], d["instansi_id"])),
    )
    write(
        "domain_results.csv",
        ["instansi_id", "year", "framework_id", "assessment", "domain_code", "value", "source_id", "note", "provenance"],
        sorted(
            [d for d in domain_rows if d["value"] or d["note"]],
            key=lambda d: (int(d["year"]), d["assessment"], d["instansi_id"], d["domain_code"]),
        ),
    )

    nat = []
    for r in read(shared / "spbe_national.csv"):
        year = int(r["year"])
        cols = DOMAIN_COLUMNS_5_2018 if year <= 2020 else DOMAIN_COLUMNS_59
        src = r["source"].split()[0]
        base = dict(
            series=r["series"],
            year=r["year"],
            scope=r["scope"],
            statistic=r["statistic"],
            source_id=src,
            source_detail=r["source"],
            comment=r["comment"],
        )
        nat.append(dict(base, domain_code="", value=r["indeks"]))
        for code, col in cols.items():
            if r[col]:
                nat.append(dict(base, domain_code=code, value=r[col]))
    write(
        "national_results.csv",
        ["series", "year", "scope", "statistic", "domain_code", "value", "source_id", "source_detail", "comment"],
        nat,
    )

    targets = []
    for r in read(shared / "spbe_targets.csv"):
        iid = slug(r["instansi_name"]) if r["instansi_name"] else ""
        assert not iid or iid in inst, iid
        targets.append(
            dict(
                scope=r["scope"],
                instansi_id=iid,
                year=r["year"],
                target_indeks=r["target_indeks"],
                kind=r["kind"],
                source_ids=r["source_ids"],
                note=r["note"],
            )
        )
    # No public indicator-level results exist: the file starts empty and regions import their own.
    write(
        "indicator_results.csv",
        ["instansi_id", "year", "framework_id", "assessment", "indicator_no", "level", "source_id", "note", "provenance"],
        [],
    )
    write("targets.csv", ["scope", "instansi_id", "year", "target_indeks", "kind", "source_ids", "note"], targets)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"))
