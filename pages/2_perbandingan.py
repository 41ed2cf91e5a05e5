"""Perbandingan: the peer ranking, the change between two rounds, domains, the national distribution and
the Banten tile map. Layout over spbe.models.compare's page model (load_compare_view) and spbe/charts/tilemap.py."""

import html

import streamlit as st

from spbe.charts import distribution_figure, domain_heatmap_figure, dumbbell_figure, ranking_figure, tile_map_figure
from spbe.charts.gap_charts import peer_level_heatmap_figure
from spbe.charts.tilemap import positions_for, tile_table, wrap_name
from spbe.i18n import fmt_num
from spbe.models import compare
from spbe.models.tables import readable
from spbe.safe_text import md_escape
from spbe.web.frame import page_frame
from spbe.web.ui import cached_figure, cached_model, chart_block, lazy_expander, section_tabs, table_downloads, term_strip

frame = page_frame("perbandingan")
lang, year, focus_id = frame.lang, frame.year, frame.instansi_id
focus = frame.instansi
province = compare.province_of(focus)
st.title(f"{frame.t('page.perbandingan')}: {frame.name}")
term_strip(frame)  # each term's first use links to its glossary entry

category_plural = frame.t(f"overview.plural_{focus['category']}")
peers_text = compare.peers_text(frame.peer_mode, province, category_plural, lang)
if not frame.large:
    st.caption(html.escape(frame.t("compare.intro", name=frame.name, peers=peers_text, year=year, category=category_plural)))
view = cached_model(frame, "compare", lambda: compare.load_compare_view(frame), big=True)
names, peer_ids, year_rows, ranking, shown = view.names, view.peer_ids, view.year_rows, view.ranking, view.shown
national_avg = view.national_avg
national_line = (frame.t("compare.avg_national", category=category_plural), national_avg.value) if national_avg else None
national_sources = national_avg.source_ids if national_avg else ()
mean_note = compare.printed_mean_note(national_avg, view.category_rows, year, lang)  # printed mean ≠ mean of the rows


def show_ranking():  # the peer ranking
    st.subheader(frame.t("compare.ranking_title", year=year))
    missing = view.missing_names()
    if ranking.count == 0:
        st.info(frame.t("compare.ranking_none", year=year))
    else:
        if not ranking.complete_enough:
            st.warning(frame.t("compare.coverage_low", have=ranking.count, total=ranking.peer_count, year=year, missing=missing))
        elif ranking.missing_ids and not frame.large:
            text = frame.t("compare.coverage_some_missing", count=len(ranking.missing_ids), year=year, missing=missing)
            st.caption(html.escape(text))
        if ranking.rank_of(focus_id) is None:
            st.info(frame.t("compare.focus_missing", name=frame.name, year=year))
        if len(shown) < ranking.count:
            st.caption(frame.t("compare.window_note", n=ranking.count, name=frame.name, shown=len(shown)))
        peer_avg = view.peer_average  # core.peer_average: the other peers, the focus excluded
        averages = [(peer_avg.label(lang), peer_avg.value)] if peer_avg.value is not None else []
        lines = averages + ([national_line] if national_line else [])
        fig = cached_figure(frame, "ranking", lambda: ranking_figure(shown, focus_id, lines, lang, frame.large))
        sources = [*shown["source_id"], *national_sources]
        chart_block(fig, compare.ranking_table_for_display(shown, lang), sources, lang, key=f"banding_rank_{focus_id}_{year}")
        if not frame.large:
            n, cat = peer_avg.count, category_plural
            if national_avg:
                st.caption(frame.t("compare.avg_note", n=n, category=cat, year=year, detail=national_avg.detail_in(lang)))
            else:
                st.caption(frame.t("compare.avg_note_no_national", n=n, category=cat, year=year))
            if mean_note:
                st.caption(html.escape(mean_note))
            mixed = {"provinsi"} < set(ranking.table["category"])  # a province among kabupaten/kota
            st.caption(frame.t("compare.ranking_policy") + (" " + frame.t("compare.ranking_policy_province") if mixed else ""))


def show_change():  # change between two rounds (same framework only)
    before, earlier = compare.change_rounds(view, frame.years, year)
    if before is None or not ranking.complete_enough:
        st.subheader(frame.t("compare.change_title", before="…", after=year))
        if earlier is not None and before is None:
            st.info(frame.t("compare.change_framework_break", year=year, before=earlier))
        else:
            st.info(frame.t("compare.change_none", year=year))
    else:
        st.subheader(frame.t("compare.change_title", before=before, after=year))
        rows_before = view.rows_by_year[before]
        changes = compare.rank_changes(rows_before, year_rows, peer_ids)
        changes_shown = changes[changes["instansi_id"].isin(set(shown["instansi_id"]) | {focus_id})]
        fig = dumbbell_figure(changes_shown, focus_id, before, year, lang, frame.large)
        sources = [*rows_before.loc[rows_before["instansi_id"].isin(peer_ids), "source_id"], *shown["source_id"]]
        table = compare.changes_table_for_display(changes_shown, before, year, lang)
        chart_block(fig, table, sources, lang, key=f"banding_change_{focus_id}_{before}_{year}")
        if not frame.large:
            st.caption(frame.t("compare.change_note", before=before, after=year))


