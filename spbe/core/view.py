"""The view: which instansi, year, peers, language and theme a screen shows. It is the URL state, free of Streamlit:
spbe.web.frame reads it from the URL and draws the sidebar; page models, the storyline and tests build it directly."""

from __future__ import annotations

from dataclasses import dataclass, field

from spbe.i18n import t

DEFAULT_INSTANSI = "kota-cilegon"
PEER_MODES = ("provinsi", "kategori", "pilih")
THEMES = ("terang", "gelap")  # ?tema=: light or dark; absent = the viewer's system setting
# Streamlit applies a theme named in the URL at page load (?embed_options=light_theme|dark_theme).
THEME_EMBED = {"terang": "light_theme", "gelap": "dark_theme"}
PEER_LABEL_KEYS = {"provinsi": "frame.peers_province", "kategori": "frame.peers_category", "pilih": "frame.peers_custom"}


@dataclass
class Frame:
    page: str
    lang: str
    instansi_id: str
    year: int
    peer_mode: str
    peer_ids: list[str]
    large: bool
    instansi: dict = field(default_factory=dict)  # the focus row: name, category, province, ...
    years: list[int] = field(default_factory=list)  # evaluation years held for anyone
    theme: str = ""  # "terang", "gelap" or "" (the viewer's system setting)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    @property
    def name(self) -> str:
        return self.instansi.get("instansi_name", self.instansi_id)

    def url_params(self, **overrides) -> dict[str, str]:
        """The query parameters describing this view (for links to other pages)."""
        params = {"lang": self.lang, "instansi": self.instansi_id, "tahun": str(self.year), "peer": self.peer_mode}
        if self.peer_mode == "pilih" and self.peer_ids:
            params["peers"] = ",".join(self.peer_ids)
        if self.large:
            params["besar"] = "1"
        if self.theme in THEME_EMBED:  # (Streamlit's own ?embed_options= is kept by Streamlit, never set here)
            params["tema"] = self.theme
        params.update({k: str(v) for k, v in overrides.items()})
        return params
