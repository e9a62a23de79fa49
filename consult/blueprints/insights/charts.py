"""Geometry for the server-rendered SVG charts (the templates draw it; no JS).

Groups get a colour from the Okabe-Ito palette (safe for colour-blind readers, via CSS
classes `.g0` ... `.g5`) and also a distinct marker shape, so the map reads without colour.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

MAP_W, MAP_H, PAD = 600, 420, 16
SHAPES = ("circle", "square", "triangle", "diamond", "plus", "triangle-down")


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f"M{x - 3:.1f},{y - 3:.1f}h6v6h-6z"
    if shape == "triangle":
        return f"M{x:.1f},{y - 4:.1f}l4,7h-8z"
    if shape == "triangle-down":
        return f"M{x:.1f},{y + 4:.1f}l4,-7h-8z"
    if shape == "diamond":
        return f"M{x:.1f},{y - 4:.1f}l4,4l-4,4l-4,-4z"
    if shape == "plus":
        return f"M{x - 1:.1f},{y - 4:.1f}h2v3h3v2h-3v3h-2v-3h-3v-2h3z"
    return f"M{x - 3:.1f},{y:.1f}a3,3 0 1,0 6,0a3,3 0 1,0 -6,0"


def shape_of(group: int) -> str:
    return SHAPES[group % len(SHAPES)] if group >= 0 else "circle"


PLACES = (
    (_l("upper left"), _l("top middle"), _l("upper right")),
    (_l("left"), _l("middle"), _l("right")),
    (_l("lower left"), _l("bottom middle"), _l("lower right")),
)


def opinion_map(results: dict[str, Any]) -> dict[str, Any] | None:
    """One SVG path per group (all its markers), plus the group centroids, in map units."""
    data = results.get("map")
    if not data:
        return None
    x0, x1, y0, y1 = data["bounds"]
    sx = (MAP_W - 2 * PAD) / ((x1 - x0) or 1.0)
    sy = (MAP_H - 2 * PAD) / ((y1 - y0) or 1.0)

    def place(x: float, y: float) -> tuple[float, float]:
        return PAD + (x - x0) * sx, MAP_H - PAD - (y - y0) * sy

    paths: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    for x, y, g in data["points"]:
        if x is None or y is None:
            continue
        px, py = place(x, y)
        paths.setdefault(g, []).append(_marker(shape_of(g), px, py))
        counts[g] = counts.get(g, 0) + 1
    layers = [{"group": g, "d": "".join(parts), "count": counts[g], "shape": shape_of(g)}
              for g, parts in sorted(paths.items())]
    return {"width": MAP_W, "height": MAP_H, "layers": layers, "total": data["total"],
            "shown": sum(counts.values()), "sampled": data["sampled"]}


def legend_marker(group: int) -> str:
    return _marker(shape_of(group), 8, 8)


BAR_W, LABEL_W, ROW_H = 600, 230, 34


def principle_bars(profile: list[dict[str, Any]], locale: str) -> dict[str, Any]:
    """Two bars per principle (the group's mean importance and everyone's) on 1..5."""
    span = BAR_W - LABEL_W - 50
    rows = []
    for i, p in enumerate(profile):
        mean, overall = p["mean"] or 1.0, p["overall"] or 1.0
        rows.append({
            "y": i * ROW_H, "label": p["name_en"] if locale == "en" else p["name_nl"],
            "group_w": max(1.0, (mean - 1) / 4 * span), "all_w": max(1.0, (overall - 1) / 4 * span),
            "mean": p["mean"], "overall": p["overall"],
        })
    return {"width": BAR_W, "height": max(ROW_H, len(rows) * ROW_H), "label_w": LABEL_W,
            "rows": rows}


def place_in_words(centroid: list[float] | None, bounds: list[float] | None) -> str:
    """Where a group's centre lies on the map, in words ("upper left", "middle")."""
    if not centroid or not bounds or None in centroid:
        return "–"
    x0, x1, y0, y1 = bounds
    fx = (centroid[0] - x0) / ((x1 - x0) or 1.0)
    fy = (centroid[1] - y0) / ((y1 - y0) or 1.0)
    column = 0 if fx < 0.4 else (2 if fx > 0.6 else 1)
    row = 0 if fy > 0.6 else (2 if fy < 0.4 else 1)
    return str(PLACES[row][column])
