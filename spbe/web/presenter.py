"""The Presentasi page's controls: presenter mode in and out (buttons and Esc), the slide toolbar, the
speaker's-view link and the deck downloads. Streamlit widgets only; the slides come from spbe.presentation.storyline."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import streamlit as st
import streamlit.components.v1 as components

from spbe.models.opd import mapping_stamp
from spbe.presentation.deck_pdf import MIME as PDF_MIME
from spbe.presentation.deck_pdf import deck_pdf
from spbe.presentation.deck_pptx import MIME as PPTX_MIME
from spbe.presentation.deck_pptx import deck_pptx, file_name
from spbe.presentation.storyline import Deck, lazy_deck
from spbe.web.ui import view_key

PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .stButton, .stDownloadButton { display: none !important; }
}
.st-key-slide_toolbar button p { white-space: nowrap; }
</style>"""
# The room sees the slide only: no side panel, no app header; sized for 1280x720 and up.
PRESENTER_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.5rem 0 1.5rem !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem !important; }
[data-testid="stMain"] h1 { font-size: 2rem !important; padding: 0.1rem 0 0 0 !important; line-height: 1.2 !important; }
[data-testid="stMain"] h3 { font-size: 1.35rem !important; padding: 0 0 0.2rem 0 !important; line-height: 1.3 !important; }
.st-key-slide_toolbar button { min-height: 2.2rem !important; padding: 0.2rem 0.8rem !important; }
</style>"""
# Esc leaves presenter mode: it presses the exit button (a real rerun that drops ?presentasi=1);
# if the button is not there yet, it loads the same URL without the parameter.
ESC_SCRIPT = """<script>
const P = window.parent;
if (P.__spbeEscape) { P.document.removeEventListener("keydown", P.__spbeEscape, true); }
P.__spbeEscape = function (event) {
  if (event.key !== "Escape") { return; }
  const exit = P.document.querySelector(".st-key-present_exit button");
  if (exit) { exit.click(); return; }
  const url = new URL(P.location.href);
  if (url.searchParams.get("presentasi") === "1") { url.searchParams.delete("presentasi"); P.location.assign(url.toString()); }
};
P.document.addEventListener("keydown", P.__spbeEscape, true);
</script>"""


# A deck holds the year's tables of its view (a few MB at x10 scale): a bounded number are kept.
@st.cache_resource(max_entries=24, show_spinner=False)
def _deck(key: tuple, mapping: str | None, _frame) -> Deck:
    return lazy_deck(_frame)


def deck(frame) -> Deck:
    """The view's deck (view_key), shared by every session and run: a slide and its figure are built once, when
    first shown, and the whole deck only when a file is asked for. Whoever gets a slide or figure must not change it.
    The saved OPD mapping (slide 7) is part of the key: a save on the OPD page is seen at once."""
    return _deck(view_key(frame), mapping_stamp(frame.instansi_id), frame)


def stage_css(large: bool, banner: bool) -> str:
    """The slide chart's box in presenter mode: the viewport's height less what sits above and below the chart
    (title, headline, message, source; more with projector text or an illustration banner), so the chart is
    440 px at 1280x720 and grows with a 1920x1080 projector without ever leaving the screen."""
    chrome = 280 + (40 if large else 0) + (50 if banner else 0)
    return f"<style>.st-key-slide_stage {{ flex: 0 0 auto !important; height: max(240px, calc(100vh - {chrome}px)) !important; }}</style>"


# The room's tab and the speaker's view follow each other: every Presentasi tab of the same deck (focus and
# year) announces its slide on a BroadcastChannel (same browser, no server round trip); a tab on another slide
# presses its own next/previous button for a step of one (a normal rerun, no reload on the projector) and
# loads its URL with that slide for a larger jump. Presenter mode, Esc and the way out are untouched.
FOLLOW_SCRIPT = r"""<script>
(() => {
  const W = window;
  W.__spbeDeck = %(deck)s;
  W.__spbeSlide = %(number)d;
  if (!W.__spbeFollow && "BroadcastChannel" in W) {
    W.__spbeFollow = new BroadcastChannel("spbe-presentasi");
    W.__spbeFollow.onmessage = (event) => {
      const m = event.data || {};
      if (m.deck !== W.__spbeDeck || !/presentasi\/?$/.test(W.location.pathname)) { return; }
      const current = W.__spbeSlide;
      if (!Number.isInteger(m.number) || m.number === current) { return; }
      const step = m.number === current + 1 ? "next" : (m.number === current - 1 ? "previous" : "");
      const button = step && W.document.querySelector(".st-key-slide_" + step + " button");
      if (button && !button.disabled) { button.click(); return; }
      const url = new URL(W.location.href);
      url.searchParams.set("slide", String(m.number));
      W.location.replace(url.toString());
    };
  }
  if (W.__spbeFollow) { W.__spbeFollow.postMessage({deck: W.__spbeDeck, number: W.__spbeSlide}); }
})();
</script>"""


def follow_each_other(frame, number: int) -> None:
    """The speaker's view and the room's tab show the same slide (FOLLOW_SCRIPT)."""
    deck = json.dumps(f"{frame.instansi_id}|{frame.year}")
    st.html(FOLLOW_SCRIPT % {"deck": deck, "number": int(number)}, unsafe_allow_javascript=True)


def presenter_styles(presenting: bool) -> None:
    st.html(PRINT_CSS)
    if presenting:
        st.html(PRESENTER_CSS)
        components.html(ESC_SCRIPT, height=0)


def go_to(target: int) -> None:
    st.query_params["slide"] = str(target)


def set_presenting(on: bool) -> None:
    if on:
        st.query_params["presentasi"] = "1"
    elif "presentasi" in st.query_params:
        del st.query_params["presentasi"]


def notes_url(frame, number: int) -> str:
    """The speaker's view of this slide, for a second tab or window."""
    params = frame.url_params(slide=number, catatan="1")
    return "presentasi?" + urlencode(params)


