"""The glossary's page model: every term a viewer meets, in the language, with a stable anchor, and the links
from the viewer pages to it.

Terms and OPD abbreviations are words (the catalogue, spbe/locale/glossary.toml); the domains, aspects,
indicators, predikat bands, their weights, edges and level names come from the framework data
(data/framework_items.csv, predikat_bands.csv, level_names.csv via spbe.core.frameworks), never typed here.

    glossary(lang) -> list[Section]          # what the Glossary page shows, in order
    anchors(lang) -> set[str]                # every anchor the page holds
    page_terms(page_key, year) -> [Link]     # the terms a viewer page uses, linking to their entries
    href(params, anchor) -> str              # a link to the glossary that keeps the view's URL parameters
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from spbe.core import PROVENANCES, short_regulation
from spbe.core.frameworks import Framework, framework_for_year, frameworks, predikat_name
from spbe.i18n import catalogue, fmt_num, t
from spbe.settings import SEED_DIR

PAGE_PATH = "glosarium"  # pages/9_glosarium.py
OPD_SEED = SEED_DIR / "opd_default_mapping.csv"
ABBREVIATION = re.compile(r"\(([A-Za-z]{2,15})\)\s*$|^([A-Z][A-Za-z]{1,14})$")

# The general terms, in the order the glossary lists them (catalogue glossary.term.<key> and <key>_text).
TERMS = (
    "indeks",
    "predikat",
    "predikat_turunan",
    "kerangka",
    "domain",
    "aspek",
    "indikator",
    "tingkat",
    "bobot",
    "instansi",
    "pembanding",
    "rata_pembanding",
    "rata_nasional",
    "peringkat",
    "persentil",
    "kesenjangan",
    "penilaian_mandiri",
    "hasil_resmi",
    "target",
    "ilustrasi",
    "opd",
    "indeks_pemdi",
    "sumber",
    "tingkat_kepercayaan",
)
# The terms each viewer page uses, in the order it first uses them (the strip under the page's title).
# "@domains" stands for the year's domains (D1-D4 under 59/2020), "@bands" for its predikat bands.
PAGE_TERMS = {
    "ikhtisar": ("indeks", "predikat", "peringkat", "persentil", "pembanding", "target", "penilaian_mandiri", "predikat_turunan"),
    "tren": ("indeks", "predikat", "rata_nasional", "target", "kerangka", "hasil_resmi", "tingkat_kepercayaan", "@bands"),
    "perbandingan": ("pembanding", "peringkat", "indeks", "predikat", "rata_pembanding", "rata_nasional", "domain", "@domains"),
    "kesenjangan": ("domain", "@domains", "kesenjangan", "rata_pembanding", "aspek", "indikator", "bobot", "penilaian_mandiri"),
    "simulasi": ("indikator", "tingkat", "bobot", "indeks", "predikat", "@bands", "ilustrasi"),
    "opd": ("opd", "indikator", "tingkat", "bobot", "ilustrasi"),
    "presentasi": ("indeks", "predikat", "pembanding", "peringkat", "domain", "penilaian_mandiri", "ilustrasi"),
    "sumber": ("kerangka", "sumber", "tingkat_kepercayaan", "predikat_turunan", "bobot", "predikat"),
}


@dataclass(frozen=True)
class Entry:
    anchor: str  # the HTML id on the glossary page
    term: str
    text: str


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    entries: tuple[Entry, ...]
    note: str = ""
    table: tuple[tuple[str, str, str], ...] = ()  # indicators: (code, name, weight), shown as a list


@dataclass(frozen=True)
class Link:
    label: str
    anchor: str


def _slug(framework_id: str) -> str:
    return framework_id.removeprefix("permenpanrb-")


def item_anchor(framework_id: str, code: str) -> str:
    return f"g-{_slug(framework_id)}-{code.lower()}"


def band_anchor(framework_id: str, predikat: str) -> str:
    return f"g-{_slug(framework_id)}-{predikat.lower().replace(' ', '-')}"


def term_anchor(key: str) -> str:
    return f"g-{key.replace('_', '-')}"


def _weight(value: float, lang: str) -> str:
    return fmt_num(value, lang, 0 if float(value).is_integer() else 1)


def _band_range(band, lang: str) -> str:
    return t(
        "glossary.band_range",
        lang,
        lower_op="≥" if band.lower_inclusive else ">",
        lower=fmt_num(band.lower, lang),
        upper_op="≤" if band.upper_inclusive else "<",
        upper=fmt_num(band.upper, lang),
    )


def framework_section(fw: Framework, lang: str) -> list[Section]:
    """One framework's domains (or top-level aspects), aspects, bands, level names and indicators, from its data."""
    name = short_regulation(fw.regulation)
    out = []
    top = fw.top_level
    top_entries = tuple(
        Entry(
            item_anchor(fw.framework_id, i.code),
            f"{i.code} {i.name(lang)}",
            t("glossary.item_weight", lang, weight=_weight(i.weight_pct, lang)),
        )
        for i in top
    )
    in_force = (
        t("glossary.in_force", lang, first=fw.first_year, last=fw.last_year)
        if fw.last_year
        else t("glossary.in_force_open", lang, first=fw.first_year)
    )
    note = in_force + ("" if fw.verified == "yes" else " " + t("glossary.not_verified", lang))
    top_title = t("glossary.domains" if top and top[0].level == "domain" else "glossary.aspects", lang)
    out.append(Section(f"g-{_slug(fw.framework_id)}", f"{name} · {top_title}", top_entries, note=note))
    aspects = [a for a in fw.aspects if top and top[0].level == "domain"]
    if aspects:
        out.append(
            Section(
                f"g-{_slug(fw.framework_id)}-aspek",
                f"{name} · {t('glossary.aspects', lang)}",
                tuple(
                    Entry(
                        item_anchor(fw.framework_id, a.code),
                        f"{a.code} {a.name(lang)}",
                        t("glossary.item_parent", lang, parent=a.parent_code)
                        + " · "
                        + t("glossary.item_weight_in", lang, weight=_weight(a.weight_pct, lang)),
                    )
                    for a in aspects
                ),
            )
        )
    out.append(
        Section(
            f"g-{_slug(fw.framework_id)}-predikat",
            f"{name} · {t('glossary.bands', lang)}",
            tuple(
                Entry(
                    band_anchor(fw.framework_id, b.predikat),
                    predikat_name(b.predikat, lang) or b.predikat,
                    t("glossary.band_text", lang, range=_band_range(b, lang), predikat=b.predikat),
                )
                for b in fw.bands
            ),
        )
    )
    if fw.level_names:
        scales = sorted({scale for scale, _ in fw.level_names})
        out.append(
            Section(
                f"g-{_slug(fw.framework_id)}-level",
                f"{name} · {t('glossary.levels', lang)}",
                tuple(
                    Entry(
                        f"g-{_slug(fw.framework_id)}-level-{scale}",
                        t(f"glossary.level_scale_{scale}", lang),
                        "; ".join(
                            t("glossary.level_row", lang, level=level, name=names[1] if lang == "en" else names[0])
                            for (s, level), names in sorted(fw.level_names.items())
                            if s == scale
                        ),
                    )
                    for scale in scales
                ),
            )
        )
    if fw.indicators:
        out.append(
            Section(
                f"g-{_slug(fw.framework_id)}-indikator",
                f"{name} · {t('glossary.indicators', lang, count=len(fw.indicators))}",
                (),
                table=tuple((i.code, i.name(lang), _weight(i.weight_pct, lang)) for i in fw.indicators),
            )
        )
    return out


