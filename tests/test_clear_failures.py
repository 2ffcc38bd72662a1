"""Clear failures from the environment (issue 11, item 8; issue 12, "Offline").

An unreachable Dask scheduler fails at once with one line naming the address; a notebook run with
the loopback interface down says so instead of a bare RuntimeError after 60 s; ``govlab.setup()``
leaves global display options alone unless asked.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

import pytest
import yaml


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_fast_with_one_line_naming_the_address(tmp_path, capsys):
    from govlab.cli import main
    from govlab.scenarios.sweep import SchedulerUnreachable, run_sweep

    address = f"tcp://127.0.0.1:{_unused_port()}"
    sw = {"scenario": {"locality": "toy", "years": 2}, "parameters": {"params.loop.handle": [0.5, 0.7]},
          "replicates": 2}
    (tmp_path / "sw.yaml").write_text(yaml.safe_dump(sw), encoding="utf-8")
    start = time.monotonic()
    rc = main(["sweep", str(tmp_path / "sw.yaml"), "--out", str(tmp_path / "out"), "--scheduler", address,
               "--no-progress"])
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert len(err) == 1 and address in err[0] and "Dask scheduler" in err[0], err
    assert elapsed <= 5.0  # it used to wait 30 s, then print a 60-line traceback
    with pytest.raises(SchedulerUnreachable, match=address):
        run_sweep(sw, tmp_path / "out2", client=address)


def _loopback_down_available() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _loopback_down_available(), reason="needs `unshare -n` (a network namespace with lo down)")
def test_notebook_with_loopback_down_gives_a_clear_error_at_once(tmp_path):
    import nbformat

    nb = tmp_path / "t.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), nb)
    start = time.monotonic()
    proc = subprocess.run(["unshare", "-n", sys.executable, "-m", "govlab.notebooks", "execute", "--out",
                           str(tmp_path / "out"), str(nb)], capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - start
    assert proc.returncode == 1
    assert "127.0.0.1" in proc.stderr and "loopback" in proc.stderr, proc.stderr
    assert "RuntimeError" not in proc.stderr and "Traceback" not in proc.stderr
    assert elapsed < 30  # the bare RuntimeError came after 60 s


def test_check_loopback_raises_a_govlab_error_when_connections_fail(monkeypatch):
    from govlab import notebooks
    from govlab.errors import GovlabError

    def refuse(*args, **kwargs):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", refuse)
    with pytest.raises(GovlabError, match=r"127\.0\.0\.1 fail \(Network is unreachable\)"):
        notebooks.check_loopback()


def test_setup_leaves_display_options_alone_unless_asked():
    import numpy as np
    import pandas as pd

    import govlab

    with pd.option_context("display.precision", 6, "display.width", 80), np.printoptions(precision=8):
        govlab.setup(lang="both")
        assert pd.get_option("display.precision") == 6 and pd.get_option("display.width") == 80
        assert np.get_printoptions()["precision"] == 8
        govlab.setup(lang="both", display=True)
        assert pd.get_option("display.precision") == 4 and pd.get_option("display.width") == 120
        assert np.get_printoptions()["precision"] == 4


def test_cli_name_typos_say_did_you_mean(capsys):
    from govlab.cli import main

    assert main(["scenario", "check", "shangyou-602"]) == 2
    assert "did you mean 'shangyou-620'" in capsys.readouterr().err
    assert main(["network", "check", "gansu-extention"]) == 2
    assert "did you mean 'gansu-extension'" in capsys.readouterr().err
    assert main(["scenario", "run", "gansu-lever", "--out", "unused"]) == 2
    assert "did you mean 'gansu-levers'" in capsys.readouterr().err
