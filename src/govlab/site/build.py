"""Render executed notebooks into an offline static site.

Each notebook becomes one HTML page through nbconvert with the ``govlab`` template (the JupyterLab
look without the require.js, MathJax, mermaid and widget CDN scripts). Every page loads one shared
``static/plotly.min.js`` copied from the installed plotly package, so the figures that govlab's
renderer stored as script-free ``<div>`` s draw without a network. An ``index.html`` lists each
notebook with its title, its first paragraph and a miniature of its key figure.

Reference: ../shared/research/notebooks.md, section 5 ("nbconvert" fix).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from govlab.errors import InputError
from govlab.io import write_bytes, write_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
SITE_TITLE = "govlab: CPPCC grassroots consultation, reports and networks"
SITE_LEDE = ("Executed notebooks of govlab: a clean, auditable corpus of policy reports on how city and "
             "county CPPCCs (市县政协) extend consultation to the grassroots, the practices and figures "
             "coded from them, and calibrated participation-network models with policy scenarios. "
             "Each page shows the stored outputs of one notebook; the index shows its key figure.")


@dataclass(frozen=True)
class KeyFigure:
    """The figure shown for a notebook on the index page."""

    title: str
    svg: str


@dataclass
class Page:
    """One notebook page of the site."""

    rel_ipynb: str            # path of the notebook relative to the notebook folder
    href: str                 # page path relative to the site root
    slug: str
    title: str
    description: str
    section: str
    n_figures: int = 0
    n_tables: int = 0
    n_code_cells: int = 0
    key_figure: KeyFigure | None = None
    figure_titles: list[str] = field(default_factory=list)
    step: int = 0                 # place in the reading order (1-based; 0 for solutions)
    counterpart: str = ""         # exercise <-> solution page (href), when there is one

    @property
    def is_solution(self) -> bool:
        return self.section == SOLUTIONS


# --------------------------------------------------------------------------- notebook summaries
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(\*\*|__|`|\*|_(?=\S)|(?<=\S)_)")


def _plain(md: str) -> str:
    text = _MD_LINK.sub(r"\1", md)
    text = _MD_MARKUP.sub("", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text).strip()


def notebook_title(nb, default: str) -> str:
    """The first level-1 heading of the first markdown cells, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return _plain(line[2:])
    return default


def notebook_description(nb, limit: int = 320) -> str:
    """The first paragraph of markdown prose (not a heading, list, table or quote), as plain text,
    cut at ``limit`` characters on a word boundary.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\\n\\nWhat **this** does.")])
    >>> notebook_description(nb)
    'What this does.'
    """
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for para in re.split(r"\n\s*\n", cell.source):
            lines = [ln for ln in para.strip().splitlines() if ln.strip()]
            if not lines or lines[0].lstrip().startswith(("#", "-", "*", "|", ">", "```", "<", "1.")):
                continue
            text = _plain(" ".join(lines))
            if len(text) > limit:
                text = text[:limit].rsplit(" ", 1)[0] + " …"
            return text
    return ""


def notebook_figures(nb) -> list[dict]:
    """Every plotly figure stored in a notebook's outputs, in order."""
    figs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                fig = data[PLOTLY_MIME]
                figs.append(json.loads(fig) if isinstance(fig, str) else dict(fig))
    return figs


def _count_tables(nb) -> int:
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html")
            if html and PLOTLY_MIME not in out.get("data", {}):
                n += "".join(html).count("<table")
    return n


SOLUTIONS = "Teaching: solutions"
EXERCISES = "Teaching: exercises"


def _section(rel: str) -> str:
    parts = Path(rel).parts
    if len(parts) >= 3 and parts[0] == "teaching" and parts[1] == "solutions":
        return SOLUTIONS
    if parts[0] == "teaching":
        return EXERCISES
    if len(parts) > 1:
        return parts[0].replace("_", " ").title()
    return "Notebooks"


_SECTION_ORDER = {"Notebooks": 0, EXERCISES: 1, SOLUTIONS: 2}


def reading_order(pages: Sequence[Page]) -> list[list[Page]]:
    """The chains that "previous"/"next" follow: the notebooks then the exercises, in index order,
    and, apart, the solutions. A solution is never "next" to an exercise: a student reaches it only
    on purpose (from the exercise's "solution" link or the solutions page).

    Also numbers the reading order (``Page.step``) and links each exercise with its solution
    (``Page.counterpart``, matched by file name).

    Examples
    --------
    >>> ps = [Page(r, r.replace(".ipynb", ".html"), r, r, "", _section(r)) for r in
    ...       ("00_tour.ipynb", "teaching/t1.ipynb", "teaching/solutions/t1.ipynb")]
    >>> [[p.href for p in chain] for chain in reading_order(ps)]
    [['00_tour.html', 'teaching/t1.html'], ['teaching/solutions/t1.html']]
    >>> ps[1].counterpart, ps[2].counterpart, [p.step for p in ps]
    ('teaching/solutions/t1.html', 'teaching/t1.html', [1, 2, 0])
    """
    main = [p for p in pages if not p.is_solution]
    solutions = [p for p in pages if p.is_solution]
    for k, p in enumerate(main, 1):
        p.step = k
    exercises = {Path(p.rel_ipynb).name: p for p in main if p.section == EXERCISES}
    for s in solutions:
        ex = exercises.get(Path(s.rel_ipynb).name)
        if ex is not None:
            ex.counterpart, s.counterpart = s.href, ex.href
    return [chain for chain in (main, solutions) if chain]


