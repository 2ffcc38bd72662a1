# govlab: the two commands are `make report` (main job) and `make test` (every test).
# Both create .venv from requirements.lock when it is missing or stale.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.govlab-installed
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

.PHONY: help venv sysdeps report notebooks site refresh test test-unit test-notebooks bench lock export clean

help:
	@echo "make report  - set up, execute every notebook into _build/, render the offline site into site/"
	@echo "make test    - set up, run every test (unit, corpus, notebooks with strict nbval, browser)"
	@echo "make refresh - re-execute notebooks in place (rewrites stored outputs)"
	@echo "make bench   - run the benchmarks in benchmarks/ (writes benchmarks/results/)"
	@echo "make export  - export every figure to PNG, SVG and PDF (needs chromium)"

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

# Debian packages for the browser test and static figure export (chromium, a CJK font).
# Installed only when missing and when apt-get can be used (root); otherwise those tests skip.
sysdeps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium and fonts-noto-cjk (Debian)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null) \
	      || echo "warning: apt-get could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium missing and apt-get unavailable; browser tests will be skipped"; fi; \
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

test-unit: $(STAMP) sysdeps
	rc=0; $(BIN)/python -m pytest -n 2 --dist loadfile tests || rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

test-notebooks: $(STAMP)
	@if [ -z "$(NOTEBOOKS)" ]; then echo "no notebooks yet"; exit 0; fi; \
	rc=0; env -u GOVLAB_CORPUS_DIR $(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile $(NBVAL) $(NOTEBOOKS) || rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

test: $(STAMP) sysdeps
	rc=0; $(MAKE) --no-print-directory test-unit || rc=1; $(MAKE) --no-print-directory test-notebooks || rc=1; exit $$rc

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

export: $(STAMP) sysdeps
	$(BIN)/python -m govlab.viz.export _build/figures

# Re-resolve requirements.in into requirements.lock and environment.yml (needs network to PyPI).
lock:
	rm -rf _build/lockenv && $(PYTHON) -m venv _build/lockenv
	_build/lockenv/bin/pip install --quiet -r requirements.in
	_build/lockenv/bin/pip freeze --all | grep -v -e '^-e' -e '^pip==' > requirements.lock
	$(BIN)/python -m govlab.envfile requirements.lock environment.yml

clean:
	rm -rf _build site
