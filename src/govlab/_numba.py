"""Shared numba helper: compile a kernel that allocates nothing without numba's reference counting.

Importing this module imports numba (compiling nothing); modules that must import without numba
import it lazily, on first use of a kernel.
"""
from __future__ import annotations

import functools

from numba import njit

try:  # numba's option to compile a function without reference counting (private, but stable for years)
    from numba.core.options import DefaultOptions as _DefaultOptions

    _NO_REFCOUNT = {"_nrt": False} if hasattr(_DefaultOptions, "_nrt") else {}
except ImportError:  # pragma: no cover - older or newer numba: correct, only slower
    _NO_REFCOUNT = {}


def kernel(func=None, signature=None, **options):
    """``njit(cache=True)`` without numba's reference counting, for the kernels that allocate
    nothing: with it, every call and every inlined helper increments and decrements each array
    argument's reference count atomically (in govlab's segmentation kernels, three quarters of the
    time). Falls back to plain ``njit(cache=True)`` when the private option is missing. With a
    ``signature``, that one signature is compiled (or loaded from the disk cache) at once."""
    if func is None:
        return functools.partial(kernel, signature=signature, **options)
    if signature is not None:
        return njit(signature, cache=True, **_NO_REFCOUNT, **options)(func)
    return njit(cache=True, **_NO_REFCOUNT, **options)(func)
