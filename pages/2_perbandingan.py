"""Perbandingan: the peer ranking, the change between two rounds, domains, the national distribution and
the Banten tile map. Layout only; logic in spbe/compare.py and spbe/tilemap.py."""

import html

import streamlit as st

from spbe import compare, db, gap_charts, gaps, tilemap
from spbe.charts import distribution_figure, domain_heatmap_figure, dumbbell_figure, ranking_figure, tile_map_figure
from spbe.export import csv_bytes
from spbe.frame import instansi_table, page_frame
from spbe.frameworks import framework_for_year
from spbe.i18n import fmt_delta, fmt_num, t
from spbe.safe_text import md_escape
from spbe.ui import chart_block

frame = page_frame("perbandingan")
lang, year, focus_id = frame.lang, frame.year, frame.instansi_id
focus = frame.instansi
province = compare.province_of(focus)
st.title(f"{frame.t('page.perbandingan')}: {frame.name}")

instansi = instansi_table()
peer_ids = compare.peer_set(frame, instansi)
category_plural = frame.t(f"overview.plural_{focus['category']}")
if frame.peer_mode == "provinsi":
    peers_text = frame.t("compare.peers_province", province=province) if province else frame.t("compare.peers_pusat")
elif frame.peer_mode == "kategori":
    peers_text = frame.t("compare.peers_category", category=category_plural)
else:
    peers_text = frame.t("compare.peers_custom")
if not frame.large:
    st.caption(html.escape(frame.t("compare.intro", name=frame.name, peers=peers_text, year=year, category=category_plural)))

rows_by_year = {y: db.run("index_by_year", year=y) for y in frame.years}
year_rows = rows_by_year[year]
names = instansi.set_index("instansi_id")["instansi_name"].to_dict()

# -- ranking -------------------------------------------------------------------------------------
st.subheader(frame.t("compare.ranking_title", year=year))
ranking = compare.peer_ranking(year_rows, peer_ids)
missing_names = ", ".join(names[i] for i in ranking.missing_ids[:12]) + (" …" if len(ranking.missing_ids) > 12 else "")
shown = compare.ranking_window(ranking.table, focus_id)
if ranking.count == 0:
    st.info(frame.t("compare.ranking_none", year=year))
else:
    if not ranking.complete_enough:
        st.warning(
            frame.t("compare.coverage_low", have=ranking.count, total=ranking.peer_count, year=year, missing=missing_names)
        )
    elif ranking.missing_ids and not frame.large:
        st.caption(
            html.escape(
                frame.t("compare.coverage_some_missing", count=len(ranking.missing_ids), year=year, missing=missing_names)
            )
        )
    if ranking.rank_of(focus_id) is None:
        st.info(frame.t("compare.focus_missing", name=frame.name, year=year))
    if len(shown) < ranking.count:
        st.caption(frame.t("compare.window_note", n=ranking.count, name=frame.name, shown=len(shown)))
    peer_mean = compare.plain_mean(ranking.table)
    peer_label = (
        frame.t("compare.avg_peer_province", province=province)
        if frame.peer_mode == "provinsi" and province
        else frame.t("compare.avg_peer_set")
    )
    national_avg = compare.national_category_average(db.run("category_averages", year=year), focus["category"])
    averages = [(peer_label, peer_mean)]
    if national_avg:
        averages.append((frame.t("compare.avg_national", category=category_plural), national_avg.value))
    fig = ranking_figure(shown, focus_id, averages, lang, frame.large)
    sources = [*shown["source_id"], *(national_avg.source_ids if national_avg else ())]
    chart_block(fig, compare.ranking_table_for_display(shown, lang), sources, lang, key=f"banding_rank_{focus_id}_{year}")
    if not frame.large:
        if national_avg:
            st.caption(
                frame.t("compare.avg_note", n=ranking.count, category=category_plural, year=year, detail=national_avg.detail)
            )
        else:
            st.caption(frame.t("compare.avg_note_no_national", n=ranking.count, category=category_plural, year=year))
        mixed = {"provinsi"} < set(ranking.table["category"])  # a province among kabupaten/kota
        st.caption(frame.t("compare.ranking_policy") + (" " + frame.t("compare.ranking_policy_province") if mixed else ""))

# -- change between two rounds -----------------------------------------------------------------
coverage = compare.coverage_by_year(rows_by_year, peer_ids)
# A change is shown only between two rounds of the same framework (never across a framework break).
framework_id = framework_for_year(year).framework_id
same_framework = [y for y in frame.years if framework_for_year(y).framework_id == framework_id]
before = compare.previous_round(same_framework, year, coverage)
earlier = compare.previous_round(frame.years, year, coverage)
if before is None or not ranking.complete_enough:
    st.subheader(frame.t("compare.change_title", before="…", after=year))
    if earlier is not None and before is None:
        st.info(frame.t("compare.change_framework_break", year=year, before=earlier))
    else:
        st.info(frame.t("compare.change_none", year=year))