def opd_abbreviations() -> list[str]:
    """Every OPD abbreviation the suggested mapping uses (generic and Kota Cilegon's names), in first-seen order."""
    found: list[str] = []
    with OPD_SEED.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for column in ("opd", "opd_kota_cilegon"):
                match = ABBREVIATION.search((row.get(column) or "").strip())
                if match:
                    found.append(match.group(1) or match.group(2))
    return list(dict.fromkeys(found))


def glossary(lang: str) -> list[Section]:
    """The whole glossary in the language: general terms, trust levels, each framework, OPD abbreviations."""
    sections = [
        Section(
            "g-istilah",
            t("glossary.group_terms", lang),
            tuple(Entry(term_anchor(k), t(f"glossary.term.{k}", lang), t(f"glossary.term.{k}_text", lang)) for k in TERMS),
        ),
        Section(
            "g-kepercayaan",
            t("glossary.group_trust", lang),
            tuple(
                Entry(f"g-{p.replace('_', '-')}", t(f"core.provenance_{p}", lang), t(f"glossary.trust.{p}", lang))
                for p in PROVENANCES
            ),
        ),
    ]
    for fw in sorted(frameworks().values(), key=lambda f: f.first_year, reverse=True):
        sections.extend(framework_section(fw, lang))
    sections.append(
        Section(
            "g-singkatan-opd",
            t("glossary.group_opd", lang),
            tuple(Entry(f"g-opd-{a.lower()}", a, t(f"glossary.opd.{a}", lang)) for a in opd_abbreviations()),
        )
    )
    return sections


def anchors(lang: str) -> set[str]:
    return {s.anchor for s in glossary(lang)} | {e.anchor for s in glossary(lang) for e in s.entries}


def page_terms(page_key: str, year: int, lang: str) -> list[Link]:
    """The terms a viewer page uses, each with the anchor of its entry; the year picks the framework."""
    fw = framework_for_year(year)
    out = []
    for key in PAGE_TERMS.get(page_key, ()):
        if key == "@domains":
            out.extend(Link(i.code, item_anchor(fw.framework_id, i.code)) for i in fw.top_level)
        elif key == "@bands":
            out.append(Link(t("glossary.bands_link", lang), f"g-{_slug(fw.framework_id)}-predikat"))
        else:
            out.append(Link(t(f"glossary.term.{key}", lang), term_anchor(key)))
    return out


def href(params: dict[str, str], anchor: str) -> str:
    """A relative link to the glossary entry that keeps the view's URL parameters (language, focus, year...)."""
    return f"{PAGE_PATH}?{urlencode(params)}#{anchor}"


def has_entry(key: str) -> bool:
    """A term with a name and a text in both languages (the catalogue refuses a missing language)."""
    entries = catalogue()
    return f"glossary.term.{key}" in entries and f"glossary.term.{key}_text" in entries
