"""Check a built site in a real headless browser (Debian chromium driven by playwright).

:func:`serve` serves a folder on ``127.0.0.1`` at a free port; :func:`inspect_site` opens every page,
waits for the plotly figures to draw, and reports per page: figure divs in the HTML, figures drawn
(``.js-plotly-plot`` holding a ``.main-svg``), console errors, page errors and every request that
tried to leave localhost (such requests are aborted, so the check behaves as if the network were
cut). :func:`screenshot` saves a PNG of one page.

Playwright is used with the system chromium (``executable_path``); it never downloads a browser.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from govlab.errors import ConfigError

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    """The system chromium: ``BROWSER_PATH`` when it names an executable, else ``chromium`` on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and os.access(env, os.X_OK):
        return env
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_unavailable_reason() -> str | None:
    """Why the browser check cannot run here (``None`` when it can)."""
    if chromium_path() is None:
        return "no chromium found (install Debian's chromium: `make sysdeps`, or set BROWSER_PATH)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the python package playwright is not installed (pip install playwright; no browser download needed)"
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve(folder: str | os.PathLike) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class PageReport:
    """What a browser saw on one page."""

    url: str
    status: int | None = None
    figure_divs: int = 0
    figures_drawn: int = 0
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    clipped_texts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.status == 200 and self.figures_drawn == self.figure_divs and not self.console_errors
                and not self.page_errors and not self.external_requests and not self.failed_requests
                and not self.clipped_texts)


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome", "chrome-error"):
        return True
    return parsed.hostname in ("127.0.0.1", "localhost", "::1")


@contextlib.contextmanager
def _browser():
    reason = browser_unavailable_reason()
    if reason:
        raise ConfigError(reason, key="browser")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="govlab-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="UTC",
                service_workers="block")
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _router(rep: PageReport):
    """A playwright route handler: local requests go through, others are recorded and aborted."""

    def route(route, request):
        if _is_local(request.url):
            route.continue_()
        else:
            rep.external_requests.append(request.url)
            route.abort("internetdisconnected")

    return route


_COUNT_JS = """() => {
  const divs = document.querySelectorAll('div.plotly-graph-div');
  let drawn = 0;
  divs.forEach(d => { if (d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg')) drawn++; });
  return [divs.length, drawn];
}"""


#: Every visible SVG text element of a drawn figure must lie inside the figure's own box. A label
#: that sticks out is cut off by the figure's edge ("ect topics" for "Subject topics").
_CLIPPED_JS = """(tol) => {
  const out = [];
  document.querySelectorAll('div.plotly-graph-div.js-plotly-plot').forEach((div, k) => {
    const svg = div.querySelector('svg.main-svg');
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    div.querySelectorAll('svg text').forEach(t => {
      const txt = (t.textContent || '').trim();
      if (!txt) return;
      const st = window.getComputedStyle(t);
      if (st.display === 'none' || st.visibility === 'hidden' || st.opacity === '0') return;
      const r = t.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      if (r.left < box.left - tol || r.right > box.right + tol || r.top < box.top - tol || r.bottom > box.bottom + tol) {
        out.push(`figure ${k + 1}: "${txt.slice(0, 40)}" at [${Math.round(r.left - box.left)}, ${Math.round(r.top - box.top)}, ${Math.round(r.right - box.left)}, ${Math.round(r.bottom - box.top)}] outside ${Math.round(box.width)}x${Math.round(box.height)}`);
      }
    });
  });
  return out;
}"""


def clipped_texts(page, tolerance: float = 1.0) -> list[str]:
    """Text of the drawn plotly figures on ``page`` that lies outside its figure's box.

    Each entry names the figure (1-based, in page order), the first characters of the text and its
    box relative to the figure. ``tolerance`` is in CSS pixels.
    """
    return list(page.evaluate(_CLIPPED_JS, tolerance))


def inspect_site(base_url: str, pages: Sequence[str], timeout_ms: int = 30000) -> list[PageReport]:
    """Open each page (paths relative to ``base_url``) in headless chromium and report.

    Requests to any host other than localhost are aborted and recorded.
    """
    reports = []
    with _browser() as context:
        for rel in pages:
            url = base_url + rel
            rep = PageReport(url=url)

            page = context.new_page()
            page.route("**/*", _router(rep))
            page.on("console", lambda m, rep=rep: rep.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, rep=rep: rep.page_errors.append(str(e)))
            page.on("requestfailed", lambda r, rep=rep: rep.failed_requests.append(r.url) if _is_local(r.url) else None)
            response = page.goto(url, wait_until="load", timeout=timeout_ms)
            rep.status = response.status if response else None
            n_divs, _ = page.evaluate(_COUNT_JS)
            if n_divs:
                with contextlib.suppress(Exception):
                    page.wait_for_function(
                        "(n) => document.querySelectorAll('div.plotly-graph-div.js-plotly-plot svg.main-svg').length >= n",
                        arg=n_divs, timeout=timeout_ms)
            rep.figure_divs, rep.figures_drawn = page.evaluate(_COUNT_JS)
            if rep.figures_drawn:
                rep.clipped_texts = clipped_texts(page)
            page.close()
            reports.append(rep)
    return reports


def screenshot(url: str, path: str | os.PathLike, full_page: bool = False, width: int = 1280,
               height: int = 900) -> Path:
    """Save a PNG screenshot of ``url`` (after its figures have drawn)."""
    with _browser() as context:
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if _is_local(r.request.url) else r.abort())
        page.goto(url, wait_until="load")
        with contextlib.suppress(Exception):
            page.wait_for_function(
                "() => [...document.querySelectorAll('div.plotly-graph-div')].every(d => d.querySelector('svg.main-svg'))",
                timeout=20000)
        page.screenshot(path=str(path), full_page=full_page)
        page.close()
    return Path(path)


_LAYOUT_JS = """() => {
  const nav = document.querySelector('.govlab-nav');
  const r = nav ? nav.getBoundingClientRect() : null;
  return {nav_height: r ? r.height : 0, nav_position: nav ? getComputedStyle(nav).position : '',
          viewport_width: window.innerWidth, viewport_height: window.innerHeight,
          text_scroll_width: Math.max(...[...document.querySelectorAll('p, h1, h2, h3, li')].map(e => e.scrollWidth), 0)};
}"""


def page_layout(url: str, width: int = 390, height: int = 844) -> dict:
    """How a page lays out at a given viewport (default: a 390 px phone): the navigation bar's height
    and CSS position, the viewport, and the widest text block (prose must wrap, not overflow)."""
    with _browser() as context:
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if _is_local(r.request.url) else r.abort())
        page.goto(url, wait_until="load")
        info = dict(page.evaluate(_LAYOUT_JS))
        page.close()
    return info
