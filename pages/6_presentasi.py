"""Presentasi: the storyline one slide at a time for the room, and the deck and handout for the record.
Layout only; the slides come from spbe.storyline, the files from spbe.deck_pptx and spbe.deck_pdf."""

import streamlit as st

from spbe.deck_pdf import MIME as PDF_MIME
from spbe.deck_pdf import deck_pdf
from spbe.deck_pptx import MIME as PPTX_MIME
from spbe.deck_pptx import deck_pptx, file_name
from spbe.frame import page_frame
from spbe.safe_text import md_escape
from spbe.storyline import banner_text, build_storyline, slide_number
from spbe.ui import chart_block

frame = page_frame("presentasi")
requested_slide = st.query_params.get("slide")
story = build_storyline(frame)
total = len(story.slides)
number, valid = slide_number(requested_slide, total)
if not valid:
    frame.warn_bad_param("slide", str(requested_slide), frame.t("present.expected_slide", total=total), "1")
st.query_params["slide"] = str(number)  # every slide has its own shareable URL
slide = story.slide(number)
presenting = frame.large

st.html("""<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .stButton, .stDownloadButton { display: none !important; }
}
</style>""")
if presenting:  # the room sees the slide only: no side panel, no app header
    st.html("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important; max-width: 96% !important; }
h3 { font-size: 2rem !important; }
</style>""")


def go_to(target: int) -> None:
    st.query_params["slide"] = str(target)


# Navigation first, so it stays on screen above the chart; the arrow keys work anywhere on the page.
previous_col, position_col, next_col, notes_col = st.columns([2, 1.5, 2, 4], vertical_alignment="center")
previous_col.button(
    frame.t("present.previous"),
    key="slide_previous",
    on_click=go_to,
    args=(number - 1,),
    disabled=number <= 1,
    shortcut="Left",
    width="stretch",
)
position_col.markdown(f"**{frame.t('present.position', number=number, total=total)}**")
next_col.button(
    frame.t("present.next"),
    key="slide_next",
    on_click=go_to,
    args=(number + 1,),
    disabled=number >= total,
    shortcut="Right",
    type="primary",
    width="stretch",
)
notes_on = notes_col.toggle(frame.t("present.notes_heading"), key="slide_notes")

st.title(md_escape(slide.title))
st.subheader(md_escape(slide.headline))
banner = banner_text(slide)
if banner:
    st.warning(banner, icon=":material/science:")
if notes_on:  # for the presenter's eyes: shown above the chart so it never pushes the chart away
    st.info(md_escape(slide.notes), icon=":material/sticky_note_2:")
if slide.chart is None:
    st.info(md_escape(slide.message or ""), icon=":material/info:")
else:
    if slide.message:
        st.caption(md_escape(slide.message))
    chart_block(
        slide.figure(large=True, height=470 if presenting and slide.chart.kind != "bar" else None),
        slide.data,
        list(slide.source_ids),
        frame.lang,
        key=f"slide_{slide.key}_{frame.instansi_id}_{frame.year}",
        illustrative=slide.illustrative,
    )

if presenting:
    st.page_link(
        "pages/6_presentasi.py",
        label=frame.t("present.stop_presenting"),
        icon=":material/close_fullscreen:",
        query_params=frame.url_params(besar="0", slide=number),
    )
else:
    st.caption(frame.t("present.keys_hint"))
    st.page_link(
        "pages/6_presentasi.py",
        label=frame.t("present.start_presenting"),
        icon=":material/slideshow:",
        query_params=frame.url_params(besar="1", slide=number),
    )
    st.divider()
    st.subheader(frame.t("present.export_heading"))
    st.caption(frame.t("present.export_intro"))
    pptx_col, pdf_col = st.columns(2)
    # Made on click (deferred), so paging through slides never waits for a file nobody asked for.
    pptx_col.download_button(
        frame.t("present.download_pptx"),
        data=lambda: deck_pptx(story),
        file_name=file_name(story, "pptx"),
        mime=PPTX_MIME,
        key="download_pptx",
        on_click="ignore",
        icon=":material/slideshow:",
    )
    pdf_col.download_button(
        frame.t("present.download_pdf"),
        data=lambda: deck_pdf(story),
        file_name=file_name(story, "pdf"),
        mime=PDF_MIME,
        key="download_pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
    )
