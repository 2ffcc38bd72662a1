"""Plotly figures, the deterministic offline renderer, the govlab template and bilingual labels.

``viz`` imports only data shapes (DataFrames, graphs); it never reaches into the computing modules.
"""
from govlab.viz.renderer import register_renderer, GovlabRenderer
from govlab.viz.labels import label, set_language, get_language

__all__ = ["register_renderer", "GovlabRenderer", "label", "set_language", "get_language"]
