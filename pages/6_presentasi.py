"""Presentasi: the storyline one slide at a time for the room, and the deck and handout for the record.
Layout only; the slides come from spbe.storyline, the files from spbe.deck_pptx and spbe.deck_pdf.

Three views, each in the URL: the desk view (default), presenter mode (?presentasi=1: the slide only,
sized for a 16:9 projector, left by its button or Esc) and the speaker's view (?catatan=1, opened in a
new tab: the notes and the next slide). Projector text size (?besar=1) is independent of all three."""

import html
from urllib.parse import urlencode

import streamlit as st
import streamlit.components.v1 as components

from spbe.deck_pdf import MIME as PDF_MIME
from spbe.deck_pdf import deck_pdf
from spbe.deck_pptx import MIME as PPTX_MIME
from spbe.deck_pptx import deck_pptx, file_name
from spbe.frame import page_frame
from spbe.safe_text import md_escape
from spbe.storyline import banner_text, build_storyline, slide_number
from spbe.ui import chart_block, source_note

frame = page_frame("presentasi")
requested_slide = st.query_params.get("slide")
presenting = st.query_params.get("presentasi") == "1"
notes_view = st.query_params.get("catatan") == "1"
story = build_storyline(frame)
total = len(story.slides)
number, valid = slide_number(requested_slide, total)
if not valid:
    frame.warn_bad_param("slide", str(requested_slide), frame.t("present.expected_slide", total=total), "1")
st.query_params["slide"] = str(number)  # every slide has its own shareable URL
slide = story.slide(number)

st.html("""<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .stButton, .stDownloadButton { display: none !important; }
}
.st-key-slide_toolbar button p { white-space: nowrap; }
</style>""")
if presenting:  # the room sees the slide only: no side panel, no app header; sized for 1280x720 and up
    st.html("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.5rem 0 1.5rem !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem !important; }
[data-testid="stMain"] h1 { font-size: 2rem !important; padding: 0.1rem 0 0 0 !important; line-height: 1.2 !important; }
[data-testid="stMain"] h3 { font-size: 1.35rem !important; padding: 0 0 0.2rem 0 !important; line-height: 1.3 !important; }
.st-key-slide_toolbar button { min-height: 2.2rem !important; padding: 0.2rem 0.8rem !important; }
</style>""")
    # Esc leaves presenter mode: it presses the exit button (a real rerun that drops ?presentasi=1);
    # if the button is not there yet, it loads the same URL without the parameter.
    components.html(
        """<script>
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
</script>""",
        height=0,
    )


def go_to(target: int) -> None:
    st.query_params["slide"] = str(target)


def set_presenting(on: bool) -> None:
    if on:
        st.query_params["presentasi"] = "1"
    elif "presentasi" in st.query_params:
        del st.query_params["presentasi"]


def notes_url() -> str:
    """The speaker's view of this slide, for a second tab or window."""
    params = frame.url_params(slide=number, catatan="1")
    return "presentasi?" + urlencode(params)


def download_buttons(short: bool) -> None:
    # Made on click (deferred), so paging through slides never waits for a file nobody asked for.
    st.download_button(
        "PPTX" if short else frame.t("present.download_pptx"),
        data=lambda: deck_pptx(story),
        file_name=file_name(story, "pptx"),
        mime=PPTX_MIME,
        key="download_pptx",
        on_click="ignore",
        icon=":material/slideshow:",
        help=frame.t("present.download_pptx") if short else None,
    )
    st.download_button(
        "PDF" if short else frame.t("present.download_pdf"),
        data=lambda: deck_pdf(story),
        file_name=file_name(story, "pdf"),
        mime=PDF_MIME,
        key="download_pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help=frame.t("present.download_pdf") if short else None,
    )


def toolbar() -> None:
    """Previous / position / next, the speaker's view, and presenter mode in or out: one compact row."""
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
            notes_url(),
            icon=":material/sticky_note_2:",
            help=frame.t("present.open_notes_help"),
            width="content",
        )
        if presenting:
            download_buttons(short=True)
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


toolbar()

if notes_view:  # the speaker's view: this slide's notes large, and what comes next
    st.caption(frame.t("present.notes_view_intro"))
    st.title(md_escape(slide.title))
    st.subheader(md_escape(slide.headline))
    st.markdown(f"#### {frame.t('present.notes_heading')}")
    st.markdown(f"<div style='font-size:1.3rem;line-height:1.5'>{html.escape(slide.notes)}</div>", unsafe_allow_html=True)
    st.divider()
    if number < total:
        upcoming = story.slide(number + 1)
        st.markdown(f"#### {frame.t('present.next_slide', number=number + 1)}")
        st.markdown(f"**{md_escape(upcoming.title)}**  \n{md_escape(upcoming.headline)}")
        if upcoming.chart is not None:
            st.plotly_chart(
                upcoming.figure(height=300),
                key=f"next_{upcoming.key}_{frame.instansi_id}_{frame.year}",
                config={"displayModeBar": False, "staticPlot": True},
            )
    else:
        st.markdown(f"#### {frame.t('present.last_slide')}")
    st.stop()

st.title(md_escape(slide.title))
st.subheader(md_escape(slide.headline))
banner = banner_text(slide)
if banner:
    st.warning(banner, icon=":material/science:")
if slide.chart is None:
    st.info(md_escape(slide.message or ""), icon=":material/info:")
elif presenting:  # one message line and the chart, nothing below that the room has to scroll to
    if slide.message:
        st.caption(md_escape(slide.message))
    height = 400 if frame.large else 440
    if banner:
        height -= 50
    st.plotly_chart(
        slide.figure(large=frame.large, height=height),
        key=f"slide_{slide.key}_{frame.instansi_id}_{frame.year}",
        config={"displayModeBar": False},
    )
    st.caption(md_escape(source_note(list(slide.source_ids), frame.lang)))
else:
    if slide.message:
        st.caption(md_escape(slide.message))
    chart_block(
        slide.figure(large=True, height=None),
        slide.data,
        list(slide.source_ids),
        frame.lang,
        key=f"slide_{slide.key}_{frame.instansi_id}_{frame.year}",
        illustrative=slide.illustrative,
    )

if not presenting:
    st.caption(frame.t("present.keys_hint"))
    st.divider()
    st.subheader(frame.t("present.export_heading"))
    st.caption(frame.t("present.export_intro"))
    with st.container(horizontal=True):
        download_buttons(short=False)
