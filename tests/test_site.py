"""The offline report site: pages, index, shared plotly.js, nothing loaded from outside the machine."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest

from govlab.site import build_site, check_site, count_figure_divs, external_references, is_external
from govlab.site.build import notebook_description, notebook_title, plotly_js_path
from govlab.site.thumbnail import decode_array, thumbnail_svg
from govlab.viz.renderer import GovlabRenderer

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def make_notebook(path: Path, title: str, para: str, figures: list[go.Figure], table: bool = False) -> Path:
    """A small executed-looking notebook with govlab-rendered figures (no kernel needed)."""
    renderer = GovlabRenderer()
    cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n{para}\n\n## Next\n\nMore text.")]
    for k, fig in enumerate(figures, start=1):
        out = nbformat.v4.new_output("display_data", data=renderer.to_mimebundle(fig.to_plotly_json()))
        cells.append(nbformat.v4.new_code_cell("fig.show()", outputs=[out], execution_count=k))
    if table:
        out = nbformat.v4.new_output("execute_result", execution_count=99,
                                     data={"text/html": "<table><tr><td>委员</td><td>1</td></tr></table>",
                                           "text/plain": "委员 1"})
        cells.append(nbformat.v4.new_code_cell("df", outputs=[out], execution_count=99))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    nb_dir = tmp_path_factory.mktemp("nbs")
    make_notebook(nb_dir / "01_first.ipynb", "First 委员工作站", "What the **first** notebook shows, with [a link](x.html).",
                  [go.Figure(go.Bar(x=["甲", "乙"], y=[1, 2]), layout_title_text="成员 by level"),
                   go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]))], table=True)
    make_notebook(nb_dir / "02_second.ipynb", "Second", "Heatmap notebook.",
                  [go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]), layout_title_text="heat")])
    make_notebook(nb_dir / "teaching" / "t1_exercise.ipynb", "Exercise one", "Try it.", [])
    make_notebook(nb_dir / "teaching" / "solutions" / "t1_exercise.ipynb", "Exercise one: solution", "Solved.", [])
    out = tmp_path_factory.mktemp("site") / "site"
    pages = build_site(nb_dir, out)
    return out, pages


def test_every_notebook_becomes_a_page_in_index_order(small_site):
    out, pages = small_site
    assert [p.href for p in pages] == ["01_first.html", "02_second.html", "teaching/t1_exercise.html",
                                       "teaching/solutions/t1_exercise.html"]
    assert [p.section for p in pages] == ["Notebooks", "Notebooks", "Teaching: exercises", "Teaching: solutions"]
    for p in pages:
        assert (out / p.href).is_file()
        assert (out / "notebooks" / p.rel_ipynb).is_file(), "the executed notebook is offered for download"


def test_index_lists_title_description_and_key_figure(small_site):
    out, _ = small_site
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in index
    assert "First 委员工作站" in index and "What the first notebook shows, with a link." in index
    assert "Key figure: 成员 by level" in index and "<svg viewBox" in index
    assert "2 figures, 1 table" in index
    for href in ("01_first.html", "02_second.html", "teaching/t1_exercise.html"):
        assert f'href="{href}"' in index
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pages"][0]["figure_titles"] == ["成员 by level", ""]


def test_pages_share_one_local_plotly_js_and_no_cdn(small_site):
    out, _ = small_site
    assert (out / "static" / "plotly.min.js").read_bytes() == plotly_js_path().read_bytes()
    assert len(list(out.rglob("plotly*.js"))) == 1
    page = (out / "01_first.html").read_text(encoding="utf-8")
    assert '<script src="static/plotly.min.js"></script>' in page
    assert page.count("plotly.min.js") == 1, "plotly.js is referenced, never inlined"
    for marker in ("require.js", "require.min.js", "MathJax", "mermaid", "unpkg", "cdnjs", "cdn.plot.ly"):
        assert marker not in page.split("<body")[0] + "".join(page.split("</main>")[1:]), marker
    deep = (out / "teaching" / "solutions" / "t1_exercise.html").read_text(encoding="utf-8")
    assert 'src="../../static/plotly.min.js"' in deep and 'href="../../index.html"' in deep
    assert count_figure_divs(page) == 2


def test_pages_render_chinese_text_with_a_cjk_font_stack(small_site):
    out, _ = small_site
    page = (out / "01_first.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8"' in page
    assert "委员工作站" in page  # UTF-8 text, not escaped entities
    css = (out / "static" / "govlab.css").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in css and "--jp-content-font-family" in css
    assert page.index("static/govlab.css") > page.index("--jp-content-font-family"), \
        "govlab.css must come after the lab theme so its font stack wins"


def test_navigation_links_neighbours(small_site):
    out, _ = small_site
    second = (out / "02_second.html").read_text(encoding="utf-8")
    assert 'href="01_first.html"' in second and 'href="teaching/t1_exercise.html"' in second
    assert 'href="notebooks/02_second.ipynb"' in second


def test_built_site_has_no_external_references(small_site):
    out, _ = small_site
    assert check_site(out) == {}


def test_check_site_flags_external_scripts_styles_and_images(tmp_path):
    (tmp_path / "a.html").write_text(
        '<html><head><script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.com/a.css">'
        '<style>/* https://ok-in-comment.org */ @import "https://evil.example/b.css"; </style></head>'
        '<body><img src="http://127.0.0.1:8000/local.png"><img src="http://example.net/p.png">'
        '<a href="https://example.org/">a link is not a load</a></body></html>', encoding="utf-8")
    problems = check_site(tmp_path)["a.html"]
    joined = " ".join(problems)
    assert len(problems) == 4, problems
    assert "cdn.example.org" in joined and "fonts.example.com" in joined and "evil.example" in joined
    assert "example.net" in joined and "127.0.0.1" not in joined and "ok-in-comment" not in joined


def test_is_external():
    assert is_external("https://cdn.plot.ly/plotly.js")
    assert is_external("//cdnjs.cloudflare.com/x.js")
    assert not is_external("static/plotly.min.js")
    assert not is_external("http://localhost:8000/x")
    assert not is_external("data:image/png;base64,AAAA")
    assert external_references('<script src="https://a.b/c.js"></script>') == ["<script src=https://a.b/c.js>"]


def test_title_and_description_fall_back_cleanly():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    assert notebook_title(nb, "07_x") == "07_x"
    assert notebook_description(nb) == ""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\n\n- a list\n\n" + "word " * 200)])
    desc = notebook_description(nb, limit=50)
    assert desc.endswith("…") and len(desc) <= 52


def test_empty_folder_gives_an_index_that_says_so(tmp_path):
    (tmp_path / "nbs").mkdir()
    assert build_site(tmp_path / "nbs", tmp_path / "site") == []
    assert "No notebooks yet" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_missing_folder_and_broken_notebook_are_named(tmp_path):
    from govlab.errors import InputError

    with pytest.raises(InputError, match="not found"):
        build_site(tmp_path / "nope", tmp_path / "site")
    (tmp_path / "nbs").mkdir()
    (tmp_path / "nbs" / "bad.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="bad.ipynb"):
        build_site(tmp_path / "nbs", tmp_path / "site")


def test_rebuild_replaces_the_site_and_is_deterministic(small_site, tmp_path):
    out, pages = small_site
    nb_dir = tmp_path / "nbs"
    make_notebook(nb_dir / "01_first.ipynb", "Only", "One page.", [go.Figure(go.Bar(y=[1]))])
    site = tmp_path / "site"
    (site / "stale").mkdir(parents=True)
    build_site(nb_dir, site)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    build_site(nb_dir, site)
    second = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert first == second
    assert not (site / "stale").exists()
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site")], "no temporary folders left"


# --------------------------------------------------------------------------- thumbnails
def test_thumbnails_draw_common_trace_types():
    import base64

    import numpy as np

    bdata = {"dtype": "f8", "bdata": base64.b64encode(np.array([1.0, 4.0, 2.0]).tobytes()).decode()}
    assert decode_array(bdata) == [1.0, 4.0, 2.0]
    assert thumbnail_svg({"data": [{"type": "bar", "y": bdata}]}).count("<rect") == 3
    assert thumbnail_svg({"data": [{"type": "bar", "x": [1, 2], "orientation": "h"}]}).count("<rect") == 2
    assert "<polyline" in thumbnail_svg({"data": [{"type": "scatter", "mode": "lines", "y": [1, 3, 2]}]})
    assert thumbnail_svg({"data": [{"type": "scatter", "mode": "markers", "x": [1, 2], "y": [2, 1]}]}).count("<circle") == 2
    assert thumbnail_svg({"data": [{"type": "heatmap", "z": [[1, 2], [3, 4]]}]}).count("<rect") == 4
    edges = thumbnail_svg({"data": [{"type": "scatter", "mode": "lines", "x": [0, 1, None, 2, 3], "y": [0, 1, None, 1, 0]}]})
    assert edges.count("<polyline") == 2, "a None gap splits the line, as plotly draws network edges"
    assert thumbnail_svg({"data": [{"type": "funnel", "x": [10, 6, 3], "y": ["a", "b", "c"]}]}).count("<rect") == 3
    assert thumbnail_svg({"data": [{"type": "pie", "values": [1, 2, 3]}]}).count("<path") == 3
    other = thumbnail_svg({"data": [{"type": "sunburst"}], "layout": {"title": {"text": "层级"}}})
    assert "sunburst chart" in other and 'aria-label="层级"' in other
    assert "<script" not in other and "http" not in other


# --------------------------------------------------------------------------- the shipped notebooks
def _stored_notebooks():
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.skipif(not _stored_notebooks(), reason="no notebooks in notebooks/ yet")
def test_site_from_stored_notebooks_has_no_external_url(tmp_path):
    pages = build_site(NOTEBOOKS, tmp_path / "site")
    assert len(pages) == len(_stored_notebooks())
    assert check_site(tmp_path / "site") == {}
    for p in pages:
        html = (tmp_path / "site" / p.href).read_text(encoding="utf-8")
        assert count_figure_divs(html) == p.n_figures, f"{p.href}: every stored figure becomes a div"


def test_cli_report_site_and_check(tmp_path, capsys):
    from govlab.cli import main

    make_notebook(tmp_path / "nbs" / "01_a.ipynb", "A", "Para.", [go.Figure(go.Bar(y=[1, 2]))])
    assert main(["report", "site", str(tmp_path / "nbs"), "--out", str(tmp_path / "site")]) == 0
    assert "1 pages, 1 figures" in capsys.readouterr().out
    assert main(["report", "check", str(tmp_path / "site")]) == 0
    (tmp_path / "site" / "bad.html").write_text('<script src="https://x.example/a.js"></script>', encoding="utf-8")
    assert main(["report", "check", str(tmp_path / "site")]) == 1
    assert "x.example" in capsys.readouterr().out


def test_index_gives_a_reading_order_and_keeps_solutions_apart(small_site):
    out, pages = small_site
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Start here" in index and '<ol class="govlab-reading">' in index
    order = index.split('<ol class="govlab-reading">')[1].split("</ol>")[0]
    assert order.index("01_first.html") < order.index("02_second.html") < order.index("teaching/t1_exercise.html")
    assert "teaching/solutions/" not in index, "solutions are not on the index"
    assert 'href="solutions.html"' in index
    sol = (out / "solutions.html").read_text(encoding="utf-8")
    assert 'href="teaching/solutions/t1_exercise.html"' in sol and "01_first.html" not in sol
    assert [p.step for p in pages] == [1, 2, 3, 0]


def test_next_never_leads_from_an_exercise_to_a_solution(small_site):
    out, _ = small_site
    exercise = (out / "teaching" / "t1_exercise.html").read_text(encoding="utf-8")
    assert 'class="govlab-next"' not in exercise, "the last exercise ends the reading order"
    assert '<a class="govlab-counterpart" href="../teaching/solutions/t1_exercise.html">solution</a>' in exercise
    assert "3 / 3" in exercise
    solution = (out / "teaching" / "solutions" / "t1_exercise.html").read_text(encoding="utf-8")
    assert 'class="govlab-prev"' not in solution and 'class="govlab-next"' not in solution
    assert "back to the exercise" in solution and 'href="../../solutions.html"' in solution


def test_css_lets_the_bar_scroll_away_on_phones():
    from govlab.site.build import TEMPLATES

    css = (TEMPLATES / "govlab.css").read_text(encoding="utf-8")
    narrow = css.split("@media (max-width: 700px)")[1]
    assert "position: static" in narrow.split("}")[0]
