"""The slides: one pure builder per slide (data in, Slide out) and the assembly of the ordered deck."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pandas as pd

from spbe import core
from spbe.charts import FOCUS_COLOUR, SELF_COLOUR, fit_margins
from spbe.core import UNVERIFIED, gaps, pemdi, simulate
from spbe.core.frameworks import Framework, framework_for_year
from spbe.core.pemdi import as_level
from spbe.core.view import Frame
from spbe.i18n import fmt_delta, fmt_num, t
from spbe.models import opd
from spbe.presentation.storyline.model import (
    CATEGORY_SCOPE,
    GAIN_COLOUR,
    LOSS_COLOUR,
    MAX_CHANGE_ROWS,
    MAX_RANK_ROWS,
    PEER_AVERAGE_COLOUR,
    PEER_BEST_COLOUR,
    SLIDE_KEYS,
    UNVERIFIED_COLOUR,
    Chart,
    Series,
    Slide,
    StoryData,
    Storyline,
    _Context,
    _official,
    _value,
    framework_label,
    load_story_data,
    predikat_colour,
    predikat_name,
    rank_rows_to_show,
    short_regulation,
    split_sources,
)


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
    avg = ctx.facts.peer_average  # the other peers' mean, the focus excluded (spbe.core)
    if avg.value is not None and avg.count > 0:
        others = ctx.peer_official[ctx.peer_official["instansi_id"] != ctx.instansi_id]
        band = fw.band_for(avg.value)
        rows.append(
            dict(
                label=avg.label(lang),
                value=avg.value,
                predikat=band.predikat if band else None,
                kind="computed",
                source_id=";".join(split_sources(others["source_id"])),
                n=avg.count,
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
    derived = str(focus.get("predikat_basis") or "") == "derived"
    unverified = _is_unverified(focus)  # 2019-2020 (DS1920): said on the bar and on the slide, as on the page
    labels = tuple(
        _value_label(v, p, fw, lang, unverified=i == 0 and unverified)
        + (f" ({t('present.derived_short', lang)})" if i == 0 and derived else "")
        for i, (v, p) in enumerate(zip(data["value"], data["predikat"], strict=True))
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
    if derived:
        pred = t("present.predikat_derived", lang, predikat=pred)
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
    upper = core.next_predikat(fw, ctx.facts.predikat, ctx.facts.index)
    if upper is not None:
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
    message = None
    if unverified:
        message = t("present.values_unverified", lang, year=ctx.year, sources=", ".join(split_sources([focus["source_id"]])))
        notes.append(message)
    out = data.assign(predikat_name=[predikat_name(fw, p, lang) for p in data["predikat"]])
    return ctx.slide(
        "index",
        t("present.index_title", lang, name=ctx.name, year=ctx.year),
        headline=t("present.index_headline", lang, value=value_text, predikat=pred, framework=framework_label(fw)),
        chart=chart,
        data=out,
        notes=" ".join(notes),
        source_ids=split_sources([*data["source_id"], fw.source_ids]),
        message=message,
    )


def _value_label(value, predikat, fw, lang: str, unverified: bool = False) -> str:
    """A bar's label: '3,56 · Baik', or '3,23 *' for an unverified value without a printed predikat (2019-2020), the
    star explained by the slide's message; short enough to stay inside a projector's chart."""
    if not unverified:
        return f"{fmt_num(value, lang)} · {predikat_name(fw, predikat, lang)}"
    named = isinstance(predikat, str) and predikat
    return f"{fmt_num(value, lang)}" + (f" · {predikat_name(fw, predikat, lang)}" if named else "") + " *"


def _is_unverified(row) -> bool:
    return str(getattr(row, "provenance", "") or "") == UNVERIFIED


def predikat_shown(predikat, basis, lang: str) -> str:
    """The predikat as written on a slide: a derived one (2021-2022, bands applied to the rounded index) says so."""
    name = core.predikat_written(predikat, lang)
    if name is None:
        return ""
    if str(basis or "") == "derived":
        return t("present.predikat_derived", lang, predikat=name)
    return name


def slide_trend(ctx: _Context) -> Slide:
    """2: the official index over the years, one line per framework (a break is never bridged, a missing
    year is a gap labelled "not evaluated"), unverified secondary values as open markers off the line,
    self-assessments as separate markers. Predikat are not on this slide: they are never compared across
    frameworks."""
    lang = ctx.lang
    trend = ctx.trend[ctx.trend["year"] <= ctx.year].sort_values(["year", "assessment"]).reset_index(drop=True)
    if "provenance" not in trend:
        trend = trend.assign(provenance=None, predikat_basis=None)
    official = _official(trend)
    title = t("present.trend_title", lang, name=ctx.name)
    if trend.empty:
        message = t("present.no_trend", lang, name=ctx.name, year=ctx.year)
        return ctx.slide("trend", title, headline=message, chart=None, data=trend, notes=message, source_ids=(), message=message)
    years = list(range(int(trend["year"].min()), int(trend["year"].max()) + 1))
    unverified = official[official["provenance"] == UNVERIFIED]
    verified = official[official["provenance"] != UNVERIFIED]
    by_year = verified.set_index("year")
    series = []
    # every framework held (a 2026 self-assessment alone is still the Indeks Pemdi: the break is drawn before it)
    frameworks_seen = list(dict.fromkeys(trend.sort_values("year")["framework_id"]))
    breaks = []
    for fid in frameworks_seen:  # one line per framework: a change of framework is never bridged
        part = by_year[by_year["framework_id"] == fid]
        if fid != frameworks_seen[0]:
            first_year = int(trend.loc[trend["framework_id"] == fid, "year"].min())
            breaks.append(years.index(first_year))
        if part.empty:
            continue
        name = t("assessment.official", lang)
        if len(frameworks_seen) > 1:
            name = f"{name} · {short_regulation(ctx.frameworks_by_id[fid])}"
        series.append(
            Series(
                name,
                tuple(_value(part["indeks"].get(y)) for y in years),
                FOCUS_COLOUR,
                labels=tuple(fmt_num(part["indeks"].get(y), lang) if y in part.index else "" for y in years),
                mode="line",
            )
        )
    if len(unverified):
        values = unverified.set_index("year")["indeks"]
        series.append(
            Series(
                t("present.trend_unverified_series", lang, sources=", ".join(split_sources(unverified["source_id"]))),
                tuple(_value(values.get(y)) for y in years),
                UNVERIFIED_COLOUR,
                labels=tuple(fmt_num(values.get(y), lang) if y in values.index else "" for y in years),
                mode="markers",
                kind="unverified",
            )
        )
    others = trend[trend["assessment"] != "official"]
    others = others.assign(_measure=others["framework_id"].map(pemdi.measure_of))
    for (assessment, measure), part in others.groupby(["assessment", "_measure"], sort=True):  # never one series
        values = part.set_index("year")["indeks"]
        series.append(
            Series(
                t(f"assessment.{assessment}", lang)
                + ("" if measure == "indeks_spbe" else f" · {t(f'pemdi.measure.{measure}', lang)}"),
                tuple(_value(values.get(y)) for y in years),
                SELF_COLOUR,
                labels=tuple(fmt_num(values.get(y), lang) if y in values.index else "" for y in years),
                mode="markers",
                kind=str(part["kind"].iloc[0]),
            )
        )
    official_years = [int(y) for y in official["year"]]
    missing_years = [y for y in years if y not in official_years]
    not_evaluated = t("present.trend_not_evaluated", lang)
    categories = tuple(f"{y}\n({not_evaluated})" if y in missing_years else str(y) for y in years)
    chart = Chart(
        kind="line",
        categories=categories,
        series=tuple(series),
        value_title=pemdi.axis_title(years, lang),
        value_range=(1.0, 5.0),
        breaks=tuple(breaks),
    )
    notes = [
        t(
            "present.trend_values",
            lang,
            items="; ".join(
                f"{int(r.year)}: {fmt_num(r.indeks, lang)}"
                + (f" ({t('present.unverified_short', lang)})" if _is_unverified(r) else "")
                for r in official.itertuples()
            ),
        )
    ]
    headline = (
        t("present.trend_single", lang, value=fmt_num(official["indeks"].iloc[-1], lang), year=official_years[-1])
        if len(official)
        else t("present.no_official_short", lang)
    )
    if len(official) >= 2:
        first, last = official.iloc[0], official.iloc[-1]
        same_framework = first["framework_id"] == last["framework_id"]
        headline = t(
            "present.trend_headline" if same_framework else "present.trend_headline_break",
            lang,
            first_year=int(first["year"]),
            first=fmt_num(first["indeks"], lang),
            last_year=int(last["year"]),
            last=fmt_num(last["indeks"], lang),
            delta=fmt_delta(last["indeks"] - first["indeks"], lang),
        )
    messages = []
    if missing_years:
        notes.append(t("present.trend_missing_years", lang, years=", ".join(map(str, missing_years))))
    for k, at in enumerate(breaks):  # one sentence per break; Indeks SPBE -> Indeks Pemdi is a change of measure
        fid_before, fid_after = frameworks_seen[k], frameworks_seen[k + 1]
        before = short_regulation(ctx.frameworks_by_id[fid_before])
        after = short_regulation(ctx.frameworks_by_id[fid_after])
        key = "present.trend_break_between" if pemdi.same_measure(fid_before, fid_after) else "pemdi.deck_measure_break"
        messages.append(t(key, lang, year=years[at], before=before, after=after))
        notes.append(messages[-1])
    if len(unverified):
        messages.append(t("present.trend_unverified", lang, years=", ".join(str(int(y)) for y in unverified["year"])))
        notes.append(messages[-1])
    derived = official[official["predikat_basis"] == "derived"]
    if len(derived):
        notes.append(t("present.trend_derived", lang, years=", ".join(str(int(y)) for y in derived["year"])))
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
    data = trend[
        [
            "year",
            "assessment",
            "kind",
            "framework_id",
            "indeks",
            "predikat",
            "predikat_basis",
            "provenance",
            "source_id",
            "year_attributed",
        ]
    ].assign(predikat_shown=[predikat_shown(p, b, lang) for p, b in zip(trend["predikat"], trend["predikat_basis"], strict=True)])
    return ctx.slide(
        "trend",
        title,
        headline=headline,
        chart=chart,
        data=data,
        notes=" ".join(notes),
        source_ids=split_sources(data["source_id"]),
        message=" ".join(messages) or None,
    )


def _level_pair(ctx: _Context) -> tuple[int, int, dict[str, int], dict[str, int]] | None:
    """The latest two consecutive years up to the slide's year with every official indicator level held."""
    history = ctx.level_history
    if history is None or history.empty:
        return None
    official = history[(history["assessment"] == "official") & (history["year"] <= ctx.year)]
    by_year = {}
    for year, part in official.groupby("year"):
        fw = framework_for_year(int(year))
        levels = {str(r.indicator_code): int(r.level) for r in part.itertuples()}
        if len(levels) == len(fw.indicators):
            by_year[int(year)] = (fw.framework_id, levels)
    for year in sorted(by_year, reverse=True):
        if year - 1 in by_year and by_year[year - 1][0] == by_year[year][0]:
            return year - 1, year, by_year[year - 1][1], by_year[year][1]
    return None


