"""Charts as inline SVG, so the page needs nothing from the network.

- The weekly trend chart is a Vega-Lite spec rendered to SVG by vl-convert (no browser, no CDN, data inline,
  every external URL refused).
- Sparklines are a few hundred per week (one per league row): a hand-written polyline each, ~300 bytes,
  instead of a Vega-Lite render (~50 ms and ~5 kB each).
"""

import html
from collections.abc import Sequence

from pipelines.scorecard.i18n import PLATFORM_NAMES

# d3-format locales: Indonesian groups thousands with '.' and writes decimals with ','.
FORMAT_LOCALES = {
    "id": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""], "percent": " %"},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}
PLATFORM_COLOURS = {
    "instagram": "#c13584",
    "facebook": "#1877f2",
    "youtube": "#d40000",
    "x": "#333333",
    "tiktok": "#00a3a3",
}


def trend_chart(
    points: Sequence[dict], lang: str, title: str, field: str = "clean_follower_growth_rate"
) -> str:
    """Weekly follower growth rate per platform (rows with platform, iso_year_week and `field`)."""
    import vl_convert

    values = [
        {
            "week": p["iso_year_week"],
            "platform": PLATFORM_NAMES.get(p["platform"], p["platform"]),
            "rate": p[field],
        }
        for p in points
        if p[field] is not None
    ]
    if not values:
        return ""
    platforms = [PLATFORM_NAMES[p] for p in PLATFORM_COLOURS]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": 520,
        "height": 150,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "week", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "rate", "type": "quantitative", "title": None, "axis": {"format": ".1%"}},
            "color": {
                "field": "platform",
                "type": "nominal",
                "title": None,
                "scale": {"domain": platforms, "range": list(PLATFORM_COLOURS.values())},
                "legend": {"orient": "right"},
            },
        },
        "config": {"font": "DejaVu Sans, Arial, sans-serif", "view": {"stroke": None}},
    }
    svg = vl_convert.vegalite_to_svg(spec, format_locale=FORMAT_LOCALES[lang], allowed_base_urls=[])
    # class "chart" scales it with the page (print) instead of its fixed pixel size.
    svg = svg.replace('class="marks"', 'class="marks chart"', 1)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(title)}" ', 1)


def sparkline(values: Sequence[float | None], label: str, width: int = 72, height: int = 18) -> str:
    """A small line of the last weeks' values (None = no figure that week), last point marked."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return ""
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = (high - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return 2 + i * step, height - 2 - (v - low) / span * (height - 4)

    coords = [xy(i, v) for i, v in known]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    last_x, last_y = coords[-1]
    return (
        f'<svg class="spark" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{html.escape(label)}</title>"
        f'<polyline points="{points}" fill="none" stroke="#456" stroke-width="1.5"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2" fill="#d35400"/></svg>'
    )
