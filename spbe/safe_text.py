"""One place that makes user-controlled text safe to show.

Anything a person or a file controls (URL parameters, imported names and notes, OPD names, the
signed-in account) goes through here before it reaches markdown (st.markdown, st.warning,
st.caption, st.info, ...) or Plotly hover text:

    md_escape(text)     for Streamlit markdown: every ASCII punctuation character that markdown,
                        GFM autolinks, Streamlit's :colour[...] / :material/...: directives, LaTeX ($)
                        or HTML could act on is backslash-escaped, and line breaks become spaces, so
                        `[x](https://...)` and `![x](...)` show as the characters typed, never as a
                        link or an image, and a bare URL is not turned into a link.
    html_escape(text)   for Plotly hover and label text (which honours <a href>, <b>, <br>, ...):
                        & < > " ' become entities.
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones that
# start or end a construct (links, images, emphasis, code, headings, lists, tables, HTML, entities,
# autolinks ':' and '.', Streamlit directives ':' and '[', LaTeX '$', strikethrough '~').
MD_SPECIALS = r"\`*_{}[]()#+-.!|<>~$&:=\"'^"
_MD_RE = re.compile("([" + re.escape(MD_SPECIALS) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c]+")
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(:/|(?<![^\W_])www|@)", re.IGNORECASE)


def md_escape(text) -> str:
    """Text shown literally inside Streamlit markdown: no link, image, emphasis, HTML or directive from it."""
    if text is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(text))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, text)
    return _MD_RE.sub(r"\\\1", text)


def html_escape(text) -> str:
    """Text shown literally inside Plotly hover/label text or an HTML fragment."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True)
