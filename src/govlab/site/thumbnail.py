"""Small static SVG miniatures of plotly figures, for the site's index page.

A miniature is drawn in Python from the figure JSON stored in a notebook (no browser, no plotly.js),
so the index page is light and the site builds anywhere. It draws the first trace that it knows
(bar, scatter/line, heatmap, pie, histogram-like bars) and falls back to a labelled frame.
"""
from __future__ import annotations

import base64
import math
from html import escape
from typing import Any

import numpy as np

_DTYPES = {"f8": "<f8", "f4": "<f4", "i1": "i1", "u1": "u1", "i2": "<i2", "u2": "<u2",
           "i4": "<i4", "u4": "<u4", "i8": "<i8", "u8": "<u8"}
COLORS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C"]


def decode_array(value: Any) -> list | None:
    """A plotly data array as a list: plain lists pass through, ``{"dtype", "bdata"}`` typed arrays
    (plotly >= 6 JSON) are decoded.

    Examples
    --------
    >>> import base64, numpy as np
    >>> decode_array({"dtype": "f8", "bdata": base64.b64encode(np.array([1.5, 2.0]).tobytes()).decode()})
    [1.5, 2.0]
    >>> decode_array([1, 2])
    [1, 2]
    """
    if value is None:
        return None
    if isinstance(value, dict) and "bdata" in value:
        dtype = _DTYPES.get(value.get("dtype", "f8"))
        if dtype is None:
            return None
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
        shape = value.get("shape")
        if shape:
            dims = [int(s) for s in str(shape).split(",")]
            arr = arr.reshape(dims)
        return arr.tolist()
    if isinstance(value, (list, tuple)):
        return list(value)
    return None


def figure_title(fig: dict) -> str:
    """The title text of a figure dict, or ``""``."""
    title = (fig.get("layout") or {}).get("title")
    if isinstance(title, dict):
        return str(title.get("text") or "")
    return str(title or "")


def _numbers(values) -> list[float]:
    out = []
    for v in values or []:
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = math.nan
        out.append(f)
    return out


def _frame(width: int, height: int, body: str, label: str) -> str:
    return (f'<svg viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
            f"{body}</svg>")


def _bars(vals: list[float], width, height, pad, color, horizontal=False) -> str:
    vals = [0.0 if math.isnan(v) else v for v in vals][:60]
    if not vals:
        return ""
    lo, hi = min(0.0, min(vals)), max(0.0, max(vals))
    span = (hi - lo) or 1.0
    n = len(vals)
    parts = []
    if not horizontal:
        step = (width - 2 * pad) / n
        zero = height - pad - (0 - lo) / span * (height - 2 * pad)
        for i, v in enumerate(vals):
            y = height - pad - (v - lo) / span * (height - 2 * pad)
            top, h = min(y, zero), abs(zero - y)
            parts.append(f'<rect x="{pad + i * step + step * 0.12:.1f}" y="{top:.1f}" '
                         f'width="{step * 0.76:.1f}" height="{max(h, 0.5):.1f}" fill="{color}"/>')
    else:
        step = (height - 2 * pad) / n
        zero = pad + (0 - lo) / span * (width - 2 * pad)
        for i, v in enumerate(vals):
            x = pad + (v - lo) / span * (width - 2 * pad)
            left, w = min(x, zero), abs(x - zero)
            parts.append(f'<rect x="{left:.1f}" y="{pad + i * step + step * 0.12:.1f}" '
                         f'width="{max(w, 0.5):.1f}" height="{step * 0.76:.1f}" fill="{color}"/>')
    return "".join(parts)


def _lines(traces: list[tuple[list[float], list[float], str, bool]], width, height, pad) -> str:
    xs = [x for t in traces for x in t[0] if not math.isnan(x)]
    ys = [y for t in traces for y in t[1] if not math.isnan(y)]
    if not xs or not ys:
        return ""
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (x1 - x0) or 1.0
    sy = (y1 - y0) or 1.0
    parts = []
    for x, y, color, markers in traces:
        # a gap (None/NaN) ends a line segment, as in plotly (network edges are drawn that way)
        segments, current = [], []
        for a, b in zip(x, y):
            if math.isnan(a) or math.isnan(b):
                if current:
                    segments.append(current)
                current = []
                continue
            current.append((pad + (a - x0) / sx * (width - 2 * pad), height - pad - (b - y0) / sy * (height - 2 * pad)))
        if current:
            segments.append(current)
        pts = [p for seg in segments for p in seg]
        if markers or len(pts) == 1:
            step = max(1, len(pts) // 300)
            parts.extend(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="1.8" fill="{color}" fill-opacity=".7"/>'
                         for px, py in pts[::step])
        else:
            for seg in segments[:400]:
                path = " ".join(f"{px:.1f},{py:.1f}" for px, py in seg)
                width_px = 1.6 if len(segments) < 20 else 0.6
                parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="{width_px}" '
                             f'stroke-opacity="{1 if len(segments) < 20 else .5}"/>')
    return "".join(parts)


