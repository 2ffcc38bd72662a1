"""Small helpers for the exercise notebooks in ``notebooks/teaching/``.

Exercise notebooks run from top to bottom even before they are solved (so the suite can execute and
check them): a check prints what is still missing instead of raising.

Examples
--------
>>> check("two plus two", 2 + 2 == 4)
✓ two plus two
True
>>> check("answer given", None is not None, "set `answer` above")
✗ answer given: set `answer` above
False
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import yaml

from govlab.errors import ConfigError


def check(name: str, ok: Any, hint: str = "") -> bool:
    """Print ``✓ name`` when ``ok`` is true, else ``✗ name: hint``; return whether it passed."""
    passed = bool(ok)
    print(f"✓ {name}" if passed else f"✗ {name}: {hint}" if hint else f"✗ {name}")
    return passed


def summary(results: Iterable[bool]) -> str:
    """One line: how many checks pass.

    Examples
    --------
    >>> summary([True, False, True])
    '2 of 3 checks pass: keep going.'
    """
    results = list(results)
    done = sum(map(bool, results))
    tail = "well done." if done == len(results) else "keep going."
    return f"{done} of {len(results)} checks pass: {tail}"


def codebook_with(extra_codes: str | list | dict, base_path=None):
    """The shipped codebook plus new codes written as YAML (a code mapping or a list of them).

    Parameters
    ----------
    extra_codes : str, list or dict
        YAML text, or the parsed data, of one code or a list of codes in the codebook's format
        (``id``, ``category``, ``zh``, ``en``, ``definition``, ``patterns``, optional ``exclusions``,
        ``examples`` and ``counter_examples``).
    base_path : path, optional
        The codebook to extend (default: ``datasets/codebook.yaml``).

    Returns
    -------
    govlab.coding.Codebook

    Raises
    ------
    ConfigError
        When the YAML is invalid or empty, or a new code is invalid (the codebook's own validation
        names the code and key).

    Examples
    --------
    >>> cb = codebook_with('''
    ... id: platform.bench_meeting
    ... category: platform
    ... zh: 板凳会
    ... en: bench meeting
    ... definition: An open-air meeting of villagers on benches (fictional test code).
    ... patterns: {terms: [板凳会]}
    ... ''')
    >>> "platform.bench_meeting" in [c.id for c in cb.codes]
    True
    """
    from govlab.coding import parse_codebook
    from govlab.coding.codebook import default_codebook_path

    if isinstance(extra_codes, str):
        try:
            extra = yaml.safe_load(extra_codes)
        except yaml.YAMLError as exc:
            raise ConfigError(f"your code is not valid YAML: {exc}", source="exercise") from exc
    else:
        extra = extra_codes
    if not extra:
        raise ConfigError("no code given: write at least one code", source="exercise")
    if isinstance(extra, dict):
        extra = [extra]
    path = base_path or default_codebook_path()
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    data = dict(data)
    data["codes"] = list(data["codes"]) + list(extra)
    return parse_codebook(data, source=f"{path} + exercise")


def interval_width(table: pd.DataFrame, metric: str, variant: str | None = None) -> float:
    """Width of the interval of a variant-minus-baseline difference (``diff_hi - diff_lo``) in a
    comparison table from :meth:`ScenarioResult.compare`.

    Examples
    --------
    >>> t = pd.DataFrame(dict(variant=["v"], metric=["m"], diff_lo=[-1.0], diff_hi=[3.0]))
    >>> interval_width(t, "m")
    4.0
    """
    rows = table[table["metric"] == metric]
    if variant is not None:
        rows = rows[rows["variant"] == variant]
    if len(rows) != 1:
        raise ConfigError(f"expected one row for metric {metric!r}, found {len(rows)}", key="metric")
    r = rows.iloc[0]
    return float(r["diff_hi"] - r["diff_lo"])