def _bar_label(fw: Framework, bar, lang: str) -> str:
    """'45 Layanan Publik Sektor 1 (4 → 1)'; a group of small changes: '7 indikator lain, naik (jumlah)'."""
    if bar.grouped:
        key = "present.change_rest_gain" if bar.key == "others_gain" else "present.change_rest_loss"
        return t(key, lang, n=len(bar.indicator_codes))
    return f"{gaps.short_indicator_name(fw, bar.key, lang, width=38)} ({bar.level_before} → {bar.level_after})"


def slide_change(ctx: _Context) -> Slide:
    """3: why the index moved between the two latest years with indicator levels (e.g. 2,03 -> 2,01):
    index points gained and lost per indicator (spbe.core.gaps.indicator_change_waterfall, the definition the
    Kesenjangan page uses), the largest changes named, the small ones in two bars (gains, losses)."""
    lang = ctx.lang
    pair = _level_pair(ctx)
    if pair is None:
        message = t("present.change_none", lang, name=ctx.name, year=ctx.year)
        title = t("present.change_title_plain", lang, name=ctx.name)
        return ctx.slide(
            "change", title, headline=message, chart=None, data=pd.DataFrame(), notes=message, source_ids=(), message=message
        )
    before_year, after_year, before, after = pair
    fw = framework_for_year(after_year)
    shown = gaps.indicator_change_waterfall(fw, before, after, max_bars=MAX_CHANGE_ROWS)
    every = gaps.indicator_change_waterfall(fw, before, after, max_bars=len(fw.indicators))  # one bar per indicator
    table = every.table(fw, lang)
    bars = sorted(shown.bars, key=lambda b: (b.grouped, b.points))  # losses first, the groups last
    values = tuple(b.points for b in bars)
    top = max([abs(v) for v in values] + [0.01])
    step = 0.025 if top <= 0.1 else 0.05
    reach = math.ceil(top / step) * step
    chart = Chart(
        kind="bar",
        categories=tuple(_bar_label(fw, b, lang) for b in bars),
        series=(
            Series(
                t("present.change_axis", lang),
                values,
                LOSS_COLOUR,
                point_colours=tuple(GAIN_COLOUR if v > 0 else LOSS_COLOUR for v in values),
                labels=tuple(fmt_delta(v, lang, 3) for v in values),
                kind="computed",
            ),
        ),
        value_title=t("present.change_axis", lang),
        value_range=(-reach, reach),
        digits=3,
        tick_step=step,
    )
    printed = _official(ctx.trend).set_index("year")["indeks"]
    gained = float(table.loc[table["points"] > 0, "points"].sum())
    lost = float(table.loc[table["points"] < 0, "points"].sum())
    headline = t(
        "present.change_headline",
        lang,
        before_year=before_year,
        after_year=after_year,
        before=fmt_num(printed.get(before_year, every.start), lang),
        after=fmt_num(printed.get(after_year, every.end), lang),
        gained=fmt_delta(gained, lang, 3),
        n_up=int((table["points"] > 0).sum()),
        lost=fmt_delta(lost, lang, 3),
        n_down=int((table["points"] < 0).sum()),
    )
    notes = [
        t(
            "present.change_notes_sum",
            lang,
            before_year=before_year,
            after_year=after_year,
            start=fmt_num(every.start, lang, 3),
            end=fmt_num(every.end, lang, 3),
            net=fmt_delta(every.delta, lang, 3),
        )
    ]
    for domain in fw.domains:
        codes = [i.code for i in fw.indicators if fw.item("aspect", i.parent_code).parent_code == domain.code]
        if not codes:
            continue
        net = float(table.loc[table["domain_code"] == domain.code, "points"].sum())
        at_one = sum(1 for c in codes if after[c] == fw.level_min)
        notes.append(
            t(
                "present.change_notes_domain",
                lang,
                domain=f"{domain.code} {domain.name(lang)}",
                net=fmt_delta(net, lang, 3),
                at_one=at_one,
                n=len(codes),
                year=after_year,
            )
        )
    message = t("present.change_message_rest", lang, n=shown.grouped) if shown.grouped else t("present.change_message", lang)
    data = table.rename(columns={"key": "indicator_code"})[
        ["indicator_code", "indicator_name", "domain_code", "level_before", "level_after", "points"]
    ]
    history = ctx.level_history
    sources = history.loc[history["year"].isin([before_year, after_year]), "source_id"]
    return ctx.slide(
        "change",
        t("present.change_title", lang, before_year=before_year, after_year=after_year, name=ctx.name),
        headline=headline,
        chart=chart,
        data=data,
        notes=" ".join(notes),
        source_ids=split_sources([*sources, fw.source_ids]),
        message=message,
    )


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
    ranked = core.rank_table(peers)  # competition ranking on the printed value, as every surface
    shown = rank_rows_to_show(ranked, ctx.instansi_id)
    focus_rank = int(ranked.loc[ranked["instansi_id"] == ctx.instansi_id, "rank"].iloc[0])
    categories = tuple(f"{r.rank}. {r.instansi_name}" for r in shown.itertuples())
    unverified = [_is_unverified(r) for r in shown.itertuples()]  # 2019-2020 (DS1920): said on each bar, as on the page
    labels = tuple(
        _value_label(v, p, fw, lang, unverified=u) for v, p, u in zip(shown["indeks"], shown["predikat"], unverified, strict=True)
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
    if "predikat_basis" in shown and (shown["predikat_basis"] == "derived").any():
        derived = t("present.rank_derived", lang, year=ctx.year)
        message = f"{message} {derived}" if message else derived
        notes.append(derived)
    if any(unverified):
        sources = ", ".join(split_sources(shown.loc[unverified, "source_id"]))
        said = t("present.values_unverified", lang, year=ctx.year, sources=sources)
        message = f"{message} {said}" if message else said
        notes.append(said)
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
    # The other peers (the focus excluded), averaged per domain by the core, as Analisis Kesenjangan does.
    others = domains[domains["instansi_id"].isin(ctx.peer_ids) & (domains["instansi_id"] != ctx.instansi_id)]
    peer_set = core.PeerSet(tuple(dict.fromkeys([ctx.instansi_id, *ctx.peer_ids])), ctx.frame.peer_mode)
    averages = core.peer_domain_average(domains, peer_set)
    rows = []
    for item in focus.itertuples():
        values = others.loc[others["domain_code"] == item.domain_code, "value"].dropna()
        name = item.domain_name_en if lang == "en" and isinstance(item.domain_name_en, str) else item.domain_name
        rows.append(
            dict(
                domain_code=item.domain_code,
                domain_name=name,
                weight_pct=item.weight_pct,
                value=_value(item.value),
                peer_average=averages.get(str(item.domain_code)),
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
    gap = ctx.facts.largest_gap  # weighted index points against the peer average: one definition (spbe.core)
    if len(gaps) and gap is not None:
        worst = data.loc[data["domain_code"] == gap.domain_code].iloc[0]
        headline = t(
            "present.domains_headline",
            lang,
            domain=worst["domain_name"],
            points=fmt_delta(gap.points, lang, 3),
            gap=fmt_delta(gap.raw, lang),
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
        source_ids=split_sources([*focus["source_id"], *others["source_id"]]),
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


def later_slides(ctx: _Context) -> list[Slide]:
    """Slides 6 (cheapest path to the next predikat) and 7 (OPD owners), from spbe.core.simulate and spbe.models.opd."""
    return [slide_next_predikat(ctx), slide_opd(ctx)]


def _item_label(fw: Framework, code: str, lang: str) -> str:
    """'D2 Tata Kelola SPBE' for a domain or aspect code; group keys such as 'A7+A8' name each part."""
    names = []
    for part in code.split("+"):
        for level in ("domain", "aspect"):
            try:
                names.append(f"{part} {fw.item(level, part).name(lang)}")
                break
            except KeyError:
                continue
        else:
            names.append(part)
    return " + ".join(names)


def _official_levels(ctx: _Context) -> dict[str, int]:
    """The focus's imported official indicator levels for the year (complete or not)."""
    rows = ctx.levels[ctx.levels["assessment"] == "official"] if len(ctx.levels) else ctx.levels
    return {str(r.indicator_code): as_level(r.level) for r in rows.itertuples()} if len(rows) else {}


def slide_next_predikat(ctx: _Context) -> Slide:
    """6: the fewest one-level indicator steps that lift the index into the next predikat (spbe.core.simulate)."""
    lang, fw = ctx.lang, ctx.fw
    title = t("present.path_title", lang, name=ctx.name)
    label = t("present.simulation_label", lang)

    def message_only(message: str, sources=()) -> Slide:
        return ctx.slide(
            "next_predikat",
            title,
            headline=message,
            chart=None,
            data=pd.DataFrame(),
            notes=message,
            source_ids=sources,
            message=message,
        )

    if ctx.focus_official is None:
        return message_only(t("present.no_official", lang, name=ctx.name, year=ctx.year))
    index = float(ctx.focus_official["indeks"])
    band = core.next_predikat(fw, ctx.facts.predikat, ctx.facts.index)  # the same next predikat as every surface
    if band is None:
        return message_only(
            t("present.path_top", lang, name=ctx.name, predikat=predikat_name(fw, ctx.focus_official["predikat"], lang))
        )
    domains = _official(ctx.year_domains)
    focus = domains[domains["instansi_id"] == ctx.instansi_id]
    values = {r.domain_code: _value(r.value) for r in focus.itertuples()}
    levels = _official_levels(ctx)
    from_levels = len(levels) == len(fw.indicators) and len(levels) > 0
    plan = (
        simulate.goal_seek_from_levels(fw, levels, band.lower)
        if from_levels
        else simulate.goal_seek_from_domains(fw, values, band.lower)
    )
    sources = split_sources([*focus["source_id"], *(ctx.levels["source_id"] if from_levels else []), fw.source_ids])
    target_name = band.name(lang)
    if plan.status == "no_data":
        names = ", ".join(_item_label(fw, code, lang) for code in plan.missing)
        return message_only(
            t(
                "present.path_no_data",
                lang,
                name=ctx.name,
                year=ctx.year,
                missing=names,
                predikat=target_name,
                lower=fmt_num(band.lower, lang),
            ),
            sources,
        )
    if plan.status in ("beyond_headroom", "above_scale"):
        return message_only(t("present.path_beyond", lang, predikat=target_name, maximum=fmt_num(plan.max_index, lang)), sources)
    end_band = plan.end_band
    rows = [
        dict(
            label=t("present.path_now", lang, year=ctx.year),
            value=index,
            predikat=ctx.focus_official["predikat"],
            kind="official",
            source_id=ctx.focus_official["source_id"],
        ),
        dict(
            label=t("present.path_target", lang, predikat=target_name),
            value=band.lower,
            predikat=band.predikat,
            kind="target",
            source_id=fw.source_ids,
        ),
        dict(
            label=t("present.path_after", lang),
            value=plan.end_index,
            predikat=end_band.predikat if end_band else None,
            kind="simulation",
            source_id=";".join(sources),
        ),
    ]
    data = pd.DataFrame(rows)
    data["predikat_name"] = [predikat_name(fw, p, lang) for p in data["predikat"]]
    chart = Chart(
        kind="column",
        categories=tuple(data["label"]),
        series=(
            Series(
                t("common.index", lang),
                tuple(map(_value, data["value"])),
                FOCUS_COLOUR,
                point_colours=tuple(predikat_colour(p) for p in data["predikat"]),
                labels=tuple(f"{fmt_num(v, lang)} · {n}" for v, n in zip(data["value"], data["predikat_name"], strict=True)),
                kind="simulation",
            ),
        ),
        value_title=t("common.index", lang),
        highlight=2,
    )
    if from_levels:
        where = "; ".join(f"{s.key} ({s.from_level} → {s.to_level})" for s in plan.steps)
    else:
        where = "; ".join(f"{_item_label(fw, s.key, lang)} ×{s.steps}" for s in plan.steps)
    if plan.status == "already":
        headline = t("present.path_already", lang, predikat=target_name, value=fmt_num(plan.start_index, lang, 3))
    else:
        headline = t("present.path_headline", lang, steps=plan.total_steps, predikat=target_name, where=where)
    notes = [
        t(
            "present.path_notes_start",
            lang,
            year=ctx.year,
            start=fmt_num(plan.start_index, lang, 3),
            target=fmt_num(band.lower, lang),
            predikat=target_name,
            basis=t("present.path_basis_levels" if from_levels else "present.path_basis_domains", lang),
        )
    ]
    notes += [
        t(
            "present.path_notes_step",
            lang,
            where=_item_label(fw, s.key, lang) if not from_levels else s.key,
            steps=s.steps,
            worth=fmt_num(s.step_worth, lang, 4),
            gain=fmt_delta(s.gain, lang, 3),
        )
        for s in plan.steps
    ]
    notes.append(
        t(
            "present.path_notes_end",
            lang,
            end=fmt_num(plan.end_index, lang, 3),
            predikat=end_band.name(lang) if end_band else t("present.no_predikat", lang),
        )
    )
    message = None
    if not plan.holds_for_every_reading:
        message = t("present.path_uncertain", lang)
        notes.append(message)
    notes.append(label)
    return ctx.slide(
        "next_predikat",
        title,
        headline=headline,
        chart=chart,
        data=data,
        notes=" ".join(notes),
        source_ids=sources,
        message=message,
        label=label,
    )


def slide_opd(ctx: _Context) -> Slide:
    """7: which OPD owns which indicators, and how much index weight each holds (spbe.models.opd)."""
    lang, fw = ctx.lang, ctx.fw
    title = t("present.opd_title", lang, name=ctx.name)
    loaded = ctx.opd_mapping
    if loaded is None or loaded.origin == "none" or loaded.mapping.empty:
        message = t("present.opd_none", lang, framework=framework_label(fw))
        return ctx.slide(
            "opd", title, headline=message, chart=None, data=pd.DataFrame(), notes=message, source_ids=(), message=message
        )
    owners = opd.owner_table(fw, loaded.mapping, _official_levels(ctx) or None)
    summary = opd.opd_summary(owners)
    shown = summary.head(MAX_RANK_ROWS)
    top = float(shown["step_worth_sum"].max())
    step = 0.1 if top <= 1 else 0.5
    chart = Chart(
        kind="bar",
        categories=tuple(shown["opd"].astype(str)),
        series=(
            Series(
                t("present.opd_axis", lang),
                tuple(float(v) for v in shown["step_worth_sum"]),
                "#0072B2",
                labels=tuple(
                    t("present.opd_bar_label", lang, points=fmt_num(v, lang, 3), n=int(n))
                    for v, n in zip(shown["step_worth_sum"], shown["n_indicators"], strict=True)
                ),
            ),
        ),
        value_title=t("present.opd_axis", lang),
        value_range=(0.0, math.ceil(top * 1.5 / step) * step),
        digits=3,
        tick_step=step,
    )
    first = shown.iloc[0]
    headline = t(
        "present.opd_headline",
        lang,
        opd=first["opd"],
        n=int(first["n_indicators"]),
        total=len(owners),
        points=fmt_num(first["step_worth_sum"], lang, 3),
    )
    notes = [
        t(
            "present.opd_notes_item",
            lang,
            opd=r.opd,
            n=int(r.n_indicators),
            indicators=r.indicators,
            points=fmt_num(r.step_worth_sum, lang, 3),
        )
        for r in summary.itertuples()
    ]
    message = None
    if loaded.origin == "default":
        message = t("present.opd_suggested", lang)
        if loaded.problems:
            message += " " + t("present.opd_saved_rejected", lang)
        notes.insert(0, message)
    data = summary[["opd", "n_indicators", "indicators", "step_worth_sum", "points_to_top"]]
    return ctx.slide(
        "opd",
        title,
        headline=headline,
        chart=chart,
        data=data,
        notes=" ".join(notes),
        source_ids=split_sources([fw.source_ids]),
        message=message,
    )


# One builder per slide key, in SLIDE_KEYS order (later_slides: 6 and 7).
BUILDERS = {
    "index": slide_index,
    "trend": slide_trend,
    "change": slide_change,
    "rank": slide_rank,
    "domains": slide_domains,
    "self_vs_official": slide_self_vs_official,
    "next_predikat": slide_next_predikat,
    "opd": slide_opd,
}


class Deck:
    """The storyline's slides built one at a time, when asked for: the page shows one slide, and a slide's
    builder (the goal-seek of slide 6, say) should not run until someone pages to it. Every slide is built by the
    same builder from the same context as in assemble(), so a slide here is the slide of the deck.
    Safe to share between threads: two threads building the same slide at once get equal slides."""

    def __init__(self, frame: Frame, data: StoryData | Callable[[], StoryData]):
        self.frame = frame
        self.instansi_id, self.year, self.lang = frame.instansi_id, frame.year, frame.lang  # deck_pptx.file_name
        self.total = len(SLIDE_KEYS)
        self._data = data
        self._ctx: _Context | None = None
        self._slides: dict[int, Slide] = {}
        self._figures: dict[tuple, object] = {}

    @property
    def data(self) -> StoryData:
        if callable(self._data):
            self._data = self._data()
        return self._data

    @property
    def ctx(self) -> _Context:
        if self._ctx is None:
            self._ctx = _Context(self.frame, self.data)
        return self._ctx

    def slide(self, number: int) -> Slide:
        """Slide `number` (1-based), built on first use."""
        if number not in self._slides:
            self._slides[number] = BUILDERS[SLIDE_KEYS[number - 1]](self.ctx)
        return self._slides[number]

    def figure(self, number: int, large: bool, height: int | None, stretch: bool = False):
        """The slide's screen figure, built once; shared, so whoever draws it must not change it (stretch: the
        presenter-mode figure without a fixed height, which the page would otherwise set on the shared figure)."""
        key = (number, large, height, stretch)
        if key not in self._figures:
            fig = self.slide(number).figure(large=large, height=height)
            if fig is not None:  # on screen only: margins that spare Plotly a second draw (charts.fit_margins)
                fig = fit_margins(fig.update_layout(height=None) if stretch else fig)
            self._figures[key] = fig
        return self._figures[key]

    def storyline(self, today: dt.date | None = None) -> Storyline:
        """The whole deck (every slide built), for the PPTX and PDF files."""
        ctx = self.ctx
        slides = [self.slide(n) for n in range(1, self.total + 1)]
        cited = split_sources([sid for s in slides for sid in s.source_ids])
        sources = self.data.sources.set_index("source_id")
        known = [sid for sid in cited if sid in sources.index]
        table = sources.loc[known, ["title", "publisher", "date"]].reset_index()
        return Storyline(
            self.frame.instansi_id,
            ctx.name,
            self.frame.year,
            self.frame.lang,
            framework_label(ctx.fw),
            ctx.peer_label,
            today or dt.date.today(),
            tuple(slides),
            table,
        )


def assemble(frame: Frame, data: StoryData, today: dt.date | None = None) -> Storyline:
    """The storyline from already loaded data (pure: no store access, no Streamlit)."""
    return Deck(frame, data).storyline(today)


def build_storyline(frame: Frame, today: dt.date | None = None) -> Storyline:
    return assemble(frame, load_story_data(frame), today)


def lazy_deck(frame: Frame) -> Deck:
    """The deck of the frame's view, reading the store only when its first slide is asked for."""
    return Deck(frame, lambda: load_story_data(frame))