def _heatmap(z: list, width, height, pad) -> str:
    arr = np.array(z, dtype=float)
    if arr.ndim != 2 or arr.size == 0:
        return ""
    arr = arr[:40, :40]
    finite = arr[np.isfinite(arr)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    span = (hi - lo) or 1.0
    rows, cols = arr.shape
    cw, ch = (width - 2 * pad) / cols, (height - 2 * pad) / rows
    parts = []
    for i in range(rows):
        for j in range(cols):
            v = arr[i, j]
            t = 0.0 if not np.isfinite(v) else (v - lo) / span
            r, g, b = (int(247 - t * (247 - 33)), int(251 - t * (251 - 102)), int(255 - t * (255 - 172)))
            parts.append(f'<rect x="{pad + j * cw:.1f}" y="{pad + (rows - 1 - i) * ch:.1f}" '
                         f'width="{cw + 0.3:.1f}" height="{ch + 0.3:.1f}" fill="rgb({r},{g},{b})"/>')
    return "".join(parts)


def _pie(values: list[float], width, height) -> str:
    vals = [v for v in values if not math.isnan(v) and v > 0][:12]
    total = sum(vals)
    if not total:
        return ""
    cx, cy, r = width / 2, height / 2, min(width, height) / 2 - 8
    parts, angle = [], -math.pi / 2
    for i, v in enumerate(vals):
        a2 = angle + 2 * math.pi * v / total
        large = 1 if a2 - angle > math.pi else 0
        x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        x2, y2 = cx + r * math.cos(a2), cy + r * math.sin(a2)
        if len(vals) == 1:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{COLORS[0]}"/>')
        else:
            parts.append(f'<path d="M{cx:.1f},{cy:.1f} L{x1:.1f},{y1:.1f} A{r:.1f},{r:.1f} 0 {large} 1 '
                         f'{x2:.1f},{y2:.1f} Z" fill="{COLORS[i % len(COLORS)]}"/>')
        angle = a2
    return "".join(parts)


def thumbnail_svg(fig: dict, width: int = 320, height: int = 150) -> str:
    """An inline SVG miniature of a plotly figure dict.

    Parameters
    ----------
    fig : dict
        A plotly figure as stored in a notebook (``application/vnd.plotly.v1+json``).
    width, height : int
        Size of the SVG viewBox in pixels.

    Returns
    -------
    str
        A standalone ``<svg>`` element (no scripts, no external references).

    Examples
    --------
    >>> svg = thumbnail_svg({"data": [{"type": "bar", "y": [1, 3, 2]}], "layout": {}})
    >>> svg.count("<rect")
    3
    """
    pad = 10
    data = fig.get("data") or []
    label = figure_title(fig) or "figure"
    body = ""
    kinds = []
    line_traces = []
    for k, trace in enumerate(data):
        kind = trace.get("type", "scatter")
        kinds.append(kind)
        color = COLORS[k % len(COLORS)]
        if kind in ("bar", "histogram", "funnel") and not body and not line_traces:
            horizontal = trace.get("orientation") == "h" or (kind == "funnel" and trace.get("orientation") != "v")
            vals = decode_array(trace.get("x" if horizontal else "y"))
            if vals is None and kind == "histogram":
                raw = _numbers(decode_array(trace.get("x")) or [])
                raw = [v for v in raw if not math.isnan(v)]
                vals = np.histogram(raw, bins=12)[0].tolist() if raw else None
            body = _bars(_numbers(vals), width, height, pad, color, horizontal) if vals else ""
        elif kind in ("scatter", "scattergl") and not body:
            y = _numbers(decode_array(trace.get("y")) or [])
            xs = decode_array(trace.get("x"))
            x = _numbers(xs) if xs is not None else [float(i) for i in range(len(y))]
            if x and all(math.isnan(v) for v in x):
                x = [float(i) for i in range(len(y))]
            markers = "lines" not in str(trace.get("mode", "markers" if len(y) > 20 else "lines"))
            if y:
                line_traces.append((x, y, color, markers))
        elif kind == "heatmap" and not body and not line_traces:
            z = decode_array(trace.get("z"))
            body = _heatmap(z, width, height, pad) if z else ""
        elif kind == "pie" and not body and not line_traces:
            body = _pie(_numbers(decode_array(trace.get("values")) or []), width, height)
        if k >= 7:
            break
    if line_traces and not body:
        body = _lines(line_traces, width, height, pad)
    if not body:
        kind = kinds[0] if kinds else "figure"
        body = (f'<rect x="{pad}" y="{pad}" width="{width - 2 * pad}" height="{height - 2 * pad}" '
                f'fill="none" stroke="#bbb" stroke-dasharray="4 3"/>'
                f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" dominant-baseline="middle" '
                f'font-size="13" fill="#777">{escape(kind)} chart</text>')
    return _frame(width, height, body, label)
