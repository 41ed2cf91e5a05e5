"""The presentation storyline: the ordered slides for one focus instansi and year.

Each slide holds its key, title, a one-line headline, a renderer-neutral chart (categories and
series of published or computed numbers), the table of exactly the data shown, speaker notes and
source ids. The same slide feeds the screen (Plotly, via slide_figure), the PowerPoint deck
(spbe.deck_pptx) and the PDF handout (spbe.deck_pdf), so the three never disagree.

load_story_data() reads the store; assemble() is pure (data in, slides out); build_storyline() does both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from spbe import db
from spbe.charts import FOCUS_COLOUR, NEUTRAL, PREDIKAT_COLOURS, SELF_COLOUR, index_trend_figure, style
from spbe.frame import Frame, peer_ids_for
from spbe.frameworks import Framework, framework_for_year
from spbe.i18n import fmt_date, fmt_delta, fmt_num, is_missing, t

SLIDE_KEYS = ("index", "trend", "rank", "domains", "self_vs_official", "next_predikat", "opd")
PEER_AVERAGE_COLOUR = NEUTRAL
PEER_BEST_COLOUR = "#B3B3B3"
OUTLINE_COLOUR = "#555555"  # bar outlines keep light fills (sky blue, orange) visible on white paper and screens
MAX_RANK_ROWS = 15  # a national peer set (hundreds of kabupaten) is cut to the top, the focus's neighbours, the bottom
# Published category averages (national_results.scope) for each instansi category.
CATEGORY_SCOPE = {"pusat": "instansi_pusat", "provinsi": "provinsi", "kabupaten": "kabupaten", "kota": "kota"}


# -- the slide model ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    colour: str
    point_colours: tuple[str, ...] | None = None  # one per category (bars coloured by predikat)
    labels: tuple[str, ...] | None = None  # text printed on each point, already formatted for the language
    mode: str = "bar"  # bar, line (a line with markers) or markers (markers only)
    kind: str = "official"  # official, self-assessment, computed, simulation


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
    illustrative: bool = False
    lang: str = "id"
    large_figure: Callable[[Slide, bool], go.Figure] | None = field(default=None, repr=False, compare=False)

    def figure(self, large: bool = False) -> go.Figure | None:
        """The Plotly figure for the screen (None when the slide has only a message)."""
        if self.chart is None:
            return None
        if self.large_figure is not None:
            return self.large_figure(self, large)
        return chart_figure(self.chart, self.lang, large)


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

    def slide(self, number: int) -> Slide:
        return self.slides[number - 1]


# -- data --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoryData:
    instansi: pd.DataFrame  # instansi_list
    trend: pd.DataFrame  # index_trend of the focus
    year_index: pd.DataFrame  # year_index_results
    year_domains: pd.DataFrame  # year_domain_results
    national: pd.DataFrame  # year_national_results
    sources: pd.DataFrame  # source_list
    peer_ids: tuple[str, ...]
    extra_slides: tuple = ()  # slides 6-7 providers' results (see later_slides)


def load_story_data(frame: Frame) -> StoryData:
    """Everything the storyline shows, read from the store through queries/*.sql."""
    instansi = db.run("instansi_list")
    return StoryData(
        instansi=instansi,
        trend=db.run("index_trend", instansi_id=frame.instansi_id),
        year_index=db.run("year_index_results", year=frame.year),
        year_domains=db.run("year_domain_results", year=frame.year),
        national=db.run("year_national_results", year=frame.year),
        sources=db.run("source_list"),
        peer_ids=tuple(peer_ids_for(frame, instansi)),
    )


def frame_for(
    instansi_id: str, year: int, lang: str = "id", peer_mode: str = "provinsi", peer_ids: tuple[str, ...] = ()
) -> Frame:
    """A Frame outside Streamlit (tests, command line), checked against the store like a URL would be."""
    instansi = db.run("instansi_list").set_index("instansi_id")
    if instansi_id not in instansi.index:
        raise ValueError(f"unknown instansi_id {instansi_id!r}")
    row = instansi.loc[instansi_id].to_dict() | {"instansi_id": instansi_id}
    return Frame("presentasi", lang, instansi_id, int(year), peer_mode, list(peer_ids), False, instansi=row)


# -- small helpers -----------------------------------------------------------------------------
def split_sources(values) -> tuple[str, ...]:
    """'SEED;N1' and lists of such strings -> unique ids in first-seen order."""
    ids = []
    for value in values:
        if value is None or (isinstance(value, float) and value != value):
            continue
        ids.extend(s.strip() for s in str(value).split(";") if s.strip())
    return tuple(dict.fromkeys(ids))


def short_regulation(fw: Framework) -> str:
    """'PermenPANRB 59/2020 tentang ...' -> 'PermenPANRB 59/2020'."""
    return fw.regulation.split(" tentang ")[0]


def framework_label(fw: Framework) -> str:
    return f"{fw.index_name}, {short_regulation(fw)}"


def predikat_name(fw: Framework, predikat: str | None, lang: str) -> str:
    """The band's name in the language; the framework's bands are the only source of names."""
    if not predikat:
        return t("present.no_predikat", lang)
    for band in fw.bands:
        if band.predikat == predikat:
            return band.name(lang)
    return predikat


def predikat_colour(predikat: str | None) -> str:
    return PREDIKAT_COLOURS.get(predikat or "", NEUTRAL)


def competition_rank(values: pd.Series) -> pd.Series:
    """1 + how many are strictly higher: equal published values share a rank (1, 2, 2, 4)."""
    return values.rank(method="min", ascending=False).astype(int)


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


# -- slides ------------------------------------------------------------------------------------
def slide_index(ctx: _Context) -> Slide:
    """1: the index and its predikat, beside the peer average and the published averages."""
    lang, fw = ctx.lang, ctx.fw
    focus = ctx.focus_official
    if focus is None:
        return ctx.slide(
            "index",
            t("present.index_title", lang, name=ctx.name, year=ctx.year),
            headline=t("present.no_official", lang, name=ctx.name, year=ctx.year),
            chart=None,
            data=pd.DataFrame(),
            notes=t("present.no_official_notes", lang, name=ctx.name, year=ctx.year),
            source_ids=(),
            message=t("present.no_official", lang, name=ctx.name, year=ctx.year),
        )
    rows = [
        dict(
            label=ctx.name, value=focus["indeks"], predikat=focus["predikat"], kind="official", source_id=focus["source_id"], n=1
        )
    ]
    peer_values = ctx.peer_official["indeks"].dropna()
    if len(peer_values) > 1:
        mean = float(peer_values.mean())
        band = fw.band_for(mean)
        rows.append(
            dict(
                label=t("present.peer_average", lang, n=len(peer_values)),
                value=mean,
                predikat=band.predikat if band else None,
                kind="computed",
                source_id=";".join(split_sources(ctx.peer_official["source_id"])),
                n=len(peer_values),
            )
        )
    for scope, label_key in (
        (CATEGORY_SCOPE.get(ctx.category), "present.category_average"),
        ("nasional", "present.national_average"),
    ):
        published = ctx.published(scope, "mean", None)
        if scope is not None and published is not None:
            band = fw.band_for(published["value"])
            rows.append(
                dict(
                    label=t(label_key, lang, category=t(f"category.{ctx.category}", lang)),
                    value=published["value"],
                    predikat=band.predikat if band else None,
                    kind="official",
                    source_id=published["source_id"],
                    n=None,
                )
            )
    data = pd.DataFrame(rows)
    labels = tuple(
        f"{fmt_num(v, lang)} · {predikat_name(fw, p, lang)}" for v, p in zip(data["value"], data["predikat"], strict=True)
    )
    chart = Chart(
        kind="column",
        categories=tuple(data["label"]),
        series=(
            Series(
                t("common.index", lang),
                tuple(map(_value, data["value"])),
                FOCUS_COLOUR,
                point_colours=tuple(predikat_colour(p) for p in data["predikat"]),
                labels=labels,
            ),
        ),
        value_title=t("common.index", lang),
        highlight=0,
    )
    value_text = fmt_num(focus["indeks"], lang)
    pred = predikat_name(fw, focus["predikat"], lang)
    notes = [
        t(
            "present.index_notes",
            lang,
            name=ctx.name,
            year=ctx.year,
            value=value_text,
            predikat=pred,
            framework=framework_label(fw),
        )
    ]
    band = fw.band_for(focus["indeks"])
    if band is not None and band.rank < max(b.rank for b in fw.bands):
        upper = next(b for b in fw.bands if b.rank == band.rank + 1)
        notes.append(
            t(
                "present.index_next_band",
                lang,
                next=upper.name(lang),
                lower=fmt_num(upper.lower, lang),
                distance=fmt_num(upper.lower - focus["indeks"], lang),
            )
        )
    if len(data) > 1:
        notes.append(
            t(
                "present.index_comparison",
                lang,
                items="; ".join(f"{r.label} {fmt_num(r.value, lang)}" for r in data.iloc[1:].itertuples()),
            )
        )
    out = data.assign(predikat_name=[predikat_name(fw, p, lang) for p in data["predikat"]])
    return ctx.slide(
        "index",
        t("present.index_title", lang, name=ctx.name, year=ctx.year),
        headline=t("present.index_headline", lang, value=value_text, predikat=pred, framework=framework_label(fw)),
        chart=chart,
        data=out,
        notes=" ".join(notes),
        source_ids=split_sources([*data["source_id"], fw.source_ids]),
    )


def slide_trend(ctx: _Context) -> Slide:
    """2: the official line over the years (gaps not bridged), self-assessments as separate markers."""
    lang = ctx.lang
    trend = ctx.trend[ctx.trend["year"] <= ctx.year].sort_values(["year", "assessment"]).reset_index(drop=True)
    official = _official(trend)
    title = t("present.trend_title", lang, name=ctx.name)
    if trend.empty:
        message = t("present.no_trend", lang, name=ctx.name, year=ctx.year)
        return ctx.slide("trend", title, headline=message, chart=None, data=trend, notes=message, source_ids=(), message=message)
    years = list(range(int(trend["year"].min()), int(trend["year"].max()) + 1))
    by_year = official.set_index("year")
    series = []
    frameworks_seen = list(dict.fromkeys(official.sort_values("year")["framework_id"]))
    breaks = []
    for fid in frameworks_seen:  # one line per framework: a change of framework is never bridged
        part = by_year[by_year["framework_id"] == fid]
        name = t("assessment.official", lang)
        if len(frameworks_seen) > 1:
            name = f"{name} · {short_regulation(ctx.frameworks_by_id[fid])}"
            first = int(part.index.min())
            if fid != frameworks_seen[0]:
                breaks.append(years.index(first))
        series.append(
            Series(
                name,
                tuple(_value(part["indeks"].get(y)) for y in years),
                FOCUS_COLOUR,
                labels=tuple(fmt_num(part["indeks"].get(y), lang) if y in part.index else "" for y in years),
                mode="line",
            )
        )
    for assessment, part in trend[trend["assessment"] != "official"].groupby("assessment", sort=True):
        values = part.set_index("year")["indeks"]
        series.append(
            Series(
                t(f"assessment.{assessment}", lang),
                tuple(_value(values.get(y)) for y in years),
                SELF_COLOUR,
                labels=tuple(fmt_num(values.get(y), lang) if y in values.index else "" for y in years),
                mode="markers",
                kind=str(part["kind"].iloc[0]),
            )
        )
    chart = Chart(
        kind="line",
        categories=tuple(str(y) for y in years),
        series=tuple(series),
        value_title=t("common.index", lang),
        value_range=(1.0, 5.0),
        breaks=tuple(breaks),
    )
    official_years = [int(y) for y in official["year"]]
    missing_years = [y for y in years if y not in official_years]
    notes = [
        t(
            "present.trend_values",
            lang,
            items="; ".join(f"{int(r.year)}: {fmt_num(r.indeks, lang)}" for r in official.itertuples()),
        )
    ]
    headline = (
        t("present.trend_single", lang, value=fmt_num(official["indeks"].iloc[-1], lang), year=official_years[-1])
        if len(official)
        else t("present.no_official_short", lang)
    )
    if len(official) >= 2:
        first, last = official.iloc[0], official.iloc[-1]
        headline = t(
            "present.trend_headline",
            lang,
            first_year=int(first["year"]),
            first=fmt_num(first["indeks"], lang),
            last_year=int(last["year"]),
            last=fmt_num(last["indeks"], lang),
            delta=fmt_delta(last["indeks"] - first["indeks"], lang),
        )
    message = None
    if missing_years:
        notes.append(t("present.trend_missing_years", lang, years=", ".join(map(str, missing_years))))
    if breaks:
        message = t("present.trend_break", lang, year=years[breaks[0]])
        notes.append(message)
    attributed = [int(r.year) for r in trend.itertuples() if bool(r.year_attributed)]
    if attributed:
        notes.append(t("present.trend_attributed", lang, years=", ".join(map(str, attributed))))
    others = trend[trend["assessment"] != "official"]
    if len(others):
        notes.append(
            t(
                "present.trend_self",
                lang,
                items="; ".join(f"{int(r.year)}: {fmt_num(r.indeks, lang)}" for r in others.itertuples()),
            )
        )
    data = trend[["year", "assessment", "kind", "framework_id", "indeks", "predikat", "source_id", "year_attributed"]]
    return ctx.slide(
        "trend",
        title,
        headline=headline,
        chart=chart,
        data=data,
        notes=" ".join(notes),
        source_ids=split_sources(data["source_id"]),
        message=message,
        large_figure=_trend_figure,
    )


def _trend_figure(slide: Slide, large: bool) -> go.Figure:
    """The shared trend builder of spbe.charts, with a rule where the framework changes."""
    trend = slide.data
    fig = index_trend_figure(trend, slide.lang, large)
    for position in slide.chart.breaks:
        fig.add_vline(x=int(slide.chart.categories[position]) - 0.5, line_dash="dot", line_color=NEUTRAL)
    return fig


def slide_rank(ctx: _Context) -> Slide:
    """3: where the focus stands among its peers (the province, or the central agencies)."""
    lang, fw = ctx.lang, ctx.fw
    peers = ctx.peer_official.dropna(subset=["indeks"]).copy()
    title = t("present.rank_title", lang, peers=ctx.peer_label)
    if ctx.focus_official is None or len(peers) < 2:
        message = t("present.no_rank", lang, name=ctx.name, year=ctx.year)
        return ctx.slide(
            "rank", title, headline=message, chart=None, data=pd.DataFrame(), notes=message, source_ids=(), message=message
        )
    peers["rank"] = competition_rank(peers["indeks"])
    ranked = peers.sort_values(["rank", "instansi_name"]).reset_index(drop=True)
    shown = rank_rows_to_show(ranked, ctx.instansi_id)
    focus_rank = int(ranked.loc[ranked["instansi_id"] == ctx.instansi_id, "rank"].iloc[0])
    categories = tuple(f"{r.rank}. {r.instansi_name}" for r in shown.itertuples())
    labels = tuple(
        f"{fmt_num(v, lang)} · {predikat_name(fw, p, lang)}" for v, p in zip(shown["indeks"], shown["predikat"], strict=True)
    )
    highlight = list(shown["instansi_id"]).index(ctx.instansi_id)
    chart = Chart(
        kind="bar",
        categories=categories,
        series=(
            Series(
                t("common.index", lang),
                tuple(map(_value, shown["indeks"])),
                FOCUS_COLOUR,
                point_colours=tuple(predikat_colour(p) for p in shown["predikat"]),
                labels=labels,
            ),
        ),
        value_title=t("common.index", lang),
        highlight=highlight,
    )
    headline = t("present.rank_headline", lang, rank=focus_rank, n=len(ranked), peers=ctx.peer_label)
    best = ranked.iloc[0]
    notes = [
        t(
            "present.rank_notes",
            lang,
            name=ctx.name,
            rank=focus_rank,
            n=len(ranked),
            value=fmt_num(ctx.focus_official["indeks"], lang),
            best=best["instansi_name"],
            best_value=fmt_num(best["indeks"], lang),
            gap=fmt_num(best["indeks"] - ctx.focus_official["indeks"], lang),
        )
    ]
    message = None
    if len(shown) < len(ranked):
        message = t("present.rank_cut", lang, shown=len(shown), n=len(ranked))
        notes.append(message)
    missing = sorted(set(ctx.peer_ids) - set(peers["instansi_id"]))
    if missing:
        notes.append(t("present.rank_missing", lang, n=len(missing)))
    data = shown[["rank", "instansi_id", "instansi_name", "indeks", "predikat", "source_id"]].assign(
        predikat_name=[predikat_name(fw, p, lang) for p in shown["predikat"]]
    )
    return ctx.slide(
        "rank",
        title,
        headline=headline,
        chart=chart,
        data=data,
        notes=" ".join(notes),
        source_ids=split_sources(shown["source_id"]),
        message=message,
    )


def slide_domains(ctx: _Context) -> Slide:
    """4: each domain of the focus against the peer average and the best peer value."""
    lang = ctx.lang
    domains = _official(ctx.year_domains)
    title = t("present.domains_title", lang, name=ctx.name, year=ctx.year)
    focus = domains[domains["instansi_id"] == ctx.instansi_id].sort_values("item_order")
    if focus.empty:
        message = t("present.no_domains", lang, name=ctx.name, year=ctx.year)
        return ctx.slide(
            "domains", title, headline=message, chart=None, data=pd.DataFrame(), notes=message, source_ids=(), message=message
        )
    peers = domains[domains["instansi_id"].isin(ctx.peer_ids)]
    rows = []
    for item in focus.itertuples():
        values = peers.loc[peers["domain_code"] == item.domain_code, "value"].dropna()
        name = item.domain_name_en if lang == "en" and isinstance(item.domain_name_en, str) else item.domain_name_id
        rows.append(
            dict(
                domain_code=item.domain_code,
                domain_name=name,
                weight_pct=item.weight_pct,
                value=_value(item.value),
                peer_average=float(values.mean()) if len(values) else None,
                peer_best=float(values.max()) if len(values) else None,
                peers_with_value=len(values),
                source_id=item.source_id,
            )
        )
    data = pd.DataFrame(rows)
    data["gap_to_average"] = data["value"] - data["peer_average"]
    data["gap_to_best"] = data["value"] - data["peer_best"]
    cats = tuple(f"{r.domain_code} {r.domain_name}" for r in data.itertuples())

    def series(column, name, colour, kind):
        return Series(
            name, tuple(map(_value, data[column])), colour, labels=tuple(fmt_num(v, lang) for v in data[column]), kind=kind
        )

    chart = Chart(
        kind="column",
        categories=cats,
        series=(
            series("value", ctx.name, FOCUS_COLOUR, "official"),
            series("peer_average", t("present.peer_average_short", lang), PEER_AVERAGE_COLOUR, "computed"),
            series("peer_best", t("present.peer_best", lang), PEER_BEST_COLOUR, "official"),
        ),
        value_title=t("present.domain_value", lang),
    )
    gaps = data.dropna(subset=["gap_to_average"])
    notes = [
        t(
            "present.domains_notes_item",
            lang,
            domain=r.domain_name,
            value=fmt_num(r.value, lang),
            average=fmt_num(r.peer_average, lang),
            best=fmt_num(r.peer_best, lang),
        )
        for r in data.itertuples()
    ]
    headline = t("present.domains_no_gap", lang)
    if len(gaps):
        worst = gaps.loc[gaps["gap_to_average"].idxmin()]
        if worst["gap_to_average"] < 0:
            headline = t(
                "present.domains_headline", lang, domain=worst["domain_name"], gap=fmt_delta(worst["gap_to_average"], lang)
            )
    missing = data[data["value"].isna()]
    message = None
    if len(missing):
        message = t("present.domains_missing", lang, domains=", ".join(missing["domain_name"]))
        notes.append(message)
    return ctx.slide(
        "domains",
        title,
        headline=headline,
        chart=chart,
        data=data,
        notes=" ".join(notes),
        source_ids=split_sources(peers["source_id"]),
        message=message,
    )


def slide_self_vs_official(ctx: _Context) -> Slide:
    """5: the instansi's own assessment beside the official result, for the years that hold both."""
    lang = ctx.lang
    trend = ctx.trend[ctx.trend["year"] <= ctx.year]
    title = t("present.self_title", lang, name=ctx.name)
    wide = trend.pivot_table(index="year", columns="assessment", values="indeks", aggfunc="first")
    if "self_assessment" not in wide or "official" not in wide or wide[["self_assessment", "official"]].dropna().empty:
        message = t("present.no_self", lang, name=ctx.name, year=ctx.year)
        return ctx.slide(
            "self_vs_official",
            title,
            headline=message,
            chart=None,
            data=pd.DataFrame(),
            notes=message,
            source_ids=(),
            message=message,
        )
    both = wide[["official", "self_assessment"]].dropna().reset_index()
    both["year"] = both["year"].astype(int)
    both["difference"] = both["self_assessment"] - both["official"]
    rows = trend[trend["year"].isin(both["year"]) & trend["assessment"].isin(["official", "self_assessment"])]
    chart = Chart(
        kind="column",
        categories=tuple(str(y) for y in both["year"]),
        series=(
            Series(
                t("assessment.official", lang),
                tuple(both["official"]),
                FOCUS_COLOUR,
                labels=tuple(fmt_num(v, lang) for v in both["official"]),
            ),
            Series(
                t("assessment.self_assessment", lang),
                tuple(both["self_assessment"]),
                SELF_COLOUR,
                labels=tuple(fmt_num(v, lang) for v in both["self_assessment"]),
                kind="self-assessment",
            ),
        ),
        value_title=t("common.index", lang),
    )
    last = both.iloc[-1]
    headline = t(
        "present.self_headline",
        lang,
        year=int(last["year"]),
        self=fmt_num(last["self_assessment"], lang),
        official=fmt_num(last["official"], lang),
        difference=fmt_delta(last["difference"], lang),
    )
    notes = [
        t(
            "present.self_notes",
            lang,
            year=int(r.year),
            self=fmt_num(r.self_assessment, lang),
            official=fmt_num(r.official, lang),
            difference=fmt_delta(r.difference, lang),
        )
        for r in both.itertuples()
    ]
    message = None
    if ctx.year not in set(both["year"]):
        message = t("present.self_not_this_year", lang, year=ctx.year)
        notes.insert(0, message)
    return ctx.slide(
        "self_vs_official",
        title,
        headline=headline,
        chart=chart,
        data=both,
        notes=" ".join(notes),
        source_ids=split_sources(rows["source_id"]),
        message=message,
    )


# -- assembly ----------------------------------------------------------------------------------
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
        self.peer_ids = data.peer_ids
        official = _official(data.year_index)
        self.peer_official = official[official["instansi_id"].isin(data.peer_ids)]
        focus = official[official["instansi_id"] == frame.instansi_id]
        self.focus_official = focus.iloc[0] if len(focus) else None
        self.peer_label = peer_label(frame, self.category, self.province, len(data.peer_ids))
        self.number = 0

    def published(self, scope: str | None, statistic: str, domain: str | None):
        rows = self.national[(self.national["scope"] == scope) & (self.national["statistic"] == statistic)]
        rows = rows[rows["domain_code"].isna()] if domain is None else rows[rows["domain_code"] == domain]
        return rows.iloc[0] if len(rows) else None

    def slide(self, key, title, *, headline, chart, data, notes, source_ids, message=None, illustrative=False, large_figure=None):
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


def later_slides(ctx: _Context, data: StoryData) -> list[Slide]:
    """Slides 6 (cheapest path to the next predikat) and 7 (OPD owners), from the issue-4 modules."""
    return []


def assemble(frame: Frame, data: StoryData, today: dt.date | None = None) -> Storyline:
    """The storyline from already loaded data (pure: no store access, no Streamlit)."""
    ctx = _Context(frame, data)
    slides = [slide_index(ctx), slide_trend(ctx), slide_rank(ctx), slide_domains(ctx), slide_self_vs_official(ctx)]
    slides.extend(later_slides(ctx, data))
    cited = split_sources([sid for s in slides for sid in s.source_ids])
    sources = data.sources.set_index("source_id")
    known = [sid for sid in cited if sid in sources.index]
    table = sources.loc[known, ["title", "publisher", "date"]].reset_index()
    return Storyline(
        frame.instansi_id,
        ctx.name,
        frame.year,
        frame.lang,
        framework_label(ctx.fw),
        ctx.peer_label,
        today or dt.date.today(),
        tuple(slides),
        table,
    )


def build_storyline(frame: Frame, today: dt.date | None = None) -> Storyline:
    return assemble(frame, load_story_data(frame), today)


# -- screen figures ----------------------------------------------------------------------------
def chart_figure(chart: Chart, lang: str, large: bool = False) -> go.Figure:
    """A Plotly figure from a renderer-neutral chart, in the house style."""
    fig = go.Figure()
    text_size = 20 if large else 14
    for s in chart.series:
        if chart.kind in ("column", "bar"):
            horizontal = chart.kind == "bar"
            values = list(s.values)
            cats = list(chart.categories)
            widths = [3 if i == chart.highlight else 1 for i in range(len(cats))]
            fig.add_trace(
                go.Bar(
                    x=values if horizontal else cats,
                    y=cats if horizontal else values,
                    orientation="h" if horizontal else "v",
                    name=s.name,
                    marker=dict(
                        color=list(s.point_colours) if s.point_colours else s.colour,
                        line=dict(color=OUTLINE_COLOUR, width=widths if chart.highlight is not None else 1),
                    ),
                    text=list(s.labels) if s.labels else None,
                    textposition="outside",
                    cliponaxis=False,
                    textfont=dict(size=text_size),
                    hovertemplate=("%{y}: %{x:.2f}" if horizontal else "%{x}: %{y:.2f}") + "<extra>" + s.name + "</extra>",
                )
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=list(chart.categories),
                    y=list(s.values),
                    name=s.name,
                    connectgaps=False,
                    mode="lines+markers+text" if s.mode == "line" else "markers+text",
                    line=dict(color=s.colour, width=4 if large else 3),
                    marker=dict(
                        color=s.colour,
                        size=14 if large else 10,
                        symbol="circle" if s.mode == "line" else "diamond-open",
                        line=dict(width=3),
                    ),
                    text=list(s.labels) if s.labels else None,
                    textposition="top center",
                    hovertemplate="%{x}: %{y:.2f}<extra>" + s.name + "</extra>",
                )
            )
    lo, hi = chart.value_range
    if chart.kind == "bar":
        fig.update_xaxes(range=[lo, hi + 1.2], title=chart.value_title, dtick=1)  # room for the labels
        fig.update_yaxes(autorange="reversed", title=None)
    else:
        fig.update_yaxes(range=[lo, hi + 0.4], title=chart.value_title, dtick=1 if chart.kind == "column" else 0.5)
        fig.update_xaxes(title=None, type="category")
    for position in chart.breaks:
        fig.add_vline(x=position - 0.5, line_dash="dot", line_color=NEUTRAL)
    fig.update_layout(barmode="group", showlegend=len(chart.series) > 1, uniformtext=dict(minsize=10, mode="show"))
    height = None
    if chart.kind == "bar":
        height = max(420, (46 if large else 32) * len(chart.categories) + 120)
    return style(fig, lang, large, height=height)
