"""Vega-Lite specifications of the learning loop (pure: dicts only)."""

from __future__ import annotations

import math

RADIUS_RANGE = [12, 150]
PALETTE = ["#0b5394", "#b45309", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#4d4d4d"]


def _radius(field: str) -> dict:
    return {"field": field, "type": "quantitative", "scale": {"type": "linear", "domain": [0, 5], "zero": True, "range": RADIUS_RANGE}, "title": None}


def radar_spec(rows: list[dict], *, previous: bool = False) -> dict:
    """A radial chart: one equal slice per indicator, its radius the score (0..5).

    ``rows``: dicts with "indikator", "bereich", "stufe" and optionally "vorher" (the score of
    the previous assessment, drawn as a dashed outline). Grey rings mark the levels 1..5.
    """
    n = max(1, len(rows))
    values = []
    for i, row in enumerate(rows):
        t0, t1 = 2 * math.pi * i / n, 2 * math.pi * (i + 1) / n
        values.append({**row, "nr": i + 1, "t0": t0, "t1": t1, "tm": (t0 + t1) / 2})
    theta = {"field": "t0", "type": "quantitative", "scale": None}
    lo, hi = RADIUS_RANGE
    layers: list[dict] = [
        {
            "data": {"values": [{}]},
            "mark": {"type": "arc", "fillOpacity": 0, "stroke": "#949494", "strokeWidth": 0.75,
                     "theta": 0, "theta2": 2 * math.pi, "radius": lo + (hi - lo) * ring / 5},
        }
        for ring in range(1, 6)
    ]
    layers += [
        {
            "mark": {"type": "arc", "stroke": "#ffffff", "strokeWidth": 1},
            "encoding": {
                "theta": theta, "theta2": {"field": "t1"}, "radius": _radius("stufe"),
                "color": {"field": "bereich", "type": "nominal", "title": "Bereich",
                          "scale": {"range": PALETTE}, "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260}},
                "tooltip": [{"field": "indikator", "title": "Indikator"}, {"field": "stufe", "title": "Stufe"}],
            },
        },
    ]
    if previous:
        layers.append({
            "mark": {"type": "arc", "fillOpacity": 0, "stroke": "#1a1a1a", "strokeWidth": 1.5, "strokeDash": [4, 3]},
            "encoding": {"theta": theta, "theta2": {"field": "t1"}, "radius": _radius("vorher")},
        })
    layers.append({
        "mark": {"type": "text", "radiusOffset": 12, "fontSize": 11, "fill": "#1a1a1a"},
        "encoding": {"theta": {"field": "tm", "type": "quantitative", "scale": None}, "radius": _radius("stufe"),
                     "text": {"field": "nr", "type": "quantitative"}},
    })
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 340, "height": 340,
        "data": {"values": values},
        "layer": layers,
        "view": {"stroke": None},
        "config": {"font": "sans-serif"},
    }