def download_buttons(frame, story: Deck, short: bool) -> None:
    # Made on click (deferred), so paging through slides never waits for a file nobody asked for; the deck's
    # remaining slides are built then too (story.storyline(): dated the day of the click).
    st.download_button(
        "PPTX" if short else frame.t("present.download_pptx"),
        data=lambda: deck_pptx(story.storyline()),
        file_name=file_name(story, "pptx"),
        mime=PPTX_MIME,
        key="download_pptx",
        on_click="ignore",
        icon=":material/slideshow:",
        help=frame.t("present.download_pptx") if short else None,
    )
    st.download_button(
        "PDF" if short else frame.t("present.download_pdf"),
        data=lambda: deck_pdf(story.storyline()),
        file_name=file_name(story, "pdf"),
        mime=PDF_MIME,
        key="download_pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help=frame.t("present.download_pdf") if short else None,
    )


def toolbar(frame, story: Deck, number: int, presenting: bool, notes_view: bool) -> None:
    """Previous / position / next, the speaker's view, and presenter mode in or out: one compact row."""
    total = story.total
    follow_each_other(frame, number)
    with st.container(horizontal=True, vertical_alignment="center", key="slide_toolbar", gap="small"):
        st.button(
            frame.t("present.previous"),
            key="slide_previous",
            on_click=go_to,
            args=(number - 1,),
            disabled=number <= 1,
            shortcut="Left",
            icon=":material/chevron_left:",
            width="content",
        )
        st.markdown(f"**{frame.t('present.position', number=number, total=total)}**", width="content")
        st.button(
            frame.t("present.next"),
            key="slide_next",
            on_click=go_to,
            args=(number + 1,),
            disabled=number >= total,
            shortcut="Right",
            type="primary",
            icon=":material/chevron_right:",
            width="content",
        )
        if notes_view:
            return
        st.link_button(
            frame.t("present.open_notes"),
            notes_url(frame, number),
            icon=":material/sticky_note_2:",
            help=frame.t("present.open_notes_help"),
            width="content",
        )
        if presenting:
            download_buttons(frame, story, short=True)
            st.button(
                frame.t("present.stop_presenting"),
                key="present_exit",
                on_click=set_presenting,
                args=(False,),
                icon=":material/close_fullscreen:",
                width="content",
            )
        else:
            st.button(
                frame.t("present.start_presenting"),
                key="present_start",
                on_click=set_presenting,
                args=(True,),
                icon=":material/slideshow:",
                width="content",
            )
