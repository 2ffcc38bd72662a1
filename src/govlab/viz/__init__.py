"""Plotly figures, the deterministic offline renderer, the govlab template and bilingual labels.

``viz`` imports only data shapes (DataFrames, graphs); it never reaches into the computing modules.
"""
from govlab.viz.labels import get_language, label, set_language
from govlab.viz.renderer import GovlabRenderer, register_renderer

__all__ = ["register_renderer", "GovlabRenderer", "label", "set_language", "get_language"]
