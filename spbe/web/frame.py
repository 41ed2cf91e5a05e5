"""The frame every page calls first: page config, URL state, sidebar (navigation, language, focus
instansi, year, peers, large text). The URL is the source of truth, so a copied link reproduces
the view and a deep link works on a freshly started server (legacy pages/ mechanism, no st.navigation).
"""

from __future__ import annotations

import json
from collections.abc import Container

import streamlit as st

from spbe.core.frameworks import SeedError
from spbe.core.view import DEFAULT_INSTANSI, PEER_LABEL_KEYS, PEER_MODES, THEME_EMBED, THEMES, Frame
from spbe.i18n import DEFAULT_LANG, LANGS, fmt_num, t
from spbe.models.focus import ALL_GROUP, official_years, picker_lists
from spbe.models.pages import BY_KEY, PAGES
from spbe.safe_text import md_escape
from spbe.store import db
from spbe.store.build import ensure_db
from spbe.web import widget_text


class PageFrame(Frame):
    """The view as a page holds it: the Frame plus the page's warning for its own URL parameters."""

    def warn_bad_param(self, name: str, value, expected: str, default: str) -> None:
        """The frame's own warning for a page-specific URL parameter that failed validation."""
        _warn(self.lang, name, str(value), expected, default)


def _warn(lang: str, name: str, value: str, expected: str, default: str) -> None:
    # name, value and default come from the URL: escaped so a link or image in them shows as typed text
    st.warning(
        t(
            "frame.bad_param",
            lang,
            name=md_escape(str(name)[:40]),
            value=md_escape(str(value)[:80]),
            expected=expected,
            default=md_escape(default),
        ),
        icon=":material/warning:",
    )


def read_url(qp, ids: Container[str], years: list[int]) -> tuple[dict, list[tuple]]:
    """Validate the URL parameters; return clean values and a list of problems to show."""
    problems = []
    raw_lang = qp.get("lang", DEFAULT_LANG)
    lang = raw_lang if raw_lang in LANGS else DEFAULT_LANG
    if raw_lang not in LANGS:
        problems.append(("lang", raw_lang, t("frame.expected_lang", lang), DEFAULT_LANG))
    raw_inst = qp.get("instansi", DEFAULT_INSTANSI)
    inst = raw_inst if raw_inst in ids else DEFAULT_INSTANSI
    if raw_inst not in ids:
        problems.append(("instansi", raw_inst, t("frame.expected_instansi", lang), DEFAULT_INSTANSI))
    latest = max(years)
    focus_years = official_years(inst)
    default_year = max(focus_years) if focus_years else latest
    raw_year = qp.get("tahun", str(default_year))
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else default_year
    if not (raw_year.isdigit() and int(raw_year) in years):
        problems.append(("tahun", raw_year, t("frame.expected_year", lang, first=min(years), last=latest), str(default_year)))
    raw_peer = qp.get("peer", "provinsi")
    peer = raw_peer if raw_peer in PEER_MODES else "provinsi"
    if raw_peer not in PEER_MODES:
        problems.append(("peer", raw_peer, t("frame.expected_peer", lang), "provinsi"))
    raw_peers = [p for p in qp.get("peers", "").split(",") if p]
    peers = [p for p in raw_peers if p in ids]
    unknown = [p for p in raw_peers if p not in ids]
    if unknown:
        problems.append(("peers", ",".join(unknown), t("frame.expected_peers", lang), t("frame.peers_known_only", lang)))
    large = qp.get("besar", "0") == "1"
    raw_theme = qp.get("tema", "")
    theme = raw_theme if raw_theme in THEMES else ""
    if raw_theme and raw_theme not in THEMES:
        problems.append(("tema", raw_theme, t("widgets.expected_theme", lang), t("widgets.theme_system", lang)))
    clean = dict(lang=lang, instansi_id=inst, year=year, peer_mode=peer, peer_ids=peers, large=large, theme=theme)
    return clean, problems


