"""The govlab command: every subcommand answers --help."""
import subprocess
import sys

import pytest

from govlab.cli import build_parser, main


def _subcommands(parser):
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            yield [name], sub
            for path, subsub in _subcommands(sub):
                yield [name] + path, subsub


def test_top_level_help_runs(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "govlab" in capsys.readouterr().out


def test_every_subcommand_has_help(capsys):
    paths = list(_subcommands(build_parser()))
    for path, _ in paths:
        with pytest.raises(SystemExit) as exc:
            main(path + ["--help"])
        assert exc.value.code == 0, path
        out = capsys.readouterr().out
        assert "usage:" in out, path


def test_console_script_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "govlab", "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.startswith("govlab ")


def test_text_backend_choices_match_the_library():
    # govlab.cli.text writes the backends out (so that --help imports no segmenter)
    from govlab.text import BACKENDS, DEFAULT_BACKEND

    parser = build_parser()
    counts = parser._subparsers._group_actions[0].choices["text"]._subparsers._group_actions[0].choices["counts"]
    backend = next(a for a in counts._actions if a.dest == "backend")
    assert tuple(backend.choices) == BACKENDS and backend.default == DEFAULT_BACKEND
