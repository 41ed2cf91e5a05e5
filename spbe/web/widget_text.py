"""Streamlit's own widget texts in the interface language.

Streamlit writes some texts in English whatever the app's language: select placeholders ("Choose an
option", "Choose options"), the multiselect's bulk option ("Select all", "Select 2 matches"), "No results",
the file uploader's "Drag and drop file here", "Limit 5MB per file • CSV, XLSX" and "Upload". Where a
widget takes the text as a parameter, spbe.web.frame passes the catalogue's text (placeholder=, select_all=False).
For the rest, translator_html() returns a small script (run in the page, st.html with JavaScript) that
rewrites exactly these texts in the Indonesian interface as Streamlit draws them, on every page.

KNOWN_ENGLISH lists the texts the browser test searches for in every page of the Indonesian interface.
"""

from __future__ import annotations

import json

from spbe.i18n import t

# Exact texts Streamlit renders in English (visible text, or an input's placeholder).
KNOWN_ENGLISH = (
    "Choose an option",
    "Choose options",
    "Choose or add an option",
    "Choose or add options",
    "Add an option",
    "Add options",
    "No options to select",
    "Select all",
    "No results",
    "Drag and drop file here",
    "Drag and drop a file here",
    "Drag and drop files here",
    "Drag and drop directories here",
    "Browse files",
    "Upload",
    "Upload directories",
    "Skip to main content",
)
# Patterns of English texts with a number in them (regular expressions, for the browser test too).
KNOWN_ENGLISH_PATTERNS = (
    r"^Select \d+ matches$",
    r"per file",
    r"^Add: ",
)


def exact_texts(lang: str) -> dict[str, str]:
    """English text -> the language's text, for the texts Streamlit writes as they are."""
    pairs = {
        "Choose an option": "widgets.choose_one",
        "Choose options": "widgets.choose_many",
        "Choose or add an option": "widgets.choose_one",
        "Choose or add options": "widgets.choose_many",
        "Add an option": "widgets.choose_one",
        "Add options": "widgets.choose_many",
        "No options to select": "widgets.no_options",
        "Select all": "widgets.select_all",
        "No results": "widgets.no_results",
        "Drag and drop file here": "widgets.drop_file",
        "Drag and drop a file here": "widgets.drop_file",
        "Drag and drop files here": "widgets.drop_files",
        "Drag and drop directories here": "widgets.drop_files",
        "Browse files": "widgets.upload",
        "Upload": "widgets.upload",
        "Upload directories": "widgets.upload",
        "Skip to main content": "widgets.skip_to_main",
    }
    return {english: t(key, lang) for english, key in pairs.items()}


def pattern_texts(lang: str) -> list[tuple[str, str]]:
    """(regular expression, replacement with $1-style groups) for texts with numbers in them."""
    return [
        (r"^Select (\d+) matches$", t("widgets.select_matches", lang, n="$1")),
        (r"^(.+) per file( • .*)?$", t("widgets.per_file", lang, size="$1") + "$2"),
        (r"^Add: (.*)$", t("widgets.add_option", lang, option="$1")),
    ]


TRANSLATOR_JS = """
<script>
(() => {
  const exact = %(exact)s;
  const patterns = %(patterns)s.map(([re, out]) => [new RegExp(re), out]);
  const fix = (text) => {
    const trimmed = text.trim();
    if (exact[trimmed] !== undefined) return exact[trimmed];
    for (const [re, out] of patterns) { if (re.test(trimmed)) return trimmed.replace(re, out); }
    return null;
  };
  // Charts (SVG, thousands of nodes per Plotly chart) hold none of these texts: never walked, so drawing a chart
  // costs the observer nothing.
  const svg = (n) => n instanceof SVGElement || (n && n.parentNode instanceof SVGElement);
  const skipSvg = { acceptNode: (n) => (n instanceof SVGElement ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT) };
  const walk = (root) => {
    if (svg(root)) return;
    const nodes = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, skipSvg);
    let node;
    while ((node = nodes.nextNode())) {
      if (node.nodeType !== 3) continue;
      const better = fix(node.nodeValue || "");
      if (better !== null && better !== node.nodeValue) node.nodeValue = better;
    }
    const scope = root.querySelectorAll ? root : document;
    scope.querySelectorAll("input[placeholder], textarea[placeholder]").forEach((el) => {
      const better = fix(el.getAttribute("placeholder") || "");
      if (better !== null) el.setAttribute("placeholder", better);
    });
  };
  if (window.__spbeWidgetText) window.__spbeWidgetText.disconnect();
  const observer = new MutationObserver((changes) => {
    for (const change of changes) {
      if (svg(change.target)) continue;
      if (change.type === "characterData") { const better = fix(change.target.nodeValue || ""); if (better !== null && better !== change.target.nodeValue) change.target.nodeValue = better; }
      else if (change.type === "attributes") { walk(change.target.parentNode || document.body); }
      else change.addedNodes.forEach((n) => { if (n.nodeType === 3) { const better = fix(n.nodeValue || ""); if (better !== null) n.nodeValue = better; } else if (n.nodeType === 1) walk(n); });
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["placeholder"] });
  window.__spbeWidgetText = observer;
  walk(document.body);
})();
</script>
"""


def translator_html(lang: str) -> str | None:
    """The script that writes Streamlit's own English texts in `lang`; None for English."""
    if lang == "en":
        return None
    return TRANSLATOR_JS % {
        "exact": json.dumps(exact_texts(lang), ensure_ascii=False),
        "patterns": json.dumps(pattern_texts(lang), ensure_ascii=False),
    }