LARGE_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] > p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.35rem; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.3rem !important; }
</style>
"""


# On a touch screen Plotly's mode bar covers the chart and its buttons are too small to hit: hidden there
# (the chart's data and downloads are under every chart).
TOUCH_CSS = """
<style>
@media (pointer: coarse) { .modebar, .modebar-container { display: none !important; } }
</style>
"""


def _group_label(group: str, lang: str, total: int) -> str:
    if group == ALL_GROUP:
        return t("frame.group_all", lang, n=fmt_num(total, lang, digits=0))
    return group or t("frame.group_central", lang)


def page_frame(page_key: str) -> Frame:
    """Call first on every page: sets the page up and returns the validated view state."""
    spec = BY_KEY[page_key]
    lang_guess = st.query_params.get("lang", DEFAULT_LANG)
    lang_guess = lang_guess if lang_guess in LANGS else DEFAULT_LANG
    st.set_page_config(
        page_title=f"{t(spec.title_key, lang_guess)} · {t('app.name', lang_guess)}",
        page_icon=":material/analytics:",
        layout="wide",
    )
    try:
        ensure_db()
    except SeedError as err:  # e.g. seeds edited so that an applied import no longer validates
        st.error(t("frame.store_error", lang_guess, error=str(err)), icon=":material/error:")
        st.stop()
    db.pin_store()  # this whole run reads one version of the store, even if an import switches it meanwhile
    picker = picker_lists()
    years = sorted(int(y) for y in db.run("evaluation_years")["year"])
    clean, problems = read_url(st.query_params, picker.rows, years)
    lang = clean["lang"]

    sb = st.sidebar
    sb.markdown(f"**{t('app.name', lang)}**")
    sb.caption(t("app.tagline", lang))
    chosen = (
        sb.segmented_control(
            t("frame.language", lang),
            options=list(LANGS),
            default=lang,
            key="frame_lang",
            format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code],
        )
        or lang
    )
    if chosen != lang:
        # Everything above (tab title, labels) was drawn in the old language: redraw it all at once.
        st.query_params["lang"] = chosen
        st.rerun()
    labels = picker.labels
    # The focus is chosen in two steps, its province (or the central government) and then the instansi in it:
    # a list of a few dozen names answers a click as fast as the stack's floor, where one list of every
    # instansi (683, and ten times that in the load tests) made each pick wait. "All" keeps a search over all.
    own_group = picker.group_of[clean["instansi_id"]]
    groups = [ALL_GROUP, *picker.members]
    group = sb.selectbox(
        t("frame.group", lang),
        groups,
        index=groups.index(own_group),
        format_func=lambda g: _group_label(g, lang, len(picker.options)),
        key="frame_group",
        placeholder=t("widgets.choose_one", lang),
    )
    options = picker.options if group == ALL_GROUP else picker.members[group]
    # After a change of province the focus is that province's own government (or its first instansi): a new
    # list never keeps a focus that is not in it.
    index = options.index(clean["instansi_id"]) if clean["instansi_id"] in options else picker.lead[group]
    inst = sb.selectbox(
        t("frame.instansi", lang),
        options,
        index=index,
        format_func=labels.__getitem__,
        key="frame_instansi",
        placeholder=t("widgets.search_instansi", lang),
    )
    year = sb.selectbox(
        t("frame.year", lang),
        years[::-1],
        index=years[::-1].index(clean["year"]),
        key="frame_year",
        placeholder=t("widgets.choose_one", lang),
    )
    peer_mode = sb.radio(
        t("frame.peers", lang),
        PEER_MODES,
        index=PEER_MODES.index(clean["peer_mode"]),
        format_func=lambda m: t(PEER_LABEL_KEYS[m], lang),
        key=f"frame_peer_{lang}",
    )  # the radio keeps its label text as state: one per language
    peer_ids = clean["peer_ids"]
    if peer_mode == "pilih":
        peer_ids = sb.multiselect(
            t("frame.peers_list", lang),
            options,
            default=peer_ids,
            format_func=labels.__getitem__,
            key="frame_peers",
            placeholder=t("widgets.choose_peers", lang),
            select_all=False,  # no English "Select all" / "Select 2 matches" bulk option
        )
    large = sb.toggle(t("frame.large", lang), value=clean["large"], key="frame_large")
    theme = (
        sb.segmented_control(
            t("widgets.theme", lang),
            options=["", *THEMES],
            default=clean["theme"],
            key="frame_theme",
            format_func=lambda code: t(f"widgets.theme_{code or 'system'}", lang),
        )
        or ""
    )

    frame = PageFrame(
        page_key,
        lang,
        inst,
        int(year),
        peer_mode,
        list(peer_ids),
        large,
        instansi=dict(picker.rows[inst]),
        years=years,
        theme=theme,
    )
    # Page-specific parameters (e.g. ?slide=3) are the page's to validate: keep them as they are.
    frame_keys = {"lang", "instansi", "tahun", "peer", "peers", "besar", "tema"}
    # Only the frame's own keys are written: a page's open tab (?bagian=) is bound to its widget and may not be set.
    wanted, current = frame.url_params(), dict(st.query_params)
    changed = {k: v for k, v in wanted.items() if current.get(k) != v}
    if changed:
        st.query_params.update(changed)
    for k in frame_keys & current.keys() - wanted.keys():
        del st.query_params[k]

    sb.divider()
    sb.caption(t("frame.navigation", lang))
    for page in PAGES:
        sb.page_link(page.script, label=t(page.title_key, lang), icon=page.icon, query_params=frame.url_params())
    st.html(TOUCH_CSS)
    if large:
        st.html(LARGE_CSS)
    _apply_theme(theme)
    translator = widget_text.translator_html(lang)  # Streamlit's own English widget texts, in the language
    if translator:
        sb.html(translator, unsafe_allow_javascript=True)
    for name, value, expected, default in problems:
        _warn(lang, name, value, expected, default)
    return frame


THEME_RELOAD_JS = """<script>
(() => {
  const wanted = %s;
  const entry = performance.getEntriesByType("navigation")[0];
  const loaded = new URL(entry ? entry.name : window.location.href);  // the URL this page was loaded with
  if ((loaded.searchParams.get("embed_options") || "") === wanted) return;  // already applied: no loop
  const url = new URL(window.location.href);
  if (wanted) url.searchParams.set("embed_options", wanted); else url.searchParams.delete("embed_options");
  window.location.replace(url.toString());
})();
</script>"""


def _apply_theme(theme: str) -> None:
    """Streamlit picks its theme when the page loads: a theme chosen here (or in ?tema=) that is not the one
    showing reloads the page once with Streamlit's own URL switch (?embed_options=dark_theme)."""
    showing = getattr(getattr(st.context, "theme", None), "type", None)
    wanted = {"terang": "light", "gelap": "dark"}.get(theme)
    if wanted is not None and showing == wanted:
        return
    # back to the system setting, or a theme not showing yet: the script reloads only if the load URL differs
    st.sidebar.html(THEME_RELOAD_JS % json.dumps(THEME_EMBED.get(theme, "")), unsafe_allow_javascript=True)