def show_domains():  # the domain values of the focus and its peers
    heat = compare.domain_heat(view, year, lang)
    if not heat.matrix.empty:
        st.subheader(frame.t("compare.heatmap_title", year=year))
        fig = domain_heatmap_figure(heat.matrix, names, heat.domain_names, focus_id, heat.notes, lang, frame.large)
        chart_block(fig, heat.table, heat.sources, lang, key=f"banding_domain_{focus_id}_{year}")
        if not frame.large:
            st.caption(frame.t("compare.heatmap_note"))


def show_levels():  # indicator levels: the focus against its peers, and learn from a neighbour
    levels = compare.peer_levels(view, focus_id, lang)
    if levels is not None:
        st.subheader(frame.t("compare.levels_title", name=frame.name, year=levels.year))
        if not view.level_basis.same_year:
            st.info(frame.t("compare.levels_other_year", year=year, basis=levels.year), icon=":material/info:")
        label = frame.t("compare.level")
        fig = peer_level_heatmap_figure(levels.matrix, levels.fw, names, focus_id, label, lang, frame.large)
        key = f"banding_levels_{focus_id}_{levels.year}_{frame.peer_mode}"
        chart_block(fig, levels.table, levels.sources, lang, key=key)
        if not frame.large:
            st.caption(html.escape(levels.note))

        learn = levels.learn
        st.subheader(frame.t("compare.learn_title", year=levels.year))
        st.markdown(frame.t("compare.learn_rule", name=md_escape(frame.name), low=compare.LOW_LEVEL_MAX))
        if learn.empty:
            st.info(frame.t("compare.learn_none", name=frame.name, year=levels.year), icon=":material/info:")
        else:
            st.markdown(compare.learn_markdown(learn, levels.fw, frame.name, lang))
            st.caption(frame.t("compare.learn_note", n=len(learn), shown=min(10, len(learn)), name=frame.name))
            long = compare.learn_table(learn, levels.fw, frame.name, lang)
            with lazy_expander(frame.t("compare.learn_all", n=len(learn)), key=f"learn_{focus_id}_{levels.year}") as open_:
                if open_:
                    st.dataframe(readable(long, lang), hide_index=True)
                    table_downloads(long, lang, key=f"banding_learn_{focus_id}_{levels.year}")


def show_distribution():  # national distribution of the focus's category
    group, cat_ranking = view.category_rows, view.category_ranking
    st.subheader(frame.t("compare.distribution_title", name=frame.name, category=category_plural, year=year))
    if not cat_ranking.complete_enough:
        have, total = cat_ranking.count, cat_ranking.peer_count
        st.info(frame.t("compare.distribution_low", year=year, have=have, total=total, category=category_plural))
    else:
        focus_row = group[group["instansi_id"] == focus_id]
        focus_label = f"{frame.name} {fmt_num(focus_row['indeks'].iloc[0], lang)}" if len(focus_row) else None
        focus_point = focus_row.iloc[0] if len(focus_row) else None
        fig = distribution_figure(group, focus_point, focus_label, national_line, lang, frame.large)
        dist_table = compare.ranking_table_for_display(cat_ranking.table, lang)
        sources = [*group["source_id"], *national_sources]
        chart_block(fig, dist_table, sources, lang, key=f"banding_dist_{focus['category']}_{year}")
        st.caption(html.escape(compare.distribution_caption(view, focus_id, frame.name, category_plural, year, lang)))
        if mean_note and not frame.large:
            st.caption(html.escape(mean_note))


def show_tiles():  # the province's tile map
    tiles = positions_for(province, set(names))
    if tiles is None:
        where = frame.t("compare.tile_where_province", province=province) if province else frame.t("compare.tile_where_pusat")
        if not frame.large:
            st.info(frame.t("compare.tile_unavailable", name=frame.name, where=where))
            example = frame.url_params(instansi="kota-cilegon", peer="provinsi")
            label = frame.t("compare.tile_example")
            st.page_link("pages/2_perbandingan.py", label=label, icon=":material/grid_view:", query_params=example)
    else:
        st.subheader(frame.t("compare.tile_title", province=province, year=year))
        table = tile_table(tiles, year_rows, view.instansi)
        fig = tile_map_figure(table, focus_id, lang, frame.large, wrap=wrap_name)
        sources = table["source_id"].dropna().tolist()
        chart_block(fig, compare.tile_display(table, lang), sources, lang, key=f"banding_tiles_{province}_{year}")
        if not frame.large:
            st.caption(frame.t("compare.tile_note", year=year))


# -- the sections, one tab each: only the open one is drawn (?bagian= in the URL names it) ---------------
parts = {"compare.tab_ranking": show_ranking, "compare.tab_change": show_change, "compare.tab_domains": show_domains}
parts |= {"compare.tab_levels": show_levels} if view.level_basis is not None else {}  # levels of the year or before
section_tabs(lang, "bagian", parts | {"compare.tab_distribution": show_distribution, "compare.tab_tiles": show_tiles})
