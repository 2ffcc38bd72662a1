"""The public API: every exported name resolves, lazily, to the object its module defines."""
import importlib

import pytest

import govlab


@pytest.mark.parametrize("name", sorted(govlab._API))
def test_every_public_name_resolves(name):
    obj = getattr(govlab, name)
    module = importlib.import_module(govlab._API[name])
    assert obj is getattr(module, name)


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        _ = govlab.nonexistent


def test_import_govlab_stays_light():
    import subprocess
    import sys

    code = "import sys, govlab; print(int('pandas' in sys.modules), int('networkx' in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0"]
