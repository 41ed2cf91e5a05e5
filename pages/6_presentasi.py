"""Presentasi: the storyline one slide at a time for the room, and the deck and handout for the record.
Layout only; the slides come from spbe.presentation.storyline, the files from spbe.presentation.deck_pptx and spbe.presentation.deck_pdf.

Three views, each in the URL: the desk view (default), presenter mode (?presentasi=1: the slide only,
sized for a 16:9 projector, left by its button or Esc) and the speaker's view (?catatan=1, opened in a
new tab: the notes and the next slide). Projector text size (?besar=1) is independent of all three."""

import html

import streamlit as st

from spbe.presentation.storyline import banner_text, slide_number
from spbe.safe_text import md_escape
from spbe.web.frame import page_frame
from spbe.web.presenter import deck, download_buttons, presenter_styles, stage_css, toolbar
from spbe.web.ui import chart_block, source_note, term_strip

frame = page_frame("presentasi")
requested_slide = st.query_params.get("slide")
presenting = st.query_params.get("presentasi") == "1"
notes_view = st.query_params.get("catatan") == "1"
story = deck(frame)  # the view's slides, each built when first shown (files: on click)
total = story.total
number, valid = slide_number(requested_slide, total)
if not valid:
    frame.warn_bad_param("slide", str(requested_slide), frame.t("present.expected_slide", total=total), "1")
st.query_params["slide"] = str(number)  # every slide has its own shareable URL
slide = story.slide(number)

presenter_styles(presenting)

toolbar(frame, story, number, presenting, notes_view)

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
                story.figure(number + 1, False, 300),
                key=f"next_{upcoming.key}_{frame.instansi_id}_{frame.year}",
                config={"displayModeBar": False, "staticPlot": True},
            )
    else:
        st.markdown(f"#### {frame.t('present.last_slide')}")
    st.stop()

st.title(md_escape(slide.title))
if not presenting:
    term_strip(frame)  # each term's first use links to its glossary entry
st.subheader(md_escape(slide.headline))
banner = banner_text(slide)
if banner:
    st.warning(banner, icon=":material/science:")
if slide.chart is None:
    st.info(md_escape(slide.message or ""), icon=":material/info:")
elif presenting:  # one message line and the chart, nothing below that the room has to scroll to
    if slide.message:
        st.caption(md_escape(slide.message))
    with st.container(key="slide_stage"):  # as tall as the projector allows (stage_css): 440 px at 720p
        st.html(stage_css(frame.large, bool(banner)))
        st.plotly_chart(
            story.figure(number, frame.large, None, stretch=True),
            key=f"slide_{slide.key}_{frame.instansi_id}_{frame.year}",
            config={"displayModeBar": False},
            height="stretch",
        )
    st.caption(md_escape(source_note(list(slide.source_ids), frame.lang)))
else:
    if slide.message:
        st.caption(md_escape(slide.message))
    chart_block(
        story.figure(number, True, None),
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
        download_buttons(frame, story, short=False)
