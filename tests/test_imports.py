"""``import govlab`` and the ``govlab`` command line load no heavy library.

The command must answer ``--help`` at once: a guard by what is imported, not by time. Each check
runs in a fresh interpreter, so that what the test process already imported does not count.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Libraries that cost tenths of a second or more to import (or load a dictionary).
HEAVY = ("pandas", "numpy", "scipy", "sklearn", "networkx", "plotly", "numba", "rjieba", "jieba", "pyarrow",
         "dask", "yaml", "lxml", "opencc", "matplotlib")


def _heavy_after(code: str) -> list[str]:
    """Heavy top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _help_paths() -> list[list[str]]:
    from govlab.cli import build_parser

    def walk(parser, prefix):
        for action in parser._subparsers._group_actions if parser._subparsers else []:
            for name, sub in action.choices.items():
                yield prefix + [name]
                yield from walk(sub, prefix + [name])

    return [[]] + list(walk(build_parser(), []))


def test_import_govlab_imports_no_heavy_library():
    assert _heavy_after("import govlab") == []


def test_building_the_parser_imports_no_heavy_library():
    assert _heavy_after("import govlab.cli; govlab.cli.build_parser()") == []


def test_the_probe_sees_a_heavy_import():
    # the guard can fail: importing the text package does load numpy and pandas
    assert {"numpy", "pandas"} <= set(_heavy_after("import govlab.text"))


def test_every_help_imports_no_heavy_library():
    paths = _help_paths()
    assert len(paths) > 10  # the top level and every (sub)subcommand
    # one interpreter for all of them: a heavy import in any --help shows up at the end
    code = ("import contextlib, io\nfrom govlab.cli import main\n"
            f"for path in {paths!r}:\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        try:\n"
            "            main(path + ['--help'])\n"
            "        except SystemExit as exc:\n"
            "            assert exc.code == 0, path\n")
    assert _heavy_after(code) == []


@pytest.mark.parametrize("path", [["text"], ["text", "counts"], ["network", "build"], ["scenario", "run"]])
def test_a_subcommand_help_in_its_own_process(path):
    # as a user runs it: python -m govlab SUBCOMMAND --help
    code = ("import runpy, sys\n"
            f"sys.argv = ['govlab', *{path!r}, '--help']\n"
            "try:\n    runpy.run_module('govlab', run_name='__main__')\nexcept SystemExit:\n    pass")
    assert _heavy_after(code) == []


def test_the_text_package_loads_no_model_library():
    # scikit-learn (the vectorizer, topic models), networkx (co-word networks) and the segmenters
    # are imported when used, not by ``import govlab.text``
    assert not {"sklearn", "networkx", "rjieba", "jieba"} & set(_heavy_after("import govlab.text"))
