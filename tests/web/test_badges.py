"""Shields-style badges: valid SVG, the score written out, a colour per band."""

from xml.etree import ElementTree

import pytest

from app.web.badges import factor_badge, score_badge, score_colour


@pytest.mark.parametrize("score, colour", [(95, "#1a7f37"), (80, "#4c9a2a"), (65, "#9a6700"), (45, "#bc4c00"),
                                           (10, "#cf222e"), (None, "#6e7781")])
def test_the_colour_follows_the_score(score, colour):
    assert score_colour(score) == colour
    assert colour in score_badge(score)


def test_the_badge_is_valid_svg_that_names_the_score():
    assert "93/100" in score_badge(92.5)  # half up, like the pages
    root = ElementTree.fromstring(score_badge(87.4))
    assert root.get("aria-label") == "twelve-factor: 87/100"
    assert int(root.get("width")) > 80


def test_a_factor_badge_names_the_factor_and_its_status():
    svg = factor_badge(3, "Config", "fail", 2.0)
    assert "3. config: fail 2/10" in svg and "#cf222e" in svg
    assert "not scanned" in factor_badge(3, "Config", None, None)
    assert "na" in factor_badge(6, "Processes", "na", None)
