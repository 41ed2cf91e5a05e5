"""Downloadable import templates: the framework's indicators prefilled, instructions and an example row.

The Excel template has a sheet 'petunjuk' (skipped by the importer) and one sheet per level; the CSV
templates carry the same instructions as '#' comment lines, which the importer skips. Rows left
with only the prefilled number and name are skipped too, so an unchanged template is "no data",
never wrong data. The example row lives in the instructions only, so it can never be imported.

PermenPANRB 8/2026 (2026 onward) has its own template: sheets 'indikator' (the 20 indicators), 'aspek' (the 7
aspects, its top level) and 'indeks', and a sheet 'panduan' (skipped by the importer, like 'petunjuk') with each
indicator's weight and, beside it, what each of the five levels requires (our summaries of Lampiran II.A, ID and
EN) and for indicators 5-7 the external score range. Decimal values (e.g. 1,26) are accepted for 8/2026.
"""

from __future__ import annotations

import pandas as pd

from spbe.core.frameworks import Framework, frameworks
from spbe.export import safe_frame, xlsx_bytes
from spbe.i18n import t

DEFAULT_FRAMEWORK = "permenpanrb-59-2020"
PEMDI_FRAMEWORK = "permenpanrb-8-2026"
COLUMNS = {
    "indicator": ["instansi", "year", "assessment", "indicator_no", "indicator_name", "level", "note"],
    "domain": ["instansi", "year", "assessment", "domain_code", "domain_name", "value", "note"],
    "index": ["instansi", "year", "assessment", "indeks", "predikat", "source_detail", "note"],
}
SHEETS = {"indicator": "indikator", "domain": "domain", "index": "indeks"}
# 8/2026 has no domains: its top level is the aspect, uploaded with aspect_code.
COLUMNS_PEMDI = {
    "indicator": COLUMNS["indicator"],
    "aspect": ["instansi", "year", "assessment", "aspect_code", "aspect_name", "value", "note"],
    "index": COLUMNS["index"],
}
SHEETS_PEMDI = {"indicator": "indikator", "aspect": "aspek", "index": "indeks"}
GUIDANCE_SHEET = "panduan"  # an instruction sheet name: the importer skips it


def example_row(fw: Framework) -> dict:
    """One filled row as an example (shown in the instructions, never in a data sheet)."""
    first = fw.indicators[0]
    return {
        "instansi": "kota-cilegon",
        "year": max(fw.first_year, min(fw.last_year or fw.first_year, 2024)),
        "assessment": "self_assessment",
        "indicator_no": first.code,
        "indicator_name": first.name_id,
        "level": 3,
        "note": "",
    }


def level_frame(level: str, fw: Framework) -> pd.DataFrame:
    """A level's sheet: codes and names prefilled, every input column empty."""
    if level == "indicator":
        rows = [{"indicator_no": int(i.code), "indicator_name": i.name_id} for i in fw.indicators]
    elif level == "domain":
        rows = [{"domain_code": i.code, "domain_name": i.name_id} for i in fw.top_level]
    elif level == "aspect":
        rows = [{"aspect_code": i.code, "aspect_name": i.name_id} for i in fw.aspects]
    else:
        rows = []
    columns = (COLUMNS_PEMDI if fw.framework_id == PEMDI_FRAMEWORK else COLUMNS)[level]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(object).where(frame.notna(), None)


def _criteria_cell(fw: Framework, code: str, level: int, lang: str) -> str:
    c = fw.criteria.get((code, level))
    if c is None:
        return ""
    band = c.value_band
    score = f" [{c.external_as_printed}]" if c.external_score else ""
    return f"({band}){score} {c.criteria(lang)}"


def guidance_frame(fw: Framework) -> pd.DataFrame:
    """One row per indicator: number, aspect, name, weight and beside it what each level requires (ID, then EN)."""
    rows = []
    for ind in fw.indicators:
        aspect = fw.item("aspect", ind.parent_code)
        row = {
            "no": int(ind.code),
            "aspek": f"{aspect.code}. {aspect.name_id} ({aspect.weight_pct:g} %)",
            "indikator": ind.name_id,
            "bobot_persen": ind.weight_pct,
        }
        for level in range(fw.level_min, fw.level_max + 1):
            row[f"level_{level}"] = _criteria_cell(fw, ind.code, level, "id")
        row["indicator_en"] = ind.name_en
        for level in range(fw.level_min, fw.level_max + 1):
            row[f"level_{level}_en"] = _criteria_cell(fw, ind.code, level, "en")
        rows.append(row)
    return pd.DataFrame(rows)


def instruction_lines(fw: Framework, lang: str) -> list[str]:
    example = example_row(fw)
    if fw.framework_id == PEMDI_FRAMEWORK:
        lines = t("pemdi.template.instructions", lang).splitlines()
        lines.append(",".join(COLUMNS_PEMDI["indicator"]))
        lines.append(",".join(str(example[c]) for c in COLUMNS_PEMDI["indicator"]))
        return lines
    lines = t("import.template.instructions", lang).splitlines()
    lines.append(",".join(COLUMNS["indicator"]))
    lines.append(",".join(str(example[c]) for c in COLUMNS["indicator"]))
    return lines


def template_xlsx(framework_id: str = DEFAULT_FRAMEWORK) -> bytes:
    """The Excel template: instructions (Indonesian, then English) and the three level sheets
    (8/2026: also the 'panduan' sheet with weights and level criteria beside each indicator)."""
    fw = frameworks()[framework_id]
    lines = instruction_lines(fw, "id") + [""] + instruction_lines(fw, "en")
    sheets = {t("import.template.sheet_instructions", "id"): pd.DataFrame({"petunjuk / instructions": lines})}
    if fw.framework_id == PEMDI_FRAMEWORK:
        sheets.update({SHEETS_PEMDI[level]: level_frame(level, fw) for level in COLUMNS_PEMDI})
        sheets[GUIDANCE_SHEET] = guidance_frame(fw)
        return xlsx_bytes(sheets)
    sheets.update({SHEETS[level]: level_frame(level, fw) for level in COLUMNS})
    return xlsx_bytes(sheets)


def guidance_lines(fw: Framework) -> list[str]:
    """The 'panduan' sheet as comment lines for the CSV template (ID; the xlsx also has EN)."""
    lines = [t("pemdi.template.guidance_head", "id"), t("pemdi.template.guidance_head", "en")]
    for ind in fw.indicators:
        lines.append(f"{ind.code}. {ind.name_id} / {ind.name_en} ({ind.weight_pct:g} %)")
        for level in range(fw.level_min, fw.level_max + 1):
            lines.append(f"   level {level} {_criteria_cell(fw, ind.code, level, 'id')}")
    return lines


def template_csv(level: str, framework_id: str = DEFAULT_FRAMEWORK) -> bytes:
    """A CSV template for one level: '#' instruction lines, the header, the prefilled rows (UTF-8 with BOM)."""
    fw = frameworks()[framework_id]
    lines = instruction_lines(fw, "id") + [""] + instruction_lines(fw, "en")
    if fw.framework_id == PEMDI_FRAMEWORK and level == "indicator":
        lines += [""] + guidance_lines(fw)
    comments = [f"# {line}" if line else "#" for line in lines]
    body = safe_frame(level_frame(level, fw)).to_csv(index=False, lineterminator="\n")
    return ("\n".join(comments) + "\n" + body).encode("utf-8-sig")
