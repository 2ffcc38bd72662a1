"""govlab's documented errors.

Every error govlab raises on bad input is a subclass of :class:`GovlabError` and names the file,
field, key or row and what was expected, so that a user can fix the input without reading code.
"""
from __future__ import annotations


class GovlabError(Exception):
    """Base class of every documented govlab error."""


class InputError(GovlabError, ValueError):
    """A file, row or value that govlab cannot use. The message names it and what was expected."""

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None):
        self.source = source
        self.key = key
        prefix = ""
        if source:
            prefix += f"{source}: "
        if key:
            prefix += f"{key}: "
        super().__init__(prefix + message)


class ConfigError(InputError):
    """A configuration (YAML, codebook, scenario) with an unknown key or a value out of range.

    ``key`` is the dotted key path, for example ``levers.compensation.rate``.
    """