else:
    st.subheader(frame.t("compare.change_title", before=before, after=year))
    changes = compare.rank_changes(rows_by_year[before], year_rows, peer_ids)
    changes_shown = changes[changes["instansi_id"].isin(set(shown["instansi_id"]) | {focus_id})]
    fig = dumbbell_figure(changes_shown, focus_id, before, year, lang, frame.large)
    sources = [*rows_by_year[before].loc[rows_by_year[before]["instansi_id"].isin(peer_ids), "source_id"], *shown["source_id"]]
    chart_block(
        fig,
        compare.changes_table_for_display(changes_shown, before, year, lang),
        sources,
        lang,
        key=f"banding_change_{focus_id}_{before}_{year}",
    )
    if not frame.large:
        st.caption(frame.t("compare.change_note", before=before, after=year))

# -- domains -----------------------------------------------------------------------------------
domain_rows = db.run("domain_by_year", year=year)
order = list(shown["instansi_id"]) if ranking.count else []
matrix = compare.domain_matrix(domain_rows, order)
if not matrix.empty:
    st.subheader(frame.t("compare.heatmap_title", year=year))
    fw = framework_for_year(year)
    domain_names = {d.code: d.name(lang) for d in fw.top_level}
    held = domain_rows[domain_rows["instansi_id"].isin(order)]
    notes = {(r.instansi_id, r.domain_code): r.note for r in held.itertuples() if isinstance(r.note, str) and r.note}
    fig = domain_heatmap_figure(matrix, names, domain_names, focus_id, notes, lang, frame.large)
    heat_table = matrix.reset_index().rename(columns={"instansi_id": frame.t("compare.col_name")})
    heat_table[frame.t("compare.col_name")] = heat_table[frame.t("compare.col_name")].map(names)
    chart_block(fig, heat_table, held["source_id"].tolist(), lang, key=f"banding_domain_{focus_id}_{year}")
    if not frame.large:
        st.caption(frame.t("compare.heatmap_note"))

# -- indicator levels: the focus against its peers, and learn from a neighbour --------------------------
focus_levels = db.run("indicator_levels", instansi_id=focus_id)
level_basis = gaps.level_basis(focus_levels, year, "official")
if level_basis is not None:
    level_year, level_fw = level_basis.year, level_basis.framework
    year_levels = db.run("year_official_levels", year=level_year)
    with_levels = set(year_levels["instansi_id"])
    level_ranking = compare.peer_ranking(rows_by_year.get(level_year, year_rows.iloc[0:0]), peer_ids)
    order, windowed = compare.level_heatmap_order(level_ranking.table, focus_id, peer_ids, with_levels)
    level_matrix = compare.peer_level_matrix(level_fw, year_levels, order)
    st.subheader(frame.t("compare.levels_title", name=frame.name, year=level_year))
    if not level_basis.same_year:
        st.info(frame.t("compare.levels_other_year", year=year, basis=level_year), icon=":material/info:")
    fig = gap_charts.peer_level_heatmap_figure(
        level_matrix, level_fw, names, focus_id, frame.t("compare.level"), lang, frame.large
    )
    level_table = (
        level_matrix.rename(columns=names).reset_index().rename(columns={"indicator_code": frame.t("compare.col_indicator")})
    )
    level_sources = year_levels.loc[year_levels["instansi_id"].isin(order), "source_id"].dropna().unique().tolist()
    chart_block(fig, level_table, level_sources, lang, key=f"banding_levels_{focus_id}_{level_year}_{frame.peer_mode}")
    no_levels = [names.get(p, p) for p in peer_ids if p not in with_levels]
    if not frame.large:
        note = frame.t("compare.levels_note")
        if windowed:
            note += " " + frame.t(
                "compare.levels_window", n=len([p for p in peer_ids if p in with_levels]), shown=len(level_matrix.columns)
            )
        if no_levels:
            note += " " + frame.t(
                "compare.levels_missing",
                year=level_year,
                missing=", ".join(no_levels[:12]) + (" …" if len(no_levels) > 12 else ""),
            )
        st.caption(html.escape(note))

    # learn from a neighbour
    learn = compare.learn_from_neighbours(level_fw, year_levels, focus_id, [p for p in peer_ids if p != focus_id], names)
    st.subheader(frame.t("compare.learn_title", year=level_year))
    st.markdown(frame.t("compare.learn_rule", name=md_escape(frame.name), low=compare.LOW_LEVEL_MAX))
    if learn.empty:
        st.info(frame.t("compare.learn_none", name=frame.name, year=level_year), icon=":material/info:")
    else:
        shown_rows = learn.head(10)
        header = [
            frame.t("compare.col_indicator"),
            md_escape(frame.name),
            frame.t("compare.col_best"),
            frame.t("compare.col_gain"),
            frame.t("compare.col_higher_peers"),
        ]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for r in shown_rows.itertuples():
            peers_text = ", ".join(f"{md_escape(n)} ({lv})" for _, n, lv in r.peers[:5])
            if len(r.peers) > 5:
                peers_text += " " + frame.t("compare.learn_more", n=len(r.peers) - 5)
            lines.append(
                f"| {md_escape(gaps.short_indicator_name(level_fw, r.indicator_code, lang))} ({r.domain_code}) "
                f"| {r.focus_level} | {r.best_level} | {fmt_delta(r.points_to_best, lang, 3)} | {peers_text} |"
            )
        st.markdown("\n".join(lines))
        st.caption(frame.t("compare.learn_note", n=len(learn), shown=len(shown_rows), name=frame.name))
        long = compare.neighbour_long_table(learn)
        long.insert(1, "indicator_name", [level_fw.item("indicator", c).name(lang) for c in long["indicator_code"]])
        long = long.drop(columns="instansi_id").rename(
            columns={
                "indicator_code": frame.t("compare.col_indicator"),
                "indicator_name": frame.t("compare.col_indicator_name"),
                "aspect_code": frame.t("compare.col_aspect"),
                "domain_code": frame.t("compare.col_domain"),
                "focus_level": frame.t("compare.col_focus_level", name=frame.name),
                "instansi_name": frame.t("compare.col_name"),
                "peer_level": frame.t("compare.level"),
                "points_at_peer_level": frame.t("compare.col_gain_at_peer"),
            }
        )
        with st.expander(frame.t("compare.learn_all", n=len(learn))):
            st.dataframe(long, hide_index=True)
        st.download_button(
            t("common.download_csv", lang),
            csv_bytes(long),
            file_name=f"banding_learn_{focus_id}_{level_year}.csv",
            mime="text/csv",
            key=f"csv_banding_learn_{focus_id}_{level_year}",
            icon=":material/download:",
        )

