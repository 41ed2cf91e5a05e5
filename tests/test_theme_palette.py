"""Light and dark themes: every option in .streamlit/config.toml's theme sections is one Streamlit 1.67 knows
(an unknown one is ignored with a warning at best), and the predikat palette stays legible on both
backgrounds and for the common colour-vision deficiencies."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import pytest
from streamlit import config as st_config

from spbe.charts import PREDIKAT_COLOURS
from spbe.presentation.storyline import OUTLINE_COLOUR

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"
# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
SIMULATIONS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "typical vision": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}


def theme() -> dict:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)["theme"]


def linear(hex_colour: str) -> list[float]:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def luminance(hex_colour: str) -> float:
    r, g, b = linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = (min(max(v, 0.0), 1.0) for v in rgb)
    x, y, z = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_light_and_dark_themes_are_defined():
    sections = theme()
    for name in ("light", "dark"):
        assert {"backgroundColor", "textColor", "primaryColor"} <= set(sections[name])
    assert "base" not in sections, "a fixed base would stop the viewer's light/dark setting from choosing"


def test_every_theme_option_is_known_to_streamlit():
    known = set(st_config.get_config_options())
    unknown = []

    def walk(prefix, node):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}", value)
            elif f"{prefix}.{key}" not in known:
                unknown.append(f"{prefix}.{key}")

    walk("theme", theme())
    assert not unknown, f"options Streamlit does not know: {unknown}"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_text_is_readable_in_each_theme(mode):
    section = theme()[mode]
    assert contrast(section["textColor"], section["backgroundColor"]) >= 7  # WCAG AAA for body text
    assert contrast(section["primaryColor"], section["backgroundColor"]) >= 3  # buttons and focus rings


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_predikat_fills_stand_out_from_the_background(mode):
    """WCAG 1.4.11: a bar needs 3:1 against its surroundings, from its fill or from its outline."""
    background = theme()[mode]["backgroundColor"]
    outline_ok = contrast(OUTLINE_COLOUR, background) >= 3
    weak = {
        name: round(contrast(colour, background), 2)
        for name, colour in PREDIKAT_COLOURS.items()
        if contrast(colour, background) < 3 and not outline_ok
    }
    assert not weak, f"predikat colours below 3:1 on the {mode} background without an outline to help: {weak}"


@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_predikat_colours_stay_apart_for_colour_blind_viewers(vision):
    matrix = SIMULATIONS[vision]
    seen = {
        name: lab([sum(matrix[i][j] * c for j, c in enumerate(linear(colour))) for i in range(3)])
        for name, colour in PREDIKAT_COLOURS.items()
    }
    closest = min(
        (sum((p - q) ** 2 for p, q in zip(seen[a], seen[b], strict=True)) ** 0.5, a, b)
        for a, b in itertools.combinations(seen, 2)
    )
    assert closest[0] >= 10, f"{closest[1]} and {closest[2]} look alike with {vision} (ΔE {closest[0]:.1f})"
