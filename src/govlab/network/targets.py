"""Structural figures a locality must reproduce, checked against a built :class:`Locality`.

Each config lists ``targets``: a metric from :data:`METRICS`, its arguments, a comparison and the
value the report gives (with ``doc_id`` and ``fact``). :func:`check_structure_targets` evaluates them all.

Examples
--------
>>> from govlab.network import synthesize
>>> t = check_structure_targets(synthesize("shangyou-620", seed=0))
>>> bool(t["ok"].all())
True
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from govlab.errors import ConfigError
from govlab.network.model import Locality

SINK_ROLES = ("sunk", "head", "deputy")


def _as_list(v):
    if v is None:
        return None
    return [v] if isinstance(v, str) else list(v)


def count_units(loc: Locality, level: str, subtypes=None) -> float:
    """Number of units at ``level`` (optionally of some subtypes)."""
    u = loc.units
    m = u["level"] == level
    if subtypes:
        m &= u["subtype"].isin(_as_list(subtypes))
    return float(m.sum())


def count_platforms(loc: Locality, type=None, level=None) -> float:  # noqa: A002 - domain word
    """Number of platforms of some types (at units of some level)."""
    p = loc.platforms
    m = np.ones(len(p), bool)
    if type:
        m &= p["type"].isin(_as_list(type)).to_numpy()
    if level:
        lv = p["unit_id"].map(dict(zip(loc.units["unit_id"], loc.units["level"])))
        m &= lv.isin(_as_list(level)).to_numpy()
    return float(m.sum())


def unit_coverage(loc: Locality, level: str, type=None, subtypes=None) -> float:  # noqa: A002
    """Share of units at ``level`` hosting at least one platform of the given types."""
    u = loc.units
    m = u["level"] == level
    if subtypes:
        m &= u["subtype"].isin(_as_list(subtypes))
    units = u.loc[m, "unit_id"]
    p = loc.platforms
    if type:
        p = p[p["type"].isin(_as_list(type))]
    return float(units.isin(p["unit_id"]).mean()) if len(units) else float("nan")


def members_sunk(loc: Locality, levels=None, type=None, to_level=None) -> float:
    """Share of members (of some CPPCC levels) sunk to a platform (of some types, at some unit level)."""
    m = loc.members
    if levels:
        m = m[m["level"].isin(_as_list(levels))]
    a = loc.assignments[loc.assignments["role"].isin(SINK_ROLES)]
    p = loc.platforms
    if type:
        p = p[p["type"].isin(_as_list(type))]
    if to_level:
        lv = p["unit_id"].map(dict(zip(loc.units["unit_id"], loc.units["level"])))
        p = p[lv.isin(_as_list(to_level)).to_numpy()]
    a = a[a["platform_id"].isin(p["platform_id"])]
    return float(m["member_id"].isin(a["member_id"]).mean()) if len(m) else float("nan")


def committee_sectors(loc: Locality) -> float:
    """Number of (committee, sector) pairs with members: the sectors of a CPPCC system."""
    return float(len(loc.members[["committee_unit_id", "sector"]].drop_duplicates()))


def sector_coverage(loc: Locality, type="sector_room") -> float:  # noqa: A002
    """Share of (committee, sector) pairs with a sector room for that sector at the committee's unit."""
    pairs = loc.members[["committee_unit_id", "sector"]].drop_duplicates()
    p = loc.platforms[loc.platforms["type"].isin(_as_list(type))]
    have = set(zip(p["unit_id"], p["sector"]))
    return float(np.mean([(c, s) in have for c, s in zip(pairs["committee_unit_id"], pairs["sector"])])) if len(pairs) else float("nan")


def count_orgs(loc: Locality, kind: str, party: str | None = None) -> float:
    """Number of organisations of a kind (and party)."""
    o = loc.organisations
    m = o["kind"] == kind
    if party:
        m &= o["party"] == party
    return float(m.sum())


def six_haves_share(loc: Locality, type=None, minimum: int = 6) -> float:  # noqa: A002
    """Share of platforms (of some types) meeting at least ``minimum`` of the six haves."""
    p = loc.platforms
    if type:
        p = p[p["type"].isin(_as_list(type))]
    return float((p["six_haves"] >= minimum).mean()) if len(p) else float("nan")


def count_ties(loc: Locality, kind: str, distinct_targets: bool = False) -> float:
    """Number of ties of a kind (or of distinct targets)."""
    t = loc.ties[loc.ties["kind"] == kind]
    return float(t["target"].nunique() if distinct_targets else len(t))


