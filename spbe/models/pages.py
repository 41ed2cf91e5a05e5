"""The pages, declared once: key (also the URL path), script, icon and catalogue key of the title."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str
    script: str  # path relative to the project root, as st.page_link wants it
    icon: str

    @property
    def title_key(self) -> str:
        return f"page.{self.key}"


PAGES = (
    PageSpec("ikhtisar", "app.py", ":material/dashboard:"),
    PageSpec("tren", "pages/1_tren.py", ":material/show_chart:"),
    PageSpec("perbandingan", "pages/2_perbandingan.py", ":material/leaderboard:"),
    PageSpec("kesenjangan", "pages/3_kesenjangan.py", ":material/troubleshoot:"),
    PageSpec("simulasi", "pages/4_simulasi.py", ":material/tune:"),
    PageSpec("opd", "pages/5_opd.py", ":material/groups:"),
    PageSpec("presentasi", "pages/6_presentasi.py", ":material/slideshow:"),
    PageSpec("impor", "pages/7_impor.py", ":material/upload_file:"),
    PageSpec("sumber", "pages/8_sumber.py", ":material/menu_book:"),
    PageSpec("glosarium", "pages/9_glosarium.py", ":material/dictionary:"),
)
BY_KEY = {p.key: p for p in PAGES}
