"""The glossary in Streamlit: the strip of term links under a viewer page's title, and the glossary page's
sections with an HTML anchor per entry (spbe.models.glossary holds what they say)."""

from __future__ import annotations

import html

import streamlit as st

from spbe.models import glossary as gl
from spbe.safe_text import md_escape

# Streamlit draws the page after the browser has looked for #anchor: scroll to it once it exists.
SCROLL_TO_ANCHOR_JS = """<script>
(() => {
  const wanted = decodeURIComponent((window.location.hash || "").slice(1));
  if (!wanted || window.__spbeGlossaryScrolled === wanted) return;
  let tries = 0;
  const timer = setInterval(() => {
    const target = document.getElementById(wanted);
    if (target || ++tries > 100) {
      clearInterval(timer);
      if (target) {
        window.__spbeGlossaryScrolled = wanted;
        target.scrollIntoView({block: "start"});
        target.classList.add("spbe-glossary-target");
      }
    }
  }, 100);
})();
</script>"""
GLOSSARY_CSS = """<style>
.spbe-glossary dt { font-weight: 600; margin-top: 0.6rem; scroll-margin-top: 4rem; }
.spbe-glossary dd { margin: 0.1rem 0 0 1.2rem; }
.spbe-glossary .spbe-glossary-target { background: rgba(230, 159, 0, 0.25); border-radius: 0.25rem; }
.spbe-glossary h3 { scroll-margin-top: 4rem; }
.spbe-glossary ol { columns: 2; column-gap: 2rem; } .spbe-glossary li { break-inside: avoid; }
@media (max-width: 640px) { .spbe-glossary ol { columns: 1; } }
</style>"""


def section_html(section: gl.Section) -> str:
    out = [f'<div class="spbe-glossary"><h3 id="{html.escape(section.anchor)}">{html.escape(section.title)}</h3>']
    if section.note:
        out.append(f"<p><em>{html.escape(section.note)}</em></p>")
    if section.entries:
        out.append("<dl>")
        for e in section.entries:
            out.append(f'<dt id="{html.escape(e.anchor)}">{html.escape(e.term)}</dt><dd>{html.escape(e.text)}</dd>')
        out.append("</dl>")
    if section.table:
        out.append("<ol>")
        out.extend(
            f'<li value="{html.escape(code)}">{html.escape(name)} ({html.escape(weight)} %)</li>'
            if code.isdigit()
            else f"<li>{html.escape(code)} {html.escape(name)} ({html.escape(weight)} %)</li>"
            for code, name, weight in section.table
        )
        out.append("</ol>")
    out.append("</div>")
    return "".join(out)


def glossary_page(frame) -> None:
    st.html(GLOSSARY_CSS)
    sections = gl.glossary(frame.lang)
    st.markdown(" · ".join(f"[{md_escape(s.title)}](#{s.anchor})" for s in sections if s.anchor.count("-") <= 3))
    for section in sections:
        st.html(section_html(section))
    st.html(SCROLL_TO_ANCHOR_JS, unsafe_allow_javascript=True)
