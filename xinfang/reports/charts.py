"""Small PNG charts for the Word reports, drawn on the server with Pillow (the dashboard draws its own
in the browser with ECharts). A bar chart and a line chart of two years, each labelled in Chinese with
whatever CJK font the server has; without one the labels are left out and the table beside the chart
carries them."""

import io
import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
]
WIDTH, HEIGHT = 1200, 560
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 90, 30, 70, 110
BLUE, GREY, RED, AXIS, GRID = (29, 79, 145), (160, 168, 180), (183, 28, 28), (70, 80, 96), (226, 230, 236)


@lru_cache(maxsize=8)
def _font(size: int):
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
    return None


def has_cjk_font() -> bool:
    return _font(20) is not None


def _text(draw, xy, text, size=22, fill=AXIS, anchor="la"):
    font = _font(size)
    if font is None:
        if text.isascii():
            draw.text(xy, text, fill=fill, anchor=anchor)
        return
    draw.text(xy, text, fill=fill, font=font, anchor=anchor)


def _nice_max(value: float, ticks: int = 4) -> float:
    """The axis top: `ticks` equal round steps (1, 1.2, 1.5 … 8 times a power of ten), at least `value`."""
    if value <= 0:
        return ticks
    raw = value / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= raw)
    if value >= 1:  # the charts count cases: whole steps
        step = max(1, math.ceil(step))
    return step * ticks


def _frame(title: str, top: float, labels: list[str]):
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    _text(draw, (WIDTH // 2, 16), title, size=32, anchor="ma")
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    for i in range(5):
        y = MARGIN_TOP + plot_h * i / 4
        draw.line([(MARGIN_LEFT, y), (WIDTH - MARGIN_RIGHT, y)], fill=GRID, width=1)
        value = top * (4 - i) / 4
        label = f"{value:g}"
        _text(draw, (MARGIN_LEFT - 10, y), label, size=22, anchor="rm")
    draw.line([(MARGIN_LEFT, MARGIN_TOP), (MARGIN_LEFT, MARGIN_TOP + plot_h)], fill=AXIS, width=2)
    draw.line(
        [(MARGIN_LEFT, MARGIN_TOP + plot_h), (WIDTH - MARGIN_RIGHT, MARGIN_TOP + plot_h)], fill=AXIS, width=2
    )
    slot = plot_w / max(1, len(labels))
    for i, label in enumerate(labels):
        x = MARGIN_LEFT + slot * (i + 0.5)
        short = label if len(label) <= 6 else label[:6] + "…"
        _text(draw, (x, MARGIN_TOP + plot_h + 12), short, size=24, anchor="ma")
    return image, draw, plot_w, plot_h, slot


def _legend(draw, entries):
    x = MARGIN_LEFT
    y = HEIGHT - 40
    for label, colour in entries:
        draw.rectangle([x, y, x + 26, y + 16], fill=colour)
        _text(draw, (x + 34, y + 8), label, size=24, anchor="lm")
        x += 60 + 22 * len(label)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def bar_chart(
    title: str, labels: list[str], values: list[float], previous: list[float] | None = None
) -> bytes:
    """Bars per label (this period), with last year's bars beside them when given."""
    top = _nice_max(max([*values, *(previous or []), 0]))
    image, draw, plot_w, plot_h, slot = _frame(title, top, labels)
    pairs = 2 if previous is not None else 1
    bar = min(60, slot * 0.7 / pairs)
    for i, value in enumerate(values):
        centre = MARGIN_LEFT + slot * (i + 0.5)
        series = [(value, BLUE)] + ([(previous[i], GREY)] if previous is not None else [])
        for j, (v, colour) in enumerate(series):
            left = centre - bar * pairs / 2 + bar * j
            height = plot_h * (v or 0) / top
            bottom = MARGIN_TOP + plot_h
            if height > 0:
                draw.rectangle([left + 2, bottom - height, left + bar - 2, bottom], fill=colour)
            _text(draw, (left + bar / 2, bottom - height - 6), f"{v:g}", size=22, anchor="md")
    _legend(draw, [("本期", BLUE)] + ([("去年同期", GREY)] if previous is not None else []))
    return _png(image)


def line_chart(title: str, labels: list[str], this_year: list, last_year: list) -> bytes:
    """Two lines by month: this year (blue) and last year (grey); a month with no value is a gap."""
    numbers = [v for v in [*this_year, *last_year] if v is not None]
    top = _nice_max(max([*numbers, 0]))
    image, draw, plot_w, plot_h, slot = _frame(title, top, labels)
    for values, colour in ((last_year, GREY), (this_year, BLUE)):
        points = []
        for i, v in enumerate(values):
            if v is None:
                if len(points) > 1:
                    draw.line(points, fill=colour, width=4)
                points = []
                continue
            x = MARGIN_LEFT + slot * (i + 0.5)
            y = MARGIN_TOP + plot_h * (1 - v / top)
            points.append((x, y))
            draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=colour)
        if len(points) > 1:
            draw.line(points, fill=colour, width=4)
    _legend(draw, [("本年", BLUE), ("上年", GREY)])
    return _png(image)
