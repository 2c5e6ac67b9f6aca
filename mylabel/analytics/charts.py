"""Bar charts drawn on the server as SVG geometry, so the dashboard needs no chart script.

The template draws the bars; the numbers stay in a table next to each chart, which is what a
screen reader reads (the SVG gets a ``<title>``/``<desc>`` summary only).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 600
HEIGHT = 160
GAP = 2


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal | int | float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    maximum: Decimal | int | float
    total: Decimal | int | float


def bar_chart(points: Sequence[tuple[str, Decimal | int | float | None]]) -> BarChart:
    """Bars scaled so the tallest fills the height; ``None`` (no data) draws as zero."""
    values = [value or 0 for _label, value in points]
    maximum = max(values, default=0)
    slot = WIDTH / max(len(points), 1)
    bars = []
    for index, ((label, _value), value) in enumerate(zip(points, values, strict=True)):
        height = float(value) / float(maximum) * HEIGHT if maximum else 0.0
        bars.append(
            Bar(
                x=round(index * slot, 2),
                y=round(HEIGHT - height, 2),
                width=round(max(slot - GAP, 1), 2),
                height=round(height, 2),
                label=label,
                value=value,
            )
        )
    return BarChart(bars, WIDTH, HEIGHT, maximum, sum(values))
