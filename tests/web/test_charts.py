"""The server-side SVG history chart: pure functions, no database."""

from xml.etree import ElementTree

from app.web.charts import BOTTOM, LEFT, RIGHT, TOP, Point, line_chart, scale, segments


def test_it_places_points_left_to_right_and_100_at_the_top():
    coords = scale([Point("a", 0), Point("b", 100), Point("c", 50)], width=200, height=100)
    assert coords[0] == (LEFT, 100 - BOTTOM)
    assert coords[1] == ((LEFT + 200 - RIGHT) / 2, TOP)
    assert coords[2][0] == 200 - RIGHT


def test_a_single_point_is_centred():
    ((x, _y),) = scale([Point("only", 80)], width=200, height=100)
    assert x == LEFT + (200 - LEFT - RIGHT) / 2


def test_a_missing_value_breaks_the_line():
    coords = scale([Point("a", 10), Point("b", None), Point("c", 20), Point("d", 30)], width=300, height=100)
    assert coords[1] is None
    assert [len(run) for run in segments(coords)] == [1, 2]


def test_every_point_is_focusable_and_named_and_text_is_escaped():
    svg = line_chart([Point("Scan #1 · commit abc <b>", 40), Point("Scan #2", None), Point("Scan #3", 90)], "T & U")
    root = ElementTree.fromstring(svg)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    points = root.findall(f"{ns}g")
    assert [p.get("aria-label") for p in points] == ["Scan #1 · commit abc <b>", "Scan #3"]
    assert all(p.get("tabindex") == "0" for p in points)
    assert root.get("aria-label") == "T & U"
    assert "<b>" not in svg


def test_an_empty_series_says_so():
    assert "No scores yet" in line_chart([], "Empty")
