"""The Examples sections of govlab.text's docstrings are run as tests."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["govlab.text", "govlab.text.lexicon", "govlab.text.segment", "govlab.text.tokens", "govlab.text.dfm",
           "govlab.text.stats", "govlab.text.cooccurrence", "govlab.text.topics",
           "govlab.text.vectorizer"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert name == "govlab.text.lexicon" or result.attempted > 0
