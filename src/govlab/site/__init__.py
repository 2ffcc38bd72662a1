"""The offline report site: executed notebooks rendered to HTML with one shared plotly.js.

``python -m govlab.site build NB_DIR --out site`` (or ``govlab report site``) renders every
executed notebook in ``NB_DIR`` and writes an index page. Nothing on the site is loaded from outside
the machine; :func:`check_site` lists anything that would be.
"""
from govlab.site.build import (
                               Page,
                               build_site,
                               check_site,
                               count_figure_divs,
                               external_references,
                               find_notebooks,
                               is_external,
                               render_index,
                               summarize_notebook,
)

__all__ = ["Page", "build_site", "check_site", "count_figure_divs", "external_references",
           "find_notebooks", "is_external", "render_index", "summarize_notebook"]
