"""The Examples sections of govlab.coding and govlab.compare run as written (numpydoc examples are tests)."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["govlab.coding.codebook", "govlab.coding.coding", "govlab.coding.figures", "govlab.coding.steps",
           "govlab.compare.loops", "govlab.compare.qca", "govlab.compare.similarity", "govlab.compare.profiles",
           "govlab.compare.reports"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
