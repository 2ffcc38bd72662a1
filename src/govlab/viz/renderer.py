"""A plotly renderer whose output is deterministic and works offline.

It returns two MIME types: the figure JSON (used by JupyterLab) and an HTML ``<div>`` that loads no
script of its own (used by nbconvert and the report site, which load ``plotly.min.js`` once from the
installed plotly package). The div id is derived from a hash of the figure, so re-running a notebook
gives byte-identical outputs and strict nbval passes.

Reference: ../shared/research/notebooks.md, section 3 ("govlab renderer").
"""
from __future__ import annotations

import hashlib
import json

import plotly.io as pio
from plotly.io.base_renderers import MimetypeRenderer

RENDERER_NAME = "govlab"
TEMPLATE_NAME = "govlab"

CJK_FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
COLORWAY = [  # the same colours as govlab.viz.style.QUALITATIVE
   "#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
            "#8C8C8C", "#CCB974", "#64B5CD"]


class GovlabRenderer(MimetypeRenderer):
    """Render a figure as plotly JSON plus a script-free HTML div with a stable id."""

    def __init__(self):
        self._count = 0

    def to_mimebundle(self, fig_dict):
        self._count += 1
        fig_json = json.dumps(fig_dict, sort_keys=True, default=str)
        digest = hashlib.sha1(fig_json.encode("utf-8")).hexdigest()[:12]
        html = pio.to_html(fig_dict, full_html=False, include_plotlyjs=False, include_mathjax=False,
                           div_id=f"fig-{digest}-{self._count}", validate=False,
                           config={"responsive": True, "displaylogo": False})
        return {"application/vnd.plotly.v1+json": fig_dict, "text/html": html}


def _template():
    import plotly.graph_objects as go

    return go.layout.Template(layout=dict(
        font=dict(family=CJK_FONT, size=13, color="#222"),
        colorway=COLORWAY,
        paper_bgcolor="white", plot_bgcolor="white",
        # automargin: long tick labels and titles push the margins out instead of being cut off
        xaxis=dict(showgrid=True, gridcolor="#eee", zeroline=False, linecolor="#999", automargin=True,
                   title=dict(standoff=8)),
        yaxis=dict(showgrid=True, gridcolor="#eee", zeroline=False, linecolor="#999", automargin=True,
                   title=dict(standoff=8)),
        legend=dict(font=dict(size=12)),
        margin=dict(l=60, r=20, t=60, b=50),
        hoverlabel=dict(font=dict(family=CJK_FONT)),
    ))


def register_renderer(make_default: bool = True) -> None:
    """Register the ``govlab`` renderer and template with plotly (idempotent)."""
    pio.renderers[RENDERER_NAME] = GovlabRenderer()
    pio.templates[TEMPLATE_NAME] = _template()
    if make_default:
        pio.renderers.default = RENDERER_NAME
        pio.templates.default = TEMPLATE_NAME