# -- national distribution of the focus's category ---------------------------------------------
group = compare.category_rows(year_rows, focus["category"])
cat_ranking = compare.peer_ranking(year_rows, list(instansi.loc[instansi["category"] == focus["category"], "instansi_id"]))
st.subheader(frame.t("compare.distribution_title", name=frame.name, category=category_plural, year=year))
if not cat_ranking.complete_enough:
    st.info(
        frame.t(
            "compare.distribution_low", year=year, have=cat_ranking.count, total=cat_ranking.peer_count, category=category_plural
        )
    )
else:
    pct = compare.percentile_in_group(group, focus_id)
    focus_row = group[group["instansi_id"] == focus_id]
    national_avg = compare.national_category_average(db.run("category_averages", year=year), focus["category"])
    fig = distribution_figure(
        group,
        focus_row.iloc[0] if len(focus_row) else None,
        f"{frame.name} {fmt_num(focus_row['indeks'].iloc[0], lang)}" if len(focus_row) else None,
        (frame.t("compare.avg_national", category=category_plural), national_avg.value) if national_avg else None,
        lang,
        frame.large,
    )
    dist_table = compare.ranking_table_for_display(cat_ranking.table, lang)
    chart_block(
        fig,
        dist_table,
        [*group["source_id"], *(national_avg.source_ids if national_avg else ())],
        lang,
        key=f"banding_dist_{focus['category']}_{year}",
    )
    if pct:
        st.caption(
            html.escape(
                frame.t(
                    "compare.distribution_caption",
                    n=pct.n,
                    category=category_plural,
                    year=year,
                    name=frame.name,
                    value=fmt_num(focus_row["indeks"].iloc[0], lang),
                    rank=pct.rank,
                    pct=fmt_num(pct.percentile, lang, 0),
                )
            )
        )
    else:
        st.caption(html.escape(frame.t("compare.distribution_no_focus", name=frame.name, year=year)))

# -- tile map ----------------------------------------------------------------------------------
tiles = tilemap.positions_for(province, set(names))
if tiles is None:
    where = frame.t("compare.tile_where_province", province=province) if province else frame.t("compare.tile_where_pusat")
    if not frame.large:
        st.info(frame.t("compare.tile_unavailable", name=frame.name, where=where))
        st.page_link(
            "pages/2_perbandingan.py",
            label=frame.t("compare.tile_example"),
            icon=":material/grid_view:",
            query_params=frame.url_params(instansi="kota-cilegon", peer="provinsi"),
        )
else:
    st.subheader(frame.t("compare.tile_title", province=province, year=year))
    table = tilemap.tile_table(tiles, year_rows, instansi)
    fig = tile_map_figure(table, focus_id, lang, frame.large, wrap=tilemap.wrap_name)
    tile_data = table.rename(
        columns={
            "instansi_name": frame.t("compare.col_name"),
            "indeks": frame.t("common.index"),
            "predikat": frame.t("common.predikat"),
            "source_id": frame.t("common.source"),
            "col": frame.t("compare.col_col"),
            "row": frame.t("compare.col_row"),
        }
    )
    tile_data = tile_data.drop(columns=["instansi_id", "group", "category"])
    chart_block(fig, tile_data, table["source_id"].dropna().tolist(), lang, key=f"banding_tiles_{province}_{year}")
    if not frame.large:
        st.caption(frame.t("compare.tile_note", year=year))