def summarize_notebook(nb, rel: str) -> Page:
    """Title, description, counts and key figure of one notebook (``rel`` relative to its folder)."""
    from govlab.site.thumbnail import figure_title, thumbnail_svg

    stem = Path(rel).with_suffix("")
    slug = "-".join(stem.parts)
    figs = notebook_figures(nb)
    titles = [figure_title(f) for f in figs]
    key = None
    if figs:
        i = next((k for k, t in enumerate(titles) if t), 0)
        key = KeyFigure(title=_plain(titles[i]) or f"figure {i + 1}", svg=thumbnail_svg(figs[i]))
    return Page(
        rel_ipynb=Path(rel).as_posix(), href=stem.as_posix() + ".html", slug=slug,
        title=notebook_title(nb, stem.name), description=notebook_description(nb), section=_section(rel),
        n_figures=len(figs), n_tables=_count_tables(nb),
        n_code_cells=sum(c.cell_type == "code" for c in nb.cells), key_figure=key,
        figure_titles=[_plain(t) for t in titles],
    )


# --------------------------------------------------------------------------- rendering
def _exporter():
    from nbconvert import HTMLExporter

    exp = HTMLExporter(template_name="govlab", extra_template_basedirs=[str(TEMPLATES)])
    exp.exclude_input_prompt = False
    return exp


