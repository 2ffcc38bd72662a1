"""The report site in a real browser: headless Debian chromium, served from 127.0.0.1.

The site is built from the stored notebooks (their committed outputs are converted, nothing is
re-executed). Every page must draw every plotly figure, log no console error, and make no request
that leaves localhost: requests to other hosts are intercepted, recorded and aborted, so the page
behaves as if the network were cut off.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest

from govlab.site import build_site, check_site
from govlab.site.browser import browser_unavailable_reason, inspect_site, serve
from govlab.site.build import iter_pages
from govlab.viz.renderer import GovlabRenderer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

_reason = browser_unavailable_reason()
needs_browser = pytest.mark.skipif(_reason is not None, reason=_reason or "")


def _stored_notebooks():
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _fixture_notebook(path: Path) -> None:
    r = GovlabRenderer()
    figs = [go.Figure(go.Bar(x=["委员", "群众"], y=[3, 5]), layout_title_text="参与"),
            go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 1, 3], mode="lines+markers"))]
    cells = [nbformat.v4.new_markdown_cell("# Browser fixture 浏览器\n\nTwo figures.")]
    for k, f in enumerate(figs, 1):
        out = nbformat.v4.new_output("display_data", data=r.to_mimebundle(f.to_plotly_json()))
        cells.append(nbformat.v4.new_code_cell("fig.show()", outputs=[out], execution_count=k))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "site"
    if _stored_notebooks():
        pages = build_site(NOTEBOOKS, out)
    else:  # before the suite has notebooks, still prove the machinery on a fixture notebook
        nb_dir = tmp_path_factory.mktemp("nbs")
        _fixture_notebook(nb_dir / "01_fixture.ipynb")
        pages = build_site(nb_dir, out)
    return out, pages


@needs_browser
def test_every_page_draws_every_figure_without_errors_or_external_requests(site):
    out, pages = site
    rels = [p.relative_to(out).as_posix() for p in iter_pages(out)]
    assert rels[0] == "index.html" and len(rels) == len(pages) + 2  # + solutions.html
    with serve(out) as base:
        reports = inspect_site(base, rels)
    expected = {p.href: p.n_figures for p in pages}
    for rep in reports:
        rel = rep.url.split("/", 3)[3]
        assert rep.status == 200, rep
        assert rep.figure_divs == expected.get(rel, 0), f"{rel}: figure divs in the page"
        assert rep.figures_drawn == rep.figure_divs, f"{rel}: {rep.figures_drawn}/{rep.figure_divs} figures drawn"
        assert rep.console_errors == [], f"{rel}: console errors {rep.console_errors}"
        assert rep.page_errors == [], f"{rel}: page errors {rep.page_errors}"
        assert rep.external_requests == [], f"{rel}: requests leaving localhost {rep.external_requests}"
        assert rep.failed_requests == [], f"{rel}: local requests that failed {rep.failed_requests}"
        assert rep.clipped_texts == [], f"{rel}: figure text cut off by the figure's edge {rep.clipped_texts}"
    assert sum(r.figures_drawn for r in reports) == sum(expected.values()) > 0


@needs_browser
def test_interception_catches_a_page_that_reaches_outside(tmp_path):
    """The check itself can fail: a page pulling a script from a CDN is caught and aborted."""
    (tmp_path / "leak.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<script src="https://cdn.example.invalid/lib.js"></script></head><body>外部</body></html>',
        encoding="utf-8")
    assert "leak.html" in check_site(tmp_path)
    with serve(tmp_path) as base:
        (rep,) = inspect_site(base, ["leak.html"])
    assert rep.external_requests == ["https://cdn.example.invalid/lib.js"]
    assert not rep.ok


def test_static_pages_reference_nothing_outside(site):
    out, _ = site
    assert check_site(out) == {}


@needs_browser
def test_clipped_figure_text_is_caught(tmp_path):
    """The clipping check itself can fail: a long label in a figure without room for it is reported."""
    from govlab.site.browser import clipped_texts  # noqa: F401 - the public helper the check uses

    r = GovlabRenderer()
    fig = go.Figure(go.Bar(x=[3, 5], y=["stations with broken continuity in every township", "short"], orientation="h"))
    fig.update_layout(margin=dict(l=5, r=5, t=5, b=5), yaxis=dict(automargin=False), width=400, height=200)
    cells = [nbformat.v4.new_markdown_cell("# Clipped\n\nA label cut off."),
             nbformat.v4.new_code_cell("fig.show()", execution_count=1, outputs=[
                 nbformat.v4.new_output("display_data", data=r.to_mimebundle(fig.to_plotly_json()))])]
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=cells), nb_dir / "01_clipped.ipynb")
    out = tmp_path / "site"
    build_site(nb_dir, out)
    with serve(out) as base:
        (rep,) = inspect_site(base, ["01_clipped.html"])
    assert rep.figures_drawn == 1
    assert any("stations with broken" in t for t in rep.clipped_texts), rep.clipped_texts
    assert not rep.ok


@needs_browser
def test_pages_read_well_on_a_390px_phone(site):
    from govlab.site.browser import page_layout

    out, pages = site
    with serve(out) as base:
        for rel in ["index.html", pages[0].href]:
            info = page_layout(base + rel, width=390, height=844)
            assert info["nav_position"] != "sticky", f"{rel}: the bar must scroll away on a phone"
            assert info["nav_height"] <= 0.15 * info["viewport_height"], f"{rel}: bar {info['nav_height']} px high"
            assert info["text_scroll_width"] <= info["viewport_width"], f"{rel}: prose wider than the screen"
