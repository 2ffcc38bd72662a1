"""Static export of plotly figures to PNG, SVG and PDF in one batch, offline.

Kaleido (v1) drives a headless Chromium; govlab points it at the system browser (``BROWSER_PATH``,
default Debian's ``/usr/bin/chromium``) and never downloads one. MathJax is switched off (kaleido
would otherwise load it from a CDN) and plotly.js comes from the installed plotly package. Chinese
text needs a CJK font visible to fontconfig (Debian ``fonts-noto-cjk``); govlab's template asks for
``Noto Sans CJK SC`` first.

``python -m govlab.viz.export OUT_DIR [NB ...]`` exports every figure stored in the executed
notebooks (default: ``_build/notebooks`` when it exists, else ``notebooks/``) as
``OUT_DIR/<notebook>-figNN.{png,svg,pdf}``. Without a browser it prints why and exits 0.

Reference: ../shared/research/notebooks.md, section 3 ("Static export").
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from govlab.errors import ConfigError, InputError

FORMATS = ("png", "svg", "pdf")
PLOTLY_MIME = "application/vnd.plotly.v1+json"


class ExportUnavailable(ConfigError):
    """Static export cannot run here (no Chromium); the message says what to install."""


@dataclass(frozen=True)
class FigureSpec:
    """One figure to export: a file stem and a plotly figure dict."""

    name: str
    figure: dict


def find_browser() -> str | None:
    """The Chromium kaleido will use: ``BROWSER_PATH`` if executable, else ``chromium`` on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and os.access(env, os.X_OK):
        return env
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def figures_from_notebooks(notebooks: Iterable[str | os.PathLike], root: str | os.PathLike | None = None
                           ) -> list[FigureSpec]:
    """Every plotly figure stored in the notebooks, named ``<notebook>-figNN`` (01, 02, … per
    notebook; sub-folders relative to ``root`` are joined with ``-``)."""
    import nbformat

    specs = []
    for path in notebooks:
        path = Path(path)
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:
            raise InputError(f"cannot read notebook: {exc}", source=str(path)) from exc
        stem = path.with_suffix("")
        if root is not None:
            try:
                stem = path.resolve().with_suffix("").relative_to(Path(root).resolve())
            except ValueError:
                pass
        base = "-".join(stem.parts[-3:]) if root is not None else stem.name
        k = 0
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                fig = out.get("data", {}).get(PLOTLY_MIME)
                if fig is None:
                    continue
                k += 1
                specs.append(FigureSpec(f"{base}-fig{k:02d}", json.loads(fig) if isinstance(fig, str) else dict(fig)))
    return specs


def _prepare(fig: dict) -> dict:
    """A copy of the figure with a CJK-capable font when it names none."""
    from govlab.viz.renderer import CJK_FONT

    fig = json.loads(json.dumps(fig))
    layout = fig.setdefault("layout", {})
    font = layout.setdefault("font", {})
    template_font = (((layout.get("template") or {}).get("layout") or {}).get("font") or {})
    if not font.get("family") and not template_font.get("family"):
        font["family"] = CJK_FONT
    return fig


def export_figures(figures: Sequence[FigureSpec], out_dir: str | os.PathLike,
                   formats: Sequence[str] = FORMATS, *, width: int = 900, height: int = 540,
                   scale: float = 2.0, tabs: int = 2, timeout: float = 120) -> list[Path]:
    """Write every figure in every format with one Chromium session.

    Parameters
    ----------
    figures : sequence of FigureSpec
    out_dir : path
        Created when missing; files are ``<name>.<format>``.
    formats : sequence of {"png", "svg", "pdf", "jpeg", "webp"}
    width, height : int
        Size in CSS pixels when a figure sets none.
    scale : float
        Pixel ratio for raster formats.
    tabs : int
        Browser tabs rendering at once.
    timeout : float
        Seconds allowed per image.

    Returns
    -------
    list of Path
        The files written, figure by figure, in ``formats`` order.

    Raises
    ------
    ExportUnavailable
        When no Chromium is found (the message says how to install one).
    """
    browser = find_browser()
    if browser is None:
        raise ExportUnavailable("no Chromium found for static export: install Debian's chromium and "
                                "fonts-noto-cjk (`make sysdeps`) or set BROWSER_PATH", key="BROWSER_PATH")
    bad = [f for f in formats if f not in ("png", "svg", "pdf", "jpeg", "jpg", "webp")]
    if bad:
        raise ConfigError(f"unknown image formats {bad}; expected png, svg, pdf, jpeg or webp", key="formats")
    os.environ["BROWSER_PATH"] = browser
    import kaleido

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs, paths = [], []
    for spec in figures:
        fig = _prepare(spec.figure)
        lay = fig.get("layout", {})
        for fmt in formats:
            path = out_dir / f"{spec.name}.{fmt}"
            opts = {"format": fmt, "width": lay.get("width") or width, "height": lay.get("height") or height,
                    "scale": scale if fmt in ("png", "jpeg", "jpg", "webp") else 1}
            jobs.append({"fig": fig, "path": str(path), "opts": opts})
            paths.append(path)
    if not jobs:
        return []

    async def run():
        async with kaleido.Kaleido(n=max(1, min(tabs, len(jobs))), timeout=timeout, mathjax=False) as k:
            await k.write_fig_from_object(jobs, cancel_on_error=True)

    asyncio.run(run())
    missing = [str(p) for p in paths if not p.exists() or p.stat().st_size == 0]
    if missing:
        raise InputError(f"kaleido wrote no data for {len(missing)} files", source=", ".join(missing[:5]))
    return paths


def default_notebooks() -> tuple[list[Path], Path]:
    """The executed notebooks of ``make notebooks`` when present, else the stored ones."""
    for folder in (Path("_build/notebooks"), Path("notebooks")):
        found = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        if found:
            return found, folder
    return [], Path("notebooks")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govlab.viz.export",
                                     description="Export every plotly figure of the notebooks to PNG, SVG and PDF.")
    parser.add_argument("out_dir", help="folder for the images")
    parser.add_argument("notebooks", nargs="*", help="notebooks (default: _build/notebooks, else notebooks/)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated (default png,svg,pdf)")
    parser.add_argument("--scale", type=float, default=2.0, help="pixel ratio of raster images (default 2)")
    args = parser.parse_args(argv)
    if args.notebooks:
        nbs = [Path(p) for p in args.notebooks]
        root = Path(os.path.commonpath([p.resolve().parent for p in nbs]))
    else:
        nbs, root = default_notebooks()
    try:
        specs = figures_from_notebooks(nbs, root=root)
        paths = export_figures(specs, args.out_dir, formats=[f.strip() for f in args.formats.split(",") if f.strip()],
                               scale=args.scale)
    except ExportUnavailable as exc:
        print(f"govlab.viz.export: skipped: {exc}")
        return 0
    except (InputError, ConfigError) as exc:
        print(f"govlab.viz.export: error: {exc}", file=sys.stderr)
        return 1
    print(f"exported {len(specs)} figures from {len(nbs)} notebooks as {len(paths)} files into {args.out_dir}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
