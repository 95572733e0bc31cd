import io

from PIL import Image

from xinfang.reports.charts import _nice_max, bar_chart, has_cjk_font, line_chart


def test_axis_tops_are_round_and_above_the_data():
    for value in (1, 3, 7, 17, 36, 43, 98, 523, 10_000):
        top = _nice_max(value)
        assert value <= top < max(value * 2.5, 5)
        assert (top / 4) == int(top / 4)  # whole steps for counts


def test_charts_are_png_of_the_expected_size_with_their_bars_drawn():
    png = bar_chart("类别", ["城乡建设类", "农业农村类"], [12, 0], [3, 5])
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 560)
    blue = sum(
        1 for x in range(0, 1200, 2) for y in range(0, 560, 2) if image.getpixel((x, y)) == (29, 79, 145)
    )
    assert blue > 250  # the 12 is a real bar (every other pixel counted)
    months = [f"{m}月" for m in range(1, 13)]
    line = Image.open(io.BytesIO(line_chart("逐月", months, [1, 2, None, 4] + [None] * 8, [0] * 12)))
    assert line.format == "PNG"
    assert has_cjk_font(), "a Chinese font (fonts-wqy-microhei) labels the charts"
