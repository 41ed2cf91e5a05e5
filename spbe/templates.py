"""Downloadable import templates: the framework's indicators prefilled, instructions and an example row.

The Excel template has a sheet 'petunjuk' (skipped by the importer) and one sheet per level; the CSV
templates carry the same instructions as '#' comment lines, which the importer skips. Rows left
with only the prefilled number and name are skipped too, so an unchanged template is "no data",
never wrong data. The example row lives in the instructions only, so it can never be imported.
"""

from __future__ import annotations

import pandas as pd

from spbe.export import safe_frame, xlsx_bytes
from spbe.frameworks import Framework, frameworks
from spbe.i18n import t

DEFAULT_FRAMEWORK = "permenpanrb-59-2020"
COLUMNS = {
    "indicator": ["instansi", "year", "assessment", "indicator_no", "indicator_name", "level", "note"],
    "domain": ["instansi", "year", "assessment", "domain_code", "domain_name", "value", "note"],
    "index": ["instansi", "year", "assessment", "indeks", "predikat", "source_detail", "note"],
}
SHEETS = {"indicator": "indikator", "domain": "domain", "index": "indeks"}


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
    else:
        rows = []
    frame = pd.DataFrame(rows, columns=COLUMNS[level])
    return frame.astype(object).where(frame.notna(), None)


def instruction_lines(fw: Framework, lang: str) -> list[str]:
    example = example_row(fw)
    lines = t("import.template.instructions", lang).splitlines()
    lines.append(",".join(COLUMNS["indicator"]))
    lines.append(",".join(str(example[c]) for c in COLUMNS["indicator"]))
    return lines


def template_xlsx(framework_id: str = DEFAULT_FRAMEWORK) -> bytes:
    """The Excel template: instructions (Indonesian, then English) and the three level sheets."""
    fw = frameworks()[framework_id]
    lines = instruction_lines(fw, "id") + [""] + instruction_lines(fw, "en")
    sheets = {t("import.template.sheet_instructions", "id"): pd.DataFrame({"petunjuk / instructions": lines})}
    sheets.update({SHEETS[level]: level_frame(level, fw) for level in COLUMNS})
    return xlsx_bytes(sheets)


def template_csv(level: str, framework_id: str = DEFAULT_FRAMEWORK) -> bytes:
    """A CSV template for one level: '#' instruction lines, the header, the prefilled rows (UTF-8 with BOM)."""
    fw = frameworks()[framework_id]
    comments = [f"# {line}" if line else "#" for line in instruction_lines(fw, "id") + [""] + instruction_lines(fw, "en")]
    body = safe_frame(level_frame(level, fw)).to_csv(index=False, lineterminator="\n")
    return ("\n".join(comments) + "\n" + body).encode("utf-8-sig")
