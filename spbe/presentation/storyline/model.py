"""The storyline's model: the slide model (Series, Chart, Slide, Storyline), the data it reads from the store
(load_story_data) and the context every slide builder shares (_Context), with small helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from spbe import core
from spbe.charts import NEUTRAL, PREDIKAT_COLOURS
from spbe.core.frameworks import Framework, framework_for_year
from spbe.core.view import Frame
from spbe.i18n import fmt_date, is_missing, t
from spbe.models import opd
from spbe.models.focus import peer_ids_for
from spbe.store import db

SLIDE_KEYS = ("index", "trend", "change", "rank", "domains", "self_vs_official", "next_predikat", "opd")


UNVERIFIED_COLOUR = "#7F7F7F"  # a secondary, unverified value (DS1920): an open grey circle, never on the line


GAIN_COLOUR = "#009E73"


LOSS_COLOUR = "#D55E00"


MAX_CHANGE_ROWS = 12  # the waterfall slide names the largest changes; the rest are one "other indicators" bar


PEER_AVERAGE_COLOUR = NEUTRAL


PEER_BEST_COLOUR = "#B3B3B3"


OUTLINE_COLOUR = "#555555"  # bar outlines keep light fills (sky blue, orange) visible on white paper and screens


MAX_RANK_ROWS = 15  # a national peer set (hundreds of kabupaten) is cut to the top, the focus's neighbours, the bottom


# Published category averages (national_results.scope) for each instansi category.
CATEGORY_SCOPE = core.CATEGORY_SCOPE


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    colour: str
    point_colours: tuple[str, ...] | None = None  # one per category (bars coloured by predikat)
    labels: tuple[str, ...] | None = None  # text printed on each point, already formatted for the language
    mode: str = "bar"  # bar, line (a line with markers) or markers (markers only)
    kind: str = "official"  # official, self-assessment, computed, simulation, unverified


@dataclass(frozen=True)
class Chart:
    kind: str  # column (vertical bars), bar (horizontal bars, first category on top) or line
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_title: str
    value_range: tuple[float, float] = (0.0, 5.0)
    highlight: int | None = None  # index of the focus category, drawn emphasised
    breaks: tuple[int, ...] = ()  # category positions where a framework changes (drawn as a vertical rule)
    digits: int = 2
    tick_step: float = 1.0  # below 1 the deck hides tick numbers (a chart's format follows the viewer's locale)


@dataclass(frozen=True)
class Slide:
    key: str
    number: int
    title: str
    headline: str
    chart: Chart | None
    data: pd.DataFrame
    notes: str
    source_ids: tuple[str, ...]
    message: str | None = None  # shown instead of (no chart) or above the chart (a caveat)
    illustrative: bool = False  # indicator levels that are an illustration, not anyone's data
    label: str | None = None  # a banner on every rendering: e.g. a simulation, not an official result
    lang: str = "id"
    large_figure: Callable[[Slide, bool], go.Figure] | None = field(default=None, repr=False, compare=False)

    def figure(self, large: bool = False, height: int | None = None) -> go.Figure | None:
        """The Plotly figure for the screen (None when the slide has only a message)."""
        if self.chart is None:
            return None
        if self.large_figure is not None:
            fig = self.large_figure(self, large)
            return fig.update_layout(height=height) if height else fig
        from spbe.presentation.storyline.render import chart_figure

        return chart_figure(self.chart, self.lang, large, height)


@dataclass(frozen=True)
class Storyline:
    instansi_id: str
    instansi_name: str
    year: int
    lang: str
    framework_label: str
    peer_label: str
    generated: dt.date
    slides: tuple[Slide, ...]
    sources: pd.DataFrame  # source_id, title, publisher, date of every source the slides cite

    @property
    def title(self) -> str:
        return t("present.deck_title", self.lang, name=self.instansi_name, year=self.year)

    def stamp_lines(self) -> list[str]:
        """Who, when, which filters: printed on the title page and (short) under every slide."""
        lang = self.lang
        return [
            t("present.stamp_instansi", lang, name=self.instansi_name),
            t("present.stamp_year", lang, year=self.year, framework=self.framework_label),
            t("present.stamp_peers", lang, peers=self.peer_label),
            t("present.stamp_generated", lang, date=fmt_date(self.generated, lang)),
        ]

    def footer(self) -> str:
        return t(
            "present.footer",
            self.lang,
            name=self.instansi_name,
            year=self.year,
            peers=self.peer_label,
            date=fmt_date(self.generated, self.lang),
        )

    def source_lines(self) -> list[str]:
        return [f"{r.source_id}: {r.title} ({r.publisher}, {r.date})" for r in self.sources.itertuples()]

    def slide(self, number: int | str) -> Slide:
        """A slide by its number (1-based) or by its key ("trend")."""
        if isinstance(number, str):
            return next(s for s in self.slides if s.key == number)
        return self.slides[number - 1]


@dataclass(frozen=True)
class StoryData:
    instansi: pd.DataFrame  # instansi_list
    trend: pd.DataFrame  # index_trend of the focus
    year_index: pd.DataFrame  # index_by_year
    year_domains: pd.DataFrame  # domain_by_year
    national: pd.DataFrame  # national_by_year
    sources: pd.DataFrame  # source_list
    peer_ids: tuple[str, ...]
    levels: pd.DataFrame  # indicator_levels of the focus in the year (2021-2022 from DS2122, or a region's import)
    opd_mapping: object  # spbe.models.opd.Loaded: the region's saved owners, else the suggested ones
    level_history: pd.DataFrame | None = None  # indicator_levels of the focus, every year (the 2021->2022 change)


def load_story_data(frame: Frame) -> StoryData:
    """Everything the storyline shows, read from the store through queries/*.sql."""
    instansi = db.run("instansi_list")
    levels = db.run("indicator_levels", instansi_id=frame.instansi_id)
    return StoryData(
        instansi=instansi,
        trend=db.run("index_trend", instansi_id=frame.instansi_id),
        year_index=db.run("index_by_year", year=frame.year),
        year_domains=db.run("domain_by_year", year=frame.year),
        national=db.run("national_by_year", year=frame.year),
        sources=db.run("source_list"),
        peer_ids=tuple(peer_ids_for(frame, instansi)),
        levels=levels[levels["year"] == frame.year].reset_index(drop=True),
        opd_mapping=opd.load_mapping(framework_for_year(frame.year), frame.instansi_id),
        level_history=levels,
    )


def frame_for(
    instansi_id: str, year: int, lang: str = "id", peer_mode: str = "provinsi", peer_ids: tuple[str, ...] = ()
) -> Frame:
    """A Frame outside Streamlit (tests, command line), checked against the store like a URL would be."""
    instansi = db.run("instansi_list").set_index("instansi_id")
    if instansi_id not in instansi.index:
        raise ValueError(f"unknown instansi_id {instansi_id!r}")
    row = instansi.loc[instansi_id].to_dict() | {"instansi_id": instansi_id}
    years = sorted(int(y) for y in db.run("evaluation_years")["year"])  # as the page frame holds them
    return Frame("presentasi", lang, instansi_id, int(year), peer_mode, list(peer_ids), False, instansi=row, years=years)


def split_sources(values) -> tuple[str, ...]:
    """'SEED;N1' and lists of such strings -> unique ids in first-seen order."""
    ids = []
    for value in values:
        if value is None or (isinstance(value, float) and value != value):
            continue
        ids.extend(s.strip() for s in str(value).split(";") if s.strip())
    return tuple(dict.fromkeys(ids))


def short_regulation(fw: Framework) -> str:
    return core.short_regulation(fw.regulation)


def framework_label(fw: Framework) -> str:
    return f"{fw.index_name}, {short_regulation(fw)}"


def predikat_name(fw: Framework, predikat: str | None, lang: str) -> str:
    """The band's name in the language; the framework's bands are the only source of names. A missing predikat
    (None, or NaN once it has been through a DataFrame column) is 'tanpa predikat', never 'nan'."""
    if not isinstance(predikat, str) or not predikat:
        return t("present.no_predikat", lang)
    for band in fw.bands:
        if band.predikat == predikat:
            return band.name(lang)
    return predikat


def predikat_colour(predikat: str | None) -> str:
    return PREDIKAT_COLOURS.get(predikat or "", NEUTRAL)


def rank_rows_to_show(ranked: pd.DataFrame, focus_id: str, limit: int = MAX_RANK_ROWS) -> pd.DataFrame:
    """All rows if few; else the top five, the focus with two neighbours each side, and the bottom two."""
    if len(ranked) <= limit:
        return ranked
    position = ranked.index[ranked["instansi_id"] == focus_id]
    keep = set(range(5)) | set(range(len(ranked) - 2, len(ranked)))
    if len(position):
        at = ranked.index.get_loc(position[0])
        keep |= set(range(max(at - 2, 0), min(at + 3, len(ranked))))
    return ranked.iloc[sorted(keep)]


def _official(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["assessment"] == "official"]


def _value(x) -> float | None:
    return None if is_missing(x) else float(x)


def banner_text(slide: Slide) -> str | None:
    """The warning every rendering of the slide carries: a simulation, or indicator levels that are an illustration."""
    if slide.label:
        return slide.label
    return t("present.illustration_label", slide.lang) if slide.illustrative else None


def slide_number(raw: str | None, total: int) -> tuple[int, bool]:
    """The ?slide= URL value checked: (number, True) if it names a slide 1..total; (1, False) if not.
    No value at all is slide 1 and fine."""
    if raw is None or raw == "":
        return 1, True
    text = str(raw).strip()
    if text.isdigit() and 1 <= int(text) <= total:
        return int(text), True
    return 1, False


class _Context:
    """What every slide builder needs, computed once from the data."""

    def __init__(self, frame: Frame, data: StoryData):
        self.frame = frame
        self.lang = frame.lang
        self.year = frame.year
        self.instansi_id = frame.instansi_id
        info = data.instansi.set_index("instansi_id")
        self.name = str(info.loc[frame.instansi_id, "instansi_name"])
        self.category = info.loc[frame.instansi_id, "category"]
        self.province = info.loc[frame.instansi_id, "province"]
        self.fw = framework_for_year(frame.year)
        self.frameworks_by_id = {
            fid: framework_for_year(int(y)) for fid, y in data.trend.groupby("framework_id")["year"].min().items()
        }
        self.trend = data.trend
        self.year_domains = data.year_domains
        self.national = data.national
        self._published: dict | None = None
        self.peer_ids = data.peer_ids
        official = _official(data.year_index)
        self.peer_official = official[official["instansi_id"].isin(data.peer_ids)]
        focus = official[official["instansi_id"] == frame.instansi_id]
        self.focus_official = focus.iloc[0] if len(focus) else None
        self.peer_label = peer_label(frame, self.category, self.province, len(data.peer_ids))
        # The headline numbers (rank, peer average, largest gap, next predikat) exactly as every other surface.
        domains = _official(data.year_domains) if len(data.year_domains) else data.year_domains
        self.facts = core.facts(
            frame.instansi | {"instansi_id": frame.instansi_id},
            frame.year,
            official,
            domains,
            data.instansi,
            self.fw,
            frame.peer_mode,
            tuple(frame.peer_ids),
        )
        self.levels = data.levels
        self.opd_mapping = data.opd_mapping
        self.level_history = data.level_history

    def published(self, scope: str | None, statistic: str, domain: str | None):
        """The first published row of (scope, statistic, domain or None for the index), else None."""
        if self._published is None:  # one pass over the rows instead of three column filters per question
            national = self.national
            firsts: dict = {}
            keys = zip(national["scope"].tolist(), national["statistic"].tolist(), national["domain_code"].tolist(), strict=True)
            for at, (sc, stat, dom) in enumerate(keys):
                firsts.setdefault((sc, stat, None if pd.isna(dom) else dom), at)  # as .isna() reads it
            self._published = firsts
        at = self._published.get((scope, statistic, domain)) if scope is not None else None  # == None matches no row
        return self.national.iloc[at] if at is not None else None

    def slide(
        self,
        key,
        title,
        *,
        headline,
        chart,
        data,
        notes,
        source_ids,
        message=None,
        illustrative=False,
        label=None,
        large_figure=None,
    ):
        return Slide(
            key=key,
            number=SLIDE_KEYS.index(key) + 1,
            title=title,
            headline=headline,
            chart=chart,
            data=data,
            notes=notes,
            source_ids=tuple(source_ids),
            message=message,
            illustrative=illustrative,
            label=label,
            lang=self.lang,
            large_figure=large_figure,
        )


def peer_label(frame: Frame, category: str | None, province: str | None, count: int) -> str:
    """The peer set in words, for titles and the stamp: 'Se-provinsi Banten (9 instansi)'."""
    lang = frame.lang
    if frame.peer_mode == "pilih":
        return t("present.peers_custom", lang, n=count)
    if frame.peer_mode == "kategori":
        return t("present.peers_category", lang, category=t(f"category.{category}", lang), n=count)
    if province and isinstance(province, str):
        return t("present.peers_province", lang, province=province, n=count)
    return t("present.peers_central", lang, n=count)