def tie_coverage(loc: Locality, kind: str, level: str) -> float:
    """Share of units at ``level`` that are the target of at least one tie of ``kind``."""
    u = loc.units[loc.units["level"] == level]["unit_id"]
    t = loc.ties[loc.ties["kind"] == kind]
    return float(u.isin(t["target"]).mean()) if len(u) else float("nan")


def policy_share(loc: Locality, policy: str, level: str) -> float:
    """Share of units at ``level`` with a non-zero value of ``policy``."""
    lv = loc.units.set_index("unit_id")["level"]
    p = loc.policies[loc.policies["policy"] == policy]
    p = p[p["unit_id"].map(lv) == level]
    return float((p["value"] != 0).mean()) if len(p) else float("nan")


def policy_count(loc: Locality, policy: str, level: str | None = None, value: float | None = None) -> float:
    """Number of units with a policy (at a level, with a given value)."""
    p = loc.policies[loc.policies["policy"] == policy]
    if level:
        p = p[p["unit_id"].map(loc.units.set_index("unit_id")["level"]) == level]
    if value is not None:
        p = p[p["value"] == value]
    else:
        p = p[p["value"] != 0]
    return float(len(p))


def named_units_with_platform(loc: Locality, names, type=None) -> float:  # noqa: A002
    """How many of the named units host a platform of the given types."""
    u = loc.units[loc.units["name"].isin(_as_list(names)) | loc.units.get("name_en", loc.units["name"]).isin(_as_list(names))]
    p = loc.platforms
    if type:
        p = p[p["type"].isin(_as_list(type))]
    return float(u["unit_id"].isin(p["unit_id"]).sum())


def station_heads(loc: Locality, type=None, cadre: bool = True) -> float:  # noqa: A002
    """Share of platforms (of some types) whose head is a cadre (or, with ``cadre=False``, has a deputy)."""
    p = loc.platforms
    if type:
        p = p[p["type"].isin(_as_list(type))]
    col = "head_is_cadre" if cadre else "has_deputy"
    return float(p[col].mean()) if len(p) else float("nan")


def config_value(loc: Locality, key: str) -> Any:
    """A value of the locality's config (for rules such as the 4+X quotas)."""
    if loc.config is None:
        return None
    return loc.config.get(key)


def committees(loc: Locality, level: str) -> float:
    """Number of CPPCC committees at a level (units whose committee has members)."""
    return float(loc.members.loc[loc.members["level"] == level, "committee_unit_id"].nunique())


METRICS: dict[str, Callable[..., Any]] = {
    "count_units": count_units, "count_platforms": count_platforms, "unit_coverage": unit_coverage,
    "members_sunk": members_sunk, "committee_sectors": committee_sectors, "sector_coverage": sector_coverage,
    "count_orgs": count_orgs, "count_ties": count_ties, "tie_coverage": tie_coverage,
    "policy_share": policy_share, "policy_count": policy_count,
    "named_units_with_platform": named_units_with_platform, "station_heads": station_heads,
    "config_value": config_value, "committees": committees, "six_haves_share": six_haves_share,
}


def _compare(value, op, target, tol):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    if op == "==":
        return value == target if not isinstance(target, float) else abs(value - target) <= (tol or 1e-9)
    if op == ">=":
        return value >= target
    if op == ">":
        return value > target
    if op == "<=":
        return value <= target
    if op == "<":
        return value < target
    if op == "approx":
        return abs(value - target) <= (tol if tol is not None else 0.1 * abs(target))
    raise ConfigError(f"unknown op {op!r}")


def check_structure_targets(locality: Locality, targets=None) -> pd.DataFrame:
    """Evaluate a locality against the structural figures of its config.

    Parameters
    ----------
    locality : Locality
    targets : list of mappings, optional
        Defaults to ``locality.config.get("targets")``.

    Returns
    -------
    pandas.DataFrame
        ``id, metric, args, op, target, value, ok, doc_id, fact`` (one row per target).
    """
    if targets is None:
        targets = locality.config.get("targets", ()) if locality.config is not None else ()
    rows = []
    for t in targets:
        fn = METRICS.get(t["metric"])
        if fn is None:
            raise ConfigError(f"unknown metric {t['metric']!r}", key=f"targets.{t.get('id')}")
        args = dict(t.get("args") or {})
        value = fn(locality, **args)
        ok = _compare(value, t["op"], t["value"], t.get("tol"))
        rows.append(dict(id=t["id"], metric=t["metric"], args=json.dumps(args, ensure_ascii=False, sort_keys=True),
                         op=t["op"], target=t["value"], value=value, ok=bool(ok), doc_id=t.get("doc_id"),
                         fact=t.get("fact")))
    return pd.DataFrame(rows, columns=["id", "metric", "args", "op", "target", "value", "ok", "doc_id", "fact"])
