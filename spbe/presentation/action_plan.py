"""The action-plan workbook: the goal-seek steps (spbe.core.simulate) on the real indicator levels, grouped per
OPD (spbe.models.opd mapping), as an .xlsx a planner can work in. Pure: data in, bytes out (xlsxwriter).

    plan_steps(framework, levels, mapping, target=None) -> PlanTable   # the steps, one row per indicator
    opd_sheets(opds) -> {opd: SheetName}                              # unique, readable, <= 31 characters
    workbook(plan_table, lang, title) -> bytes                        # the .xlsx

Sheets: a summary (one row per OPD: abbreviation, full name, sheet, steps, points), the whole plan in
step order with the cumulative index, then one sheet per OPD holding its own steps. Every step row has
empty owner, deadline, status and evidence ("bukti dukung") columns to fill in. Numbers are stored as
numbers (levels as integers, points and index with three decimals), headers are frozen, filtered and styled.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pandas as pd
import xlsxwriter

from spbe import core
from spbe.core import simulate
from spbe.core.frameworks import Framework
from spbe.i18n import fmt_num, t

SHEET_MAX = 31
SHEET_BAD_RE = re.compile(r"[\[\]:*?/\\]")
ABBREVIATION_RE = re.compile(r"^(?P<full>.+?)\s*\((?P<abbr>[^()]{1,20})\)\s*$")
# Words shortened in a sheet name when a full OPD name does not fit in 31 characters.
SHORT_WORDS = {"Bagian": "Bag.", "Dinas": "Dis.", "Badan": "Bdn.", "Kecamatan": "Kec.", "Sekretariat": "Set."}
WORK_COLUMNS = ("owner", "deadline", "status", "evidence")  # left empty for the region to fill in
STEP_COLUMNS = (
    "order",
    "opd",
    "indicator_no",
    "indicator_name",
    "aspect_code",
    "domain_code",
    "current_level",
    "target_level",
    "steps",
    "points",
    "cumulative_index",
    "criteria",  # what the target level requires (PermenPANRB 8/2026 criteria, our summary); empty for 59/2020
)


@dataclass(frozen=True)
class SheetName:
    sheet: str  # the Excel sheet name: unique, <= 31 characters, no []:*?/\
    abbreviation: str  # how the OPD is written short ("DPK", "DKISP")
    full_name: str  # the name as the mapping holds it, printed in the sheet's header row


@dataclass(frozen=True)
class PlanTable:
    steps: pd.DataFrame  # STEP_COLUMNS, in plan order
    status: str  # simulate.Plan.status ("reached", "already", "beyond_headroom", "no_data", ...)
    start_index: float | None
    target: float | None
    target_name: str | None  # the predikat the plan reaches for
    end_index: float | None
    opds: tuple[str, ...] = ()  # every OPD of the mapping, in the mapping's order
    missing: tuple[str, ...] = field(default_factory=tuple)


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def _criteria(fw: Framework, code: str, level, lang: str) -> str | None:
    found = fw.criteria.get((str(code), int(level))) if fw.criteria else None
    return found.criteria(lang) if found else None


def plan_steps(fw: Framework, levels: dict, mapping: pd.DataFrame, target: float | None = None, lang: str = "id") -> PlanTable:
    """The fewest one-level steps lifting the index computed from `levels` to `target` (default: the next
    predikat's lower bound), one row per indicator raised, with its OPD from `mapping` and the index after
    each row (cumulative, in plan order)."""
    owners = {str(r.indicator_no): _text(r.opd) for r in mapping.itertuples()} if len(mapping) else {}
    opds = tuple(dict.fromkeys(o for o in owners.values() if o))
    clean = {str(k): int(v) for k, v in (levels or {}).items() if v is not None}
    empty = pd.DataFrame(columns=list(STEP_COLUMNS))
    if len(clean) < len(fw.indicators):
        missing = tuple(i.code for i in fw.indicators if i.code not in clean)
        return PlanTable(empty, "no_data", None, target, None, None, opds, missing)
    start = sum(i.weight_pct * clean[i.code] for i in fw.indicators) / 100
    band = None
    if target is None:
        band = core.next_predikat(fw, None, start)  # the one definition of the next predikat
        if band is None:  # already in the top band: nothing to plan for
            return PlanTable(empty, "top", start, None, None, start, opds)
        target = band.lower
    else:
        band = fw.band_for(target)
    plan = simulate.goal_seek_from_levels(fw, clean, target)
    rows, running = [], start
    for n, step in enumerate(plan.steps, start=1):
        item = fw.item("indicator", step.key)
        running += step.gain
        rows.append(
            dict(
                order=n,
                opd=owners.get(step.key),
                indicator_no=int(step.key) if step.key.isdigit() else step.key,
                indicator_name=item.name(lang),
                aspect_code=step.aspect_codes[0] if step.aspect_codes else None,
                domain_code=step.domain_code,
                current_level=int(step.from_level),
                target_level=int(step.to_level),
                steps=int(step.steps),
                points=round(float(step.gain), 9),
                cumulative_index=round(float(running), 9),
                criteria=_criteria(fw, step.key, step.to_level, lang),
            )
        )
    steps = pd.DataFrame(rows, columns=list(STEP_COLUMNS)) if rows else empty
    return PlanTable(
        steps,
        plan.status,
        float(start),
        float(target),
        band.name(lang) if band is not None else None,
        plan.end_index,
        opds,
    )


def _short(name: str, limit: int) -> str:
    """A name cut to `limit` characters at a word boundary, common words shortened first."""
    if len(name) <= limit:
        return name
    words = [SHORT_WORDS.get(w, w) for w in name.split()]
    out = ""
    for word in words:
        trial = f"{out} {word}".strip()
        if len(trial) > limit:
            break
        out = trial
    return out or name[:limit]


def opd_sheets(opds, reserved=()) -> dict[str, SheetName]:
    """One readable, unique Excel sheet name per OPD: the abbreviation in brackets if the name has one
    ("Dinas Perpustakaan dan Kearsipan (DPK)" -> "DPK"), else the name itself, shortened at a word boundary
    to 31 characters; a clash gets " (2)", " (3)". `reserved` names (other sheets) are never reused."""
    used = {str(r).lower() for r in reserved}
    out = {}
    for opd in opds:
        text = str(opd).strip()
        match = ABBREVIATION_RE.match(text)
        abbreviation = match.group("abbr").strip() if match else text
        base = SHEET_BAD_RE.sub("-", abbreviation).strip("' ") or "OPD"
        base = _short(base, SHEET_MAX)
        candidate, k = base, 2
        while candidate.lower() in used:
            suffix = f" ({k})"
            candidate, k = _short(base, SHEET_MAX - len(suffix)) + suffix, k + 1
        used.add(candidate.lower())
        out[opd] = SheetName(candidate, abbreviation, text)
    return out


# -- the workbook --------------------------------------------------------------------------------
def _headers(lang: str) -> dict[str, str]:
    keys = [*STEP_COLUMNS, *WORK_COLUMNS]
    return {k: t(f"actionplan.col_{k}", lang) for k in keys}


WIDTHS = {
    "order": 6,
    "opd": 24,
    "indicator_no": 8,
    "indicator_name": 60,
    "aspect_code": 8,
    "domain_code": 8,
    "current_level": 11,
    "target_level": 11,
    "steps": 9,
    "points": 10,
    "cumulative_index": 14,
    "criteria": 60,
    "owner": 24,
    "deadline": 14,
    "status": 14,
    "evidence": 40,
}


def workbook(plan: PlanTable, lang: str, title: str) -> bytes:
    """The action plan as .xlsx bytes (see the module docstring for the sheets)."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True, "font_size": 13})
    note = book.add_format({"italic": True, "font_color": "#555555", "text_wrap": False})
    head = book.add_format(
        {"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF", "border": 1, "text_wrap": True, "valign": "top"}
    )
    integer = book.add_format({"num_format": "0", "border": 1})
    points = book.add_format({"num_format": "+0.000;-0.000;0.000", "border": 1})
    index = book.add_format({"num_format": "0.000", "border": 1})
    text = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    blank = book.add_format({"border": 1, "bg_color": "#FFF8E1"})  # the columns the region fills in
    headers = _headers(lang)
    formats = {
        "order": integer,
        "indicator_no": integer,
        "current_level": integer,
        "target_level": integer,
        "steps": integer,
        "points": points,
        "cumulative_index": index,
    }

    def intro_lines() -> list[str]:
        lines = [title]
        if plan.status in ("reached", "already"):
            lines.append(
                t(
                    "actionplan.intro_plan",
                    lang,
                    start=fmt_num(plan.start_index, lang, 3),
                    target=fmt_num(plan.target, lang),
                    predikat=plan.target_name or "",
                    n=int(plan.steps["steps"].sum()) if len(plan.steps) else 0,
                    end=fmt_num(plan.end_index, lang, 3),
                )
            )
        else:
            lines.append(t(f"actionplan.intro_{plan.status}", lang, n=len(plan.missing)))
        lines.append(t("actionplan.intro_fill", lang))
        return lines

    def step_sheet(sheet, frame: pd.DataFrame, header_lines: list[str], columns: list[str]) -> None:
        for r, line in enumerate(header_lines):
            sheet.write_string(r, 0, line, bold if r == 0 else note)
        top = len(header_lines) + 1
        for c, col in enumerate(columns):
            sheet.write_string(top, c, headers[col], head)
            sheet.set_column(c, c, WIDTHS.get(col, 12))
        for r, row in enumerate(frame.itertuples(index=False), start=top + 1):
            values = row._asdict()
            for c, col in enumerate(columns):
                value = values.get(col)
                if col in WORK_COLUMNS:
                    sheet.write_blank(r, c, None, blank)
                elif value is None or (isinstance(value, float) and value != value):
                    sheet.write_blank(r, c, None, text)
                elif col in formats:
                    sheet.write_number(r, c, float(value), formats[col])
                else:
                    sheet.write_string(r, c, str(value), text)
        last = top + max(len(frame), 1)
        sheet.freeze_panes(top + 1, 0)
        sheet.autofilter(top, 0, last, len(columns) - 1)
        sheet.set_row(top, 32)

    reserved = [t("actionplan.sheet_summary", lang), t("actionplan.sheet_plan", lang)]
    names = opd_sheets(plan.opds, reserved)
    # summary: one row per OPD of the mapping
    summary = book.add_worksheet(reserved[0])
    lines = intro_lines()
    for r, line in enumerate(lines):
        summary.write_string(r, 0, line, bold if r == 0 else note)
    top = len(lines) + 1
    summary_cols = ["abbreviation", "full_name", "sheet", "n_steps", "points"]
    summary_heads = [t(f"actionplan.col_{c}", lang) for c in summary_cols]
    for c, (name, width) in enumerate(zip(summary_heads, (16, 44, 22, 10, 12), strict=True)):
        summary.write_string(top, c, name, head)
        summary.set_column(c, c, width)
    for r, opd in enumerate(plan.opds, start=top + 1):
        mine = plan.steps[plan.steps["opd"] == opd]
        summary.write_string(r, 0, names[opd].abbreviation, text)
        summary.write_string(r, 1, names[opd].full_name, text)
        summary.write_string(r, 2, names[opd].sheet, text)
        summary.write_number(r, 3, int(mine["steps"].sum()) if len(mine) else 0, integer)
        summary.write_number(r, 4, float(mine["points"].sum()) if len(mine) else 0.0, points)
    summary.freeze_panes(top + 1, 0)
    summary.autofilter(top, 0, top + max(len(plan.opds), 1), len(summary_cols) - 1)
    summary.set_row(top, 32)
    # the whole plan in step order
    with_criteria = plan.steps["criteria"].notna().any() if len(plan.steps) else False
    columns = [c for c in (*STEP_COLUMNS, *WORK_COLUMNS) if c != "criteria" or with_criteria]
    step_sheet(book.add_worksheet(reserved[1]), plan.steps, intro_lines(), columns)
    # one sheet per OPD with steps: its abbreviation as the sheet name, its full name in the header
    own_columns = [c for c in columns if c != "opd"]
    for opd in plan.opds:
        mine = plan.steps[plan.steps["opd"] == opd]
        if mine.empty:
            continue
        header = [
            f"{names[opd].abbreviation} · {names[opd].full_name}" if names[opd].abbreviation != names[opd].full_name else opd,
            t(
                "actionplan.opd_intro",
                lang,
                n=int(mine["steps"].sum()),
                points=fmt_num(float(mine["points"].sum()), lang, 3),
            ),
        ]
        step_sheet(book.add_worksheet(names[opd].sheet), mine, header, own_columns)
    book.set_properties({"title": title, "author": t("app.name", lang)})
    book.close()
    return buf.getvalue()
