"""Labels in two languages, the deterministic offline renderer, and static figure export."""
from __future__ import annotations

import json
import re
import zlib

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import govlab
from govlab.viz.labels import get_language, label, set_language
from govlab.viz.renderer import CJK_FONT, GovlabRenderer


@pytest.fixture
def restore_language():
    before = get_language()
    yield
    set_language(before)


# --------------------------------------------------------------------------- labels
def test_setup_switches_label_language_with_one_argument(restore_language):
    govlab.setup(lang="en")
    assert govlab.label("委员工作站") == "member workstation"
    govlab.setup(lang="zh")
    assert govlab.label("委员工作站") == "委员工作站"
    assert govlab.label("member workstation") == "委员工作站"  # English keys work too
    govlab.setup(lang="both")
    assert govlab.label("委员工作站") == "委员工作站 member workstation"


def test_label_explicit_language_overrides_setting_and_unknown_terms_pass_through(restore_language):
    set_language("en")
    assert label("协商议事室", lang="zh") == "协商议事室"
    assert label("不在词表里的词") == "不在词表里的词"


def test_every_glossary_term_has_both_languages():
    from govlab.datasets import load_glossary

    df = load_glossary()
    assert len(df) > 50
    assert (df["zh"].str.len() > 0).all() and (df["en"].str.len() > 0).all()
    no_han = df.loc[~df["zh"].str.contains(r"[\u4e00-\u9fff0-9]"), "zh"].tolist()
    assert not no_han, f"zh terms with neither Chinese characters nor a code: {no_han}"
    dup = df["zh"][df["zh"].duplicated()].tolist()
    assert not dup, f"duplicate Chinese terms in glossary.csv: {dup}"


def test_set_language_rejects_unknown_language():
    with pytest.raises(govlab.InputError, match="lang"):
        set_language("fr")


# --------------------------------------------------------------------------- renderer
def _bundle(fig):
    return GovlabRenderer().to_mimebundle(fig.to_plotly_json())


def test_renderer_output_is_deterministic_and_loads_no_script():
    fig = go.Figure(go.Bar(x=["甲", "乙"], y=[1, 2]), layout_title_text="测试")
    a, b = _bundle(fig), _bundle(fig)
    assert a == b
    html = a["text/html"]
    assert re.search(r'id="fig-[0-9a-f]{12}-1"', html)
    assert "<script src" not in html and "cdn" not in html.lower() and "mathjax" not in html.lower()
    assert a["application/vnd.plotly.v1+json"]["layout"]["title"]["text"] == "测试"


def test_renderer_id_changes_with_the_figure():
    r = GovlabRenderer()
    one = r.to_mimebundle(go.Figure(go.Bar(y=[1])).to_plotly_json())["text/html"]
    two = r.to_mimebundle(go.Figure(go.Bar(y=[2])).to_plotly_json())["text/html"]
    ids = [re.search(r'id="(fig-[^"]+)"', h).group(1) for h in (one, two)]
    assert ids[0].split("-")[1] != ids[1].split("-")[1]
    assert ids[1].endswith("-2")


def test_setup_makes_govlab_renderer_and_cjk_template_default():
    govlab.setup()
    assert pio.renderers.default == "govlab"
    assert pio.templates.default == "govlab"
    family = pio.templates["govlab"].layout.font.family
    assert family == CJK_FONT and family.startswith("Noto Sans CJK SC")


# --------------------------------------------------------------------------- export
def test_figures_are_collected_from_notebooks_in_order(tmp_path):
    import nbformat

    from govlab.viz.export import figures_from_notebooks

    cells = []
    for k in range(3):
        fig = go.Figure(go.Bar(y=[k, k + 1]), layout_title_text=f"f{k}")
        out = nbformat.v4.new_output("display_data", data=_bundle(fig))
        cells.append(nbformat.v4.new_code_cell("fig.show()", outputs=[out], execution_count=k + 1))
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "09_demo.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    specs = figures_from_notebooks([path], root=tmp_path)
    assert [s.name for s in specs] == ["sub-09_demo-fig01", "sub-09_demo-fig02", "sub-09_demo-fig03"]
    assert [s.figure["layout"]["title"]["text"] for s in specs] == ["f0", "f1", "f2"]


def test_export_without_browser_says_why(monkeypatch, tmp_path):
    from govlab.viz import export

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(export.ExportUnavailable, match="chromium"):
        export.export_figures([export.FigureSpec("x", {"data": []})], tmp_path / "out")
    assert export.main([str(tmp_path / "out2"), "--formats", "png"]) == 0  # skips cleanly


def _pdf_unicode(data: bytes) -> str:
    """Characters named by the ToUnicode maps of a PDF's embedded fonts (text a reader extracts)."""
    chars = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for hexcode in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,})>", text):
            chars.append(chr(int(hexcode[:4], 16)))
    return "".join(chars)


@pytest.mark.browser
def test_export_one_chinese_figure_to_png_svg_pdf_in_one_batch(tmp_path):
    from govlab.viz import export

    if export.find_browser() is None:
        pytest.skip("no chromium (install Debian's chromium and fonts-noto-cjk, or set BROWSER_PATH)")
    govlab.setup()
    fig = go.Figure(go.Bar(x=["委员", "群众"], y=[3, 5]), layout=dict(title_text="协商测试", width=400, height=300))
    spec = export.FigureSpec("cjk", json.loads(fig.to_json()))
    paths = export.export_figures([spec], tmp_path, formats=("png", "svg", "pdf"), scale=1)
    assert [p.name for p in paths] == ["cjk.png", "cjk.svg", "cjk.pdf"]
    png, svg, pdf = (p.read_bytes() for p in paths)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000
    assert int.from_bytes(png[16:20], "big") == 400  # width in pixels at scale 1
    assert svg.lstrip().startswith(b"<svg") and "协商测试".encode() in svg
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    extracted = _pdf_unicode(pdf)
    assert set("协商测试委员群众") <= set(extracted), f"PDF text lacks the Chinese labels: {extracted!r}"