def render_page(nb, page: Page, prev: Page | None, nxt: Page | None, exporter=None, n_steps: int = 0) -> str:
    """The HTML of one notebook page."""
    import copy

    exporter = exporter or _exporter()
    depth = len(Path(page.href).parts) - 1
    root = "../" * depth
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = page.title
    resources = {
        "metadata": {"name": page.title},
        "govlab": {
            "root": root,
            "prev": {"href": root + prev.href, "title": prev.title} if prev else None,
            "next": {"href": root + nxt.href, "title": nxt.title} if nxt else None,
            "ipynb": root + "notebooks/" + page.rel_ipynb,
            "step": page.step, "n_steps": n_steps,
            "counterpart": ({"href": root + page.counterpart, "solution": not page.is_solution}
                            if page.counterpart else None),
            "solutions_index": root + "solutions.html" if page.is_solution else None,
            "version": _version_string(),
        },
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return html


def find_notebooks(nb_dir: str | os.PathLike) -> list[Path]:
    """Every ``.ipynb`` under ``nb_dir``, top-level first, then by path; skips checkpoints."""
    nb_dir = Path(nb_dir)
    found = [p for p in nb_dir.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    return sorted(found, key=lambda p: (len(p.relative_to(nb_dir).parts), p.relative_to(nb_dir).as_posix()))


def plotly_js_path() -> Path:
    """``plotly.min.js`` of the installed plotly package."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.exists():  # pragma: no cover - plotly always ships it
        raise InputError("plotly.min.js not found in the installed plotly package", source=str(path))
    return path


def build_site(nb_dir: str | os.PathLike, out: str | os.PathLike = "site", *,
               notebooks: Sequence[str | os.PathLike] | None = None, title: str = SITE_TITLE,
               log=None) -> list[Page]:
    """Render the notebooks of ``nb_dir`` into an offline site in ``out``.

    The stored outputs are converted as they are (nothing is executed). The site is written to a
    temporary folder beside ``out`` and moved into place when complete, so an interrupted build
    leaves the previous site intact.

    Parameters
    ----------
    nb_dir : path
        Folder of executed notebooks (searched recursively; sub-folders become sections).
    out : path
        Site folder to (re)create.
    notebooks : sequence of paths, optional
        Only these notebooks (inside ``nb_dir``).
    title : str
        Title of the index page.

    Returns
    -------
    list of Page
        One entry per page, in index order.

    Raises
    ------
    InputError
        When ``nb_dir`` is missing or a notebook cannot be read (naming it). A folder without
        notebooks gives a site whose index says so.
    """
    import nbformat

    nb_dir = Path(nb_dir)
    out = Path(out)
    if not nb_dir.is_dir():
        raise InputError("notebook folder not found", source=str(nb_dir))
    paths = [Path(p) for p in notebooks] if notebooks else find_notebooks(nb_dir)
    loaded = []
    for p in paths:
        try:
            nb = nbformat.read(p, as_version=4)
        except Exception as exc:
            raise InputError(f"cannot read notebook: {exc}", source=str(p)) from exc
        rel = p.resolve().relative_to(nb_dir.resolve()).as_posix()
        loaded.append((nb, summarize_notebook(nb, rel), p))
    loaded.sort(key=lambda t: (_SECTION_ORDER.get(t[1].section, 3), t[1].section, t[1].rel_ipynb))
    pages = [pg for _, pg, _ in loaded]

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        exporter = _exporter()
        (tmp / "static").mkdir()
        shutil.copyfile(plotly_js_path(), tmp / "static" / "plotly.min.js")
        shutil.copyfile(TEMPLATES / "govlab.css", tmp / "static" / "govlab.css")
        chains = reading_order(pages)
        neighbours = {}
        for chain in chains:
            for k, page in enumerate(chain):
                neighbours[page.href] = (chain[k - 1] if k > 0 else None, chain[k + 1] if k + 1 < len(chain) else None)
        n_steps = sum(not p.is_solution for p in pages)
        for nb, page, src in loaded:
            prev, nxt = neighbours[page.href]
            html = render_page(nb, page, prev, nxt, exporter, n_steps=n_steps)
            write_text(tmp / page.href, html)
            write_bytes(tmp / "notebooks" / page.rel_ipynb, src.read_bytes())
            if log:
                log(f"rendered {page.rel_ipynb} -> {page.href}")
        write_text(tmp / "index.html", render_index(pages, title))
        write_text(tmp / "solutions.html", render_index(pages, title, solutions=True))
        manifest = [{k: v for k, v in asdict(p).items() if k != "key_figure"} for p in pages]
        write_text(tmp / "manifest.json", json.dumps({"title": title, "pages": manifest},
                                                     ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        _make_readable(tmp)
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}-old-{os.getpid()}")
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return pages


def _make_readable(folder: Path) -> None:
    """Give a built site ordinary web permissions (temporary files are created private)."""
    folder.chmod(0o755)
    for p in folder.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)


def render_index(pages: Sequence[Page], title: str = SITE_TITLE, *, solutions: bool = False) -> str:
    """The HTML of the index page: the reading order, then one card per notebook by section.

    Solutions are left off the index (a student should meet an exercise before its answer); with
    ``solutions=True`` this renders the separate solutions page instead.
    """
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
                             keep_trailing_newline=True)
    n_solutions = sum(p.is_solution for p in pages)
    pages = [p for p in pages if p.is_solution == solutions]
    sections = []
    for p in pages:
        if not sections or sections[-1]["name"] != p.section:
            sections.append({"name": p.section, "pages": []})
        sections[-1]["pages"].append(p)
    return env.get_template("site_index.html.j2").render(title=title, lede=SITE_LEDE, pages=pages,
                                                        sections=sections, solutions=solutions,
                                                        n_solutions=n_solutions,
                                                        version=_version_string())


def _version_string() -> str:
    """govlab's version and commit for the footers (see :mod:`govlab.provenance`)."""
    from govlab.provenance import version_string

    return version_string()


# --------------------------------------------------------------------------- offline checks
class _RefCollector(HTMLParser):
    TAGS = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",),
            "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
            "embed": ("src",), "object": ("data",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href")}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        names = self.TAGS.get(tag)
        if not names:
            return
        for name, value in attrs:
            if name in names and value:
                self.refs.append((tag, name, value))


_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def is_external(url: str) -> bool:
    """Whether a URL points off this machine (http, https, ws or protocol-relative to another host).

    Examples
    --------
    >>> is_external("https://cdn.plot.ly/plotly.min.js"), is_external("static/plotly.min.js")
    (True, False)
    >>> is_external("http://127.0.0.1:8000/x.js"), is_external("//example.org/a.css")
    (False, True)
    """
    url = url.strip()
    if url.startswith("//"):
        url = "http:" + url
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https", "ws", "wss", "ftp"):
        return False
    return (parsed.hostname or "") not in LOCAL_HOSTS


def external_references(html: str) -> list[str]:
    """External URLs a page would load: ``src``/``href`` of script, link, img and similar
    elements, and ``url()``/``@import`` inside ``<style>`` (CSS comments ignored)."""
    parser = _RefCollector()
    parser.feed(html)
    found = [f"<{tag} {name}={value}>" for tag, name, value in parser.refs
             for value in [v.split()[0] for v in value.split(",")] if is_external(value)]
    for style in re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S | re.I):
        style = re.sub(r"/\*.*?\*/", "", style, flags=re.S)
        found += [f"css url({u})" for u in _CSS_URL.findall(style) if is_external(u)]
    return found


def check_site(site: str | os.PathLike) -> dict[str, list[str]]:
    """Offline problems per page: external references, and figure divs without a local plotly.js.

    Returns
    -------
    dict
        ``{page: [problem, ...]}`` for pages with problems (empty when the site is clean).
    """
    site = Path(site)
    problems: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        issues = external_references(html)
        if "plotly-graph-div" in html and "static/plotly.min.js" not in html:
            issues.append("plotly figure without static/plotly.min.js")
        if issues:
            problems[page.relative_to(site).as_posix()] = issues
    return problems


def count_figure_divs(html: str) -> int:
    """Number of plotly figure ``<div>`` s in a page."""
    return len(re.findall(r'class="plotly-graph-div"', html))


def iter_pages(site: str | os.PathLike) -> Iterable[Path]:
    """HTML pages of a built site, index first."""
    site = Path(site)
    pages = sorted(site.rglob("*.html"))
    return sorted(pages, key=lambda p: (p.name != "index.html" or p.parent != site, p.as_posix()))
