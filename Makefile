# govlab: the two commands are `make report` (main job) and `make test` (every test).
# Both create .venv from requirements.lock when it is missing or stale.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# Any of Python 3.11, 3.12, 3.13 (`make PYTHON=python3.13 test`). The one lock serves all three:
# pins needed on some versions only carry a python_version marker, and pip picks the lines that
# hold for the interpreter.
PYTHON ?= python3.11
LOCK := requirements.lock
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.govlab-installed
# A second interpreter for the unit tests (3.13, else 3.12), from PATH or pyenv; none: that step skips.
PYENV_ROOT ?= $(HOME)/.pyenv
# (pyenv shims on PATH may exist and still refuse to run, so each candidate is tried.)
OTHER_PYTHON ?= $(shell for v in 3.13 3.12; do \
  for py in $$(command -v python$$v) $$(ls -d $(PYENV_ROOT)/versions/$$v.*/bin/python$$v 2>/dev/null | sort -rV); do \
    if "$$py" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$$v'.split('.'))))" >/dev/null 2>&1; \
    then echo "$$py"; exit 0; fi; done; done)
# Its venv holds the locked packages only (govlab itself runs from src/ via PYTHONPATH), so it is
# kept between runs and checkouts under ~/.cache/govlab, keyed by interpreter and lock contents.
LOCK_HASH = $(shell cat $(LOCK) | sha256sum | cut -c1-12)
OTHER_VENV ?= $(HOME)/.cache/govlab/venvs/$(notdir $(OTHER_PYTHON))-$(LOCK_HASH)
OTHER_STAMP = $(OTHER_VENV)/.govlab-lock-installed
# The second strict nbval pass: another OpenBLAS kernel set and one thread (the first pass uses the
# CPU's own kernels and 2 threads). Stored outputs must not hang on either.
ALT_CORETYPE ?= SandyBridge
ALT_THREADS ?= 1
# Notebooks that compute floats (fits, similarities, simulations); the second pass runs these.
FLOAT_NOTEBOOKS ?= $(wildcard notebooks/0[2-7]_*.ipynb)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb notebooks/teaching/*.ipynb notebooks/teaching/solutions/*.ipynb))
JOBS ?= 2

# Deterministic outputs everywhere (hash order, time zone, locale, plotting backend).
export PYTHONHASHSEED := 0
export TZ := UTC
export LC_ALL := C.UTF-8
export PYTHONUTF8 := 1
export MPLBACKEND := Agg
export BROWSER_PATH ?= /usr/bin/chromium

NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300

.PHONY: help venv sysdeps report notebooks site refresh test test-unit test-lint test-notebooks test-notebooks-alt \
        test-other-python lab bench lock export clean

help:
	@echo "make report  - set up, execute every notebook into _build/, render the offline site into site/"
	@echo "make test    - set up, run every test (unit, corpus, notebooks with strict nbval, browser)"
	@echo "make refresh - re-execute notebooks in place (rewrites stored outputs)"
	@echo "make lab     - open JupyterLab on notebooks/ (autosave off: nothing tracked is rewritten until you save)"
	@echo "make bench   - run the benchmarks in benchmarks/ (writes benchmarks/results/)"
	@echo "make export  - export every figure to PNG, SVG and PDF (needs chromium)"

$(STAMP): $(LOCK) pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

# Debian packages for the browser test and static figure export (chromium, a CJK font) and for
# reading Word 97-2003 .doc reports (antiword). Installed only when missing and when apt-get can be
# used (root); otherwise the browser tests skip and .doc files are listed in errors.csv with the reason.
sysdeps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
	    || ! command -v antiword >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium, fonts-noto-cjk and antiword (Debian)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk antiword >/dev/null) \
	      || echo "warning: apt-get could not install chromium/antiword; browser tests will be skipped, .doc files reported"; \
	  else echo "note: chromium or antiword missing and apt-get unavailable; browser tests will be skipped, .doc files reported"; fi; \
	fi

# Execute every notebook (fresh kernels in .venv, cwd = the notebook's folder) into _build/notebooks.
notebooks: $(STAMP)
	rm -rf _build/notebooks && mkdir -p _build/notebooks
	@if [ -z "$(NOTEBOOKS)" ]; then echo "no notebooks yet"; else \
	  $(BIN)/python -m govlab.notebooks execute --jobs $(JOBS) --out _build/notebooks $(NOTEBOOKS); fi

# Render the executed notebooks into the offline site (one shared plotly.min.js, no CDN).
site: $(STAMP)
	$(BIN)/python -m govlab.site build _build/notebooks --out site --quiet

report: notebooks site
	@echo "report: site/index.html"

# Rewrite the stored outputs in place from the shipped data; `git diff notebooks/` is then empty
# when nothing changed (outputs carry no timings, widget state or random ids).
refresh: $(STAMP)
	env -u GOVLAB_CORPUS_DIR $(BIN)/python -m govlab.notebooks execute --jobs $(JOBS) --unset GOVLAB_CORPUS_DIR --inplace $(NOTEBOOKS)

# Unit tests plus every docstring example in src/govlab (the __main__ modules run the CLI on import).
test-unit: $(STAMP) sysdeps
	rc=0; $(BIN)/python -m pytest -n 2 --dist loadfile --doctest-modules --ignore-glob='*/__main__.py' tests src/govlab \
	  || rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

test-lint: $(STAMP)
	$(BIN)/ruff check .

test-notebooks: $(STAMP)
	@if [ -z "$(NOTEBOOKS)" ]; then echo "no notebooks yet"; exit 0; fi; \
	rc=0; env -u GOVLAB_CORPUS_DIR $(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile $(NBVAL) $(NOTEBOOKS) || rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

# Strict nbval again under another OpenBLAS core type and thread count. The core type is checked
# through threadpoolctl first: OpenBLAS ignores names it does not know, and a pass on the same
# kernels would prove nothing.
export define CHECK_BLAS
import sys
import numpy, scipy.linalg
from threadpoolctl import threadpool_info
libs = [i for i in threadpool_info() if i["internal_api"] == "openblas"]
print("OpenBLAS:", sorted({(i["architecture"], i["num_threads"]) for i in libs}))
bad = [i for i in libs if i["architecture"].lower() != sys.argv[1].lower() or i["num_threads"] != int(sys.argv[2])]
sys.exit(f"OpenBLAS did not take core type {sys.argv[1]} with {sys.argv[2]} thread(s)" if bad or not libs else 0)
endef

test-notebooks-alt: $(STAMP)
	@if [ -z "$(FLOAT_NOTEBOOKS)" ]; then echo "no notebooks yet"; exit 0; fi
	@export OPENBLAS_CORETYPE=$(ALT_CORETYPE) OPENBLAS_NUM_THREADS=$(ALT_THREADS) OMP_NUM_THREADS=$(ALT_THREADS) MKL_NUM_THREADS=$(ALT_THREADS); \
	$(BIN)/python -c "$$CHECK_BLAS" $(ALT_CORETYPE) $(ALT_THREADS); \
	rc=0; env -u GOVLAB_CORPUS_DIR $(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile $(NBVAL) $(FLOAT_NOTEBOOKS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

# The unit tests (not the notebooks, not the browser) under a second Python version, in a venv from
# the same lock; govlab is imported from this checkout's src/.
test-other-python:
	@if [ -z "$(OTHER_PYTHON)" ]; then echo "test-other-python: no python3.13 or python3.12 found (PATH, $(PYENV_ROOT)/versions); skipped"; exit 0; fi; \
	echo "test-other-python: unit tests under $$($(OTHER_PYTHON) --version) ($(OTHER_PYTHON), venv $(OTHER_VENV))"; \
	if [ ! -f "$(OTHER_STAMP)" ]; then \
	  rm -rf "$(OTHER_VENV)" && mkdir -p "$(dir $(OTHER_VENV))" && $(OTHER_PYTHON) -m venv "$(OTHER_VENV)" && \
	  "$(OTHER_VENV)/bin/python" -m pip install --quiet --disable-pip-version-check -r $(LOCK) && touch "$(OTHER_STAMP)" \
	  || { echo "test-other-python: installing $(LOCK) under $(OTHER_PYTHON) failed"; exit 1; }; fi; \
	rc=0; PYTHONPATH=$(CURDIR)/src "$(OTHER_VENV)/bin/python" -m pytest -p no:cacheprovider -n 2 --dist loadfile \
	  -m "not browser and not slow" tests || rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

test: $(STAMP) sysdeps
	rc=0; \
	for t in test-lint test-unit test-notebooks test-notebooks-alt test-other-python; do \
	  start=$$(date +%s); $(MAKE) --no-print-directory $$t || { rc=1; echo "FAILED: $$t"; }; \
	  echo "== $$t: $$(( $$(date +%s) - start )) s"; \
	done; exit $$rc

# JupyterLab opened on notebooks/, with autosave off (its settings live in _build/lab, not in your
# home), so opening or running a notebook rewrites no tracked file; saving writes the .ipynb and its
# paired .py (jupytext). The server's root is the repository, so jupytext finds [tool.jupytext] in
# pyproject.toml (it looks no higher than the root).
lab: $(STAMP)
	mkdir -p _build/lab/settings/@jupyterlab/docmanager-extension _build/lab/workspaces
	cp tests/data/lab/docmanager.jupyterlab-settings _build/lab/settings/@jupyterlab/docmanager-extension/plugin.jupyterlab-settings
	JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/_build/lab/settings JUPYTERLAB_WORKSPACES_DIR=$(CURDIR)/_build/lab/workspaces \
	  $(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

export: $(STAMP) sysdeps
	$(BIN)/python -m govlab.viz.export _build/figures

# Re-resolve requirements.in on every supported Python found (3.11 required), merge the freezes
# into the one requirements.lock (per-version pins get python_version markers), and rewrite
# environment.yml. Needs the package index.
LOCK_PYTHONS ?= 3.11 3.12 3.13
lock: $(STAMP)
	rm -rf _build/lock && mkdir -p _build/lock
	args=""; for v in $(LOCK_PYTHONS); do \
	  py=""; for c in $$(command -v python$$v) $$(ls -d $(PYENV_ROOT)/versions/$$v.*/bin/python$$v 2>/dev/null | sort -rV); do \
	    if "$$c" -c "import sys" >/dev/null 2>&1; then py=$$c; break; fi; done; \
	  if [ -z "$$py" ]; then echo "lock: python$$v not found, skipped"; [ $$v != 3.11 ] || exit 1; continue; fi; \
	  $$py -m venv _build/lock/$$v && _build/lock/$$v/bin/pip install --quiet -r requirements.in && \
	  _build/lock/$$v/bin/pip freeze --all | grep -v -e '^-e' -e '^pip==' > _build/lock/$$v.txt; \
	  args="$$args $$v=_build/lock/$$v.txt"; \
	done; $(BIN)/python -m govlab.envfile merge $$args > requirements.lock.tmp && mv requirements.lock.tmp requirements.lock
	$(BIN)/python -m govlab.envfile requirements.lock environment.yml

clean:
	rm -rf _build site
