"""Locality configurations: YAML files in ``datasets/localities/`` read into a frozen :class:`LocalityConfig`.

A config describes one locality of the reports (hierarchy and population, CPPCC committees and their
members, platforms and how they are placed, member sinking, ties, unit policies, residents, one
baseline year of activity) and the structural figures it must reproduce (``targets``).

Every number may carry its provenance. A *figure* is written either as a plain value or as a mapping
with ``value`` and provenance keys::

    count: {value: 109, doc_id: nantong-youshi, fact: "rooms in all 109 towns, streets and parks by end 2019"}
    size:  {value: 180, assumption: true, note: "typical county committee size"}
    population: {value: 7726635, source: "Seventh National Population Census (2020), Nantong bulletin"}

:func:`config_provenance` lists every figure with its source. Unknown keys are rejected, and errors
name the file and the dotted key path. A config may ``extends:`` another file (deep merge; lists
and scalars of the child win).
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from govlab.errors import ConfigError
from govlab.network.model import MEMBER_LEVELS, PARTIES, PLATFORM_TYPES, UNIT_LEVELS

FIGURE_KEYS = frozenset({"value", "doc_id", "fact", "source", "assumption", "note", "approx", "derived", "masked"})
SELECT_METHODS = ("all", "random", "population", "p_median", "max_coverage")
SINK_METHODS = ("nearest", "sector", "expertise")
TARGET_OPS = ("==", ">=", ">", "<=", "<", "approx")


# ---------------------------------------------------------------- spec nodes
class _Spec:
    def check(self, v, path: str, err: Callable[[str, str], None]):  # pragma: no cover - interface
        raise NotImplementedError


class Num(_Spec):
    def __init__(self, lo=None, hi=None, integer=False, lo_open=False):
        self.lo, self.hi, self.integer, self.lo_open = lo, hi, integer, lo_open

    def check(self, v, path, err):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            err(path, f"expected a number, got {v!r}")
        if self.integer and float(v) != int(v):
            err(path, f"expected a whole number, got {v!r}")
        if self.lo is not None and (v < self.lo or (self.lo_open and v == self.lo)):
            err(path, f"expected a number {'>' if self.lo_open else '>='} {self.lo}, got {v!r}")
        if self.hi is not None and v > self.hi:
            err(path, f"expected a number <= {self.hi}, got {v!r}")
        return int(v) if self.integer else float(v)


class Str(_Spec):
    def __init__(self, choices=None):
        self.choices = choices

    def check(self, v, path, err):
        if not isinstance(v, str):
            err(path, f"expected text, got {v!r}")
        if self.choices is not None and v not in self.choices:
            err(path, f"expected one of {list(self.choices)}, got {v!r}")
        return v


class Bool(_Spec):
    def check(self, v, path, err):
        if not isinstance(v, bool):
            err(path, f"expected true or false, got {v!r}")
        return v


class Any_(_Spec):
    def check(self, v, path, err):
        return v


class ListOf(_Spec):
    def __init__(self, item: _Spec, min_len: int = 0):
        self.item, self.min_len = item, min_len

    def check(self, v, path, err):
        if not isinstance(v, list):
            err(path, f"expected a list, got {v!r}")
        if len(v) < self.min_len:
            err(path, f"expected at least {self.min_len} items")
        return [self.item.check(x, f"{path}[{i}]", err) for i, x in enumerate(v)]


class DictOf(_Spec):
    def __init__(self, value: _Spec, keys=None):
        self.value, self.keys = value, keys

    def check(self, v, path, err):
        if not isinstance(v, dict):
            err(path, f"expected a mapping, got {v!r}")
        out = {}
        for k, x in v.items():
            if self.keys is not None and k not in self.keys:
                err(f"{path}.{k}", f"unknown key; expected one of {list(self.keys)}")
            out[str(k)] = self.value.check(x, f"{path}.{k}", err)
        return out


class Map(_Spec):
    def __init__(self, fields: Mapping[str, _Spec], required=()):
        self.fields, self.required = dict(fields), tuple(required)

    def check(self, v, path, err):
        if not isinstance(v, dict):
            err(path, f"expected a mapping, got {v!r}")
        for k in v:
            if k not in self.fields:
                err(f"{path}.{k}" if path else str(k), f"unknown key; expected one of {sorted(self.fields)}")
        for k in self.required:
            if k not in v:
                err(f"{path}.{k}" if path else k, "required key is missing")
        return {k: self.fields[k].check(x, f"{path}.{k}" if path else k, err) for k, x in v.items()}


class OneOf(_Spec):
    """The first spec that accepts the value wins."""

    def __init__(self, *specs: _Spec):
        self.specs = specs

    def check(self, v, path, err):
        msgs = []
        for s in self.specs:
            try:
                return s.check(v, path, _raiser)
            except ConfigError as exc:
                msgs.append(str(exc))
        err(path, "; or ".join(m.split(": ", 1)[-1] for m in msgs))


def _raiser(path, msg):
    raise ConfigError(msg, key=path)


F01 = Num(0.0, 1.0)
POS = Num(0.0)
INT0 = Num(0, integer=True)
INT1 = Num(1, integer=True)
UNIT_LEVEL = Str(UNIT_LEVELS)
PTYPE = Str(PLATFORM_TYPES)

LEVEL_SPEC = Map({
    "level": UNIT_LEVEL, "count": INT1, "scalable": Bool(), "names": ListOf(Str()),
    "names_en": ListOf(Str()), "subtypes": ListOf(Str()), "subtype_shares": DictOf(F01),
    "under": ListOf(Str()), "per_parent": ListOf(INT0), "population_weights": ListOf(POS),
    "urban": ListOf(Bool()), "min_per_parent": INT0, "name_prefix": Str(),
    "some_names": DictOf(ListOf(Str())),
}, required=("level", "count"))

PLATFORM_SPEC = Map({
    "name": Str(), "type": PTYPE, "level": UNIT_LEVEL, "coverage": F01, "count": INT0,
    "per_sector": Bool(), "units": ListOf(Str()), "subtypes": ListOf(Str()),
    "levels": ListOf(UNIT_LEVEL), "select": Str(SELECT_METHODS), "radius_km": Num(0.0, lo_open=True),
    "head": Str(("none", "member", "cadre")), "deputies": ListOf(INT0), "six_haves_full": F01,
    "six_haves_min": Num(0, 6, integer=True), "online": Bool(), "capacity": INT0, "sink": Bool(),
    "sector": Str(), "scalable": Bool(), "committee_level": Str(MEMBER_LEVELS), "area": Bool(), "within": Str(),
}, required=("type",))

TARGET_SPEC = Map({
    "id": Str(), "metric": Str(), "args": DictOf(Any_()), "op": Str(TARGET_OPS), "value": Any_(),
    "tol": POS, "doc_id": Str(), "fact": Str(), "note": Str(),
}, required=("id", "metric", "op", "value"))

CONFIG_SPEC = Map({
    "extends": Str(), "id": Str(), "doc_id": Str(), "name": Str(), "name_zh": Str(), "description": Str(),
    "scale": Num(0.0, 1.0, lo_open=True),
    "units": Map({
        "top": Map({"level": Str(UNIT_LEVELS[:3]), "name": Str(), "name_zh": Str(), "subtype": Str()},
                   required=("level", "name")),
        "population": INT0, "urban_share": F01,
        "share_away": Map({"rural": F01, "urban": F01, "sd": POS}),
        "radius_km": DictOf(Num(0.0, lo_open=True), keys=UNIT_LEVELS),
        "village_population_sigma": POS,
        "levels": ListOf(LEVEL_SPEC, min_len=1),
    }, required=("top", "population", "levels")),
    "members": Map({
        "committees": DictOf(Map({"size": INT0, "special_committees": INT0, "sectors": INT1,
                                  "leaders": INT0}), keys=MEMBER_LEVELS),
        "parties": DictOf(F01, keys=PARTIES),
        "sectors": ListOf(Map({"id": Str(), "zh": Str(), "party": Str(PARTIES), "professions": ListOf(Str()),
                               "weight": POS}, required=("id",))),
        "hours_per_year": Map({"mean": POS, "sd": POS}),
        "home_urban_weight": POS,
        "home_in_seat_share": F01,
    }),
    "platforms": ListOf(PLATFORM_SPEC),
    "sinking": Map({
        "share": F01, "levels": ListOf(Str(MEMBER_LEVELS)), "types": ListOf(PTYPE),
        "method": Str(SINK_METHODS), "per_member": INT1, "penalty_km": POS, "deputies": ListOf(INT0),
        "within_jurisdiction": Bool(), "slack": POS,
    }),
    "ties": Map({
        "supervision": Map({"district": Str(), "groups": ListOf(ListOf(Str(PARTIES), min_len=1)),
                            "streets": INT1}),
        "departments": Map({"district": Str(), "count": INT1, "fields": ListOf(Str()),
                            "members_per_department": INT1}),
        "leader_pairing": Map({"levels": ListOf(Str(MEMBER_LEVELS))}),
        "conveners": Map({"levels": ListOf(Str(UNIT_LEVELS[:4]))}),
        "station_guides": Map({"types": ListOf(PTYPE)}),
        "party_groups": Map({"district": Str(), "count": INT0}),
    }),
    "policies": ListOf(Map({"policy": Str(), "level": UNIT_LEVEL, "share": F01, "units": DictOf(Any_()),
                            "value": Num(), "per_parent": INT0, "under_level": UNIT_LEVEL},
                           required=("policy",))),
    "residents": Map({
        "age_groups": DictOf(F01), "gender": DictOf(F01), "working_ages": ListOf(Str()),
        "elderly_ages": ListOf(Str()), "child_ages": ListOf(Str()),
        "occupations": Map({"rural": DictOf(F01), "urban": DictOf(F01), "elderly_rural": DictOf(F01),
                            "elderly_urban": DictOf(F01)}),
    }),
    "activity": Map({
        "year": Num(1949, 2100, integer=True),
        "consultations": DictOf(POS, keys=PLATFORM_TYPES), "opinion_info": DictOf(POS, keys=PLATFORM_TYPES),
        "other": DictOf(POS, keys=PLATFORM_TYPES),
        "dispersion": POS,
        "quotas": Map({"consultations": INT0, "opinion_info": INT0}),
        "participants": Map({"mean": POS, "min": INT0}),
        "propensity": Map({"age": DictOf(POS), "gender": DictOf(POS), "migrant": POS, "occupation": DictOf(POS)}),
        "topic_sources": DictOf(F01, keys=("party_government", "residents", "members")),
    }),
    "targets": ListOf(TARGET_SPEC),
}, required=("id", "doc_id", "name", "units"))


# ---------------------------------------------------------------- provenance unwrapping
def _is_figure(v) -> bool:
    return isinstance(v, dict) and "value" in v and set(v) <= FIGURE_KEYS


def _unwrap(node, path: str, prov: list[dict], err) -> Any:
    """Replace figure mappings by their value, recording provenance rows."""
    if _is_figure(node):
        rec = {"key": path, "value": node["value"]}
        for k in ("doc_id", "fact", "source", "note"):
            rec[k] = node.get(k)
        rec["assumption"] = bool(node.get("assumption", False))
        rec["approx"] = bool(node.get("approx", False))
        rec["derived"] = bool(node.get("derived", False))
        rec["masked"] = bool(node.get("masked", False))
        if not (rec["doc_id"] or rec["source"] or rec["assumption"] or rec["derived"]):
            err(path, "a figure mapping needs doc_id (with fact), source, derived or assumption: true")
        if rec["doc_id"] and not rec["fact"]:
            err(path, "a figure citing doc_id needs a fact saying what the report gives")
        prov.append(rec)
        return _unwrap(node["value"], path, [], err)
    if isinstance(node, dict):
        if path.startswith("targets["):
            return copy.deepcopy(node)
        return {k: _unwrap(v, f"{path}.{k}" if path else str(k), prov, err) for k, v in node.items()}
    if isinstance(node, list):
        return [_unwrap(v, f"{path}[{i}]", prov, err) for i, v in enumerate(node)]
    if (path and isinstance(node, (int, float)) and not isinstance(node, bool)
            and not path.startswith(("id", "doc_id", "name", "description", "extends", "targets"))):
        prov.append({"key": path, "value": node, "doc_id": None, "fact": None, "source": None, "note": None,
                     "assumption": False, "approx": False, "derived": False, "masked": False})
    return node


def _deep_merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and not _is_figure(v) and not _is_figure(out[k]):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _freeze(v):
    if isinstance(v, dict):
        return MappingProxyType({k: _freeze(x) for k, x in v.items()})
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    return v


def _thaw(v):
    if isinstance(v, Mapping):
        return {k: _thaw(x) for k, x in v.items()}
    if isinstance(v, tuple):
        return [_thaw(x) for x in v]
    return v


def _rebuild_config(id_, doc_id, name, data, provenance, source, raw) -> LocalityConfig:
    """Unpickle a :class:`LocalityConfig` (see its ``__reduce__``)."""
    return LocalityConfig(id=id_, doc_id=doc_id, name=name, data=_freeze(data), provenance=provenance, source=source,
                          raw=_freeze(raw))


@dataclass(frozen=True, eq=False)
class LocalityConfig:
    """A validated, read-only locality configuration.

    Attributes
    ----------
    id, doc_id, name : str
        Config id, the report it is calibrated to (``corpus/manifest.csv``), display name.
    data : Mapping
        The full configuration with figures unwrapped to plain values (read-only mappings and tuples).
    provenance : pandas.DataFrame
        One row per figure: ``key, value, doc_id, fact, source, note, assumption, approx, derived``.
    source : str
        The file (or ``"<dict>"``) it was read from.

    Examples
    --------
    >>> cfg = load_locality_config("nantong-youshi")
    >>> cfg.get("units.top.level")
    'city'
    >>> cfg.with_overrides({"scale": 0.5}).scale
    0.5
    """

    id: str
    doc_id: str
    name: str
    data: Mapping = field(repr=False)
    provenance: pd.DataFrame = field(repr=False)
    source: str = "<dict>"
    raw: Mapping = field(repr=False, default_factory=lambda: MappingProxyType({}))

    def __reduce__(self):
        # read-only mappings (MappingProxyType) do not pickle: send plain dicts and freeze them again
        return (_rebuild_config, (self.id, self.doc_id, self.name, _thaw(self.data), self.provenance, self.source,
                                  _thaw(self.raw)))

    @property
    def scale(self) -> float:
        """Scale factor for scalable counts (1.0 = full size)."""
        return float(self.data.get("scale", 1.0))

    def get(self, key: str, default: Any = None) -> Any:
        """Value at a dotted key path (``"members.committees.county.size"``), or ``default``."""
        node: Any = self.data
        for part in key.split("."):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                return default
        return node

    def to_dict(self) -> dict:
        """The configuration as plain dicts and lists (figures unwrapped)."""
        return _thaw(self.data)

    @property
    def digest(self) -> str:
        """sha256 of the canonical JSON of :meth:`to_dict` (equal configs, equal digests)."""
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def with_overrides(self, overrides: Mapping[str, Any]) -> LocalityConfig:
        """A new config with dotted-key overrides applied to the raw YAML and re-validated.

        Examples
        --------
        >>> cfg = load_locality_config("gansu-extension").with_overrides({"sinking.share": 0.5})
        >>> cfg.get("sinking.share")
        0.5
        """
        raw = _thaw(self.raw)
        for key, value in overrides.items():
            node = raw
            parts = key.split(".")
            for part in parts[:-1]:
                if part not in node or not isinstance(node[part], dict):
                    node[part] = {}
                node = node[part]
                if _is_figure(node):
                    node = node  # pragma: no cover
            leaf = parts[-1]
            if _is_figure(node.get(leaf)):
                node[leaf] = {**node[leaf], "value": value, "note": f"overridden (was {node[leaf]['value']!r})"}
            else:
                node[leaf] = value
        return config_from_dict(raw, source=f"{self.source} (overridden)")


def config_from_dict(raw: Mapping, *, source: str = "<dict>") -> LocalityConfig:
    """Validate a configuration given as a mapping (``extends`` already resolved).

    Raises
    ------
    ConfigError
        Naming ``source`` and the dotted key path.
    """
    def err(path, msg):
        raise ConfigError(msg, source=source, key=path or "<top>")

    raw = copy.deepcopy(dict(raw))
    raw.pop("extends", None)
    prov: list[dict] = []
    plain = _unwrap(raw, "", prov, err)
    checked = CONFIG_SPEC.check(plain, "", err)
    _semantic_checks(checked, err)
    provenance = pd.DataFrame(prov, columns=["key", "value", "doc_id", "fact", "source", "note", "assumption", "approx", "derived", "masked"])
    provenance["value"] = provenance["value"].map(lambda v: json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
    return LocalityConfig(id=checked["id"], doc_id=checked["doc_id"], name=checked["name"], data=_freeze(checked),
                          provenance=provenance, source=source, raw=_freeze(raw))


def _semantic_checks(c: dict, err) -> None:
    top = c["units"]["top"]["level"]
    order = list(UNIT_LEVELS)
    prev = order.index(top)
    for i, lv in enumerate(c["units"]["levels"]):
        idx = order.index(lv["level"])
        if idx <= prev:
            err(f"units.levels[{i}].level", f"levels must go down the hierarchy below {order[prev]!r}, got {lv['level']!r}")
        prev = idx
        names = lv.get("names")
        if names is not None and len(names) != lv["count"]:
            err(f"units.levels[{i}].names", f"expected {lv['count']} names (count), got {len(names)}")
        for k in ("subtypes", "population_weights", "urban", "under", "names_en"):
            if k in lv and len(lv[k]) != lv["count"]:
                err(f"units.levels[{i}].{k}", f"expected {lv['count']} items (count), got {len(lv[k])}")
        if "per_parent" in lv and sum(lv["per_parent"]) != lv["count"]:
            err(f"units.levels[{i}].per_parent", f"sums to {sum(lv['per_parent'])}, expected count {lv['count']}")
    if c["units"]["levels"][-1]["level"] != "village":
        err("units.levels", "the last level must be 'village' (residents live in villages and communities)")
    for key in ("parties",):
        d = c.get("members", {}).get(key)
        if d and abs(sum(d.values()) - 1.0) > 1e-6:
            err(f"members.{key}", f"shares sum to {sum(d.values()):.6f}, expected 1")
    res = c.get("residents", {})
    for key in ("age_groups", "gender"):
        d = res.get(key)
        if d and abs(sum(d.values()) - 1.0) > 1e-6:
            err(f"residents.{key}", f"shares sum to {sum(d.values()):.6f}, expected 1")
    for key, d in res.get("occupations", {}).items():
        if d and abs(sum(d.values()) - 1.0) > 1e-6:
            err(f"residents.occupations.{key}", f"shares sum to {sum(d.values()):.6f}, expected 1")
    for i, p in enumerate(c.get("platforms", [])):
        given = [k for k in ("coverage", "count", "per_sector", "units") if k in p]
        if len(given) != 1:
            err(f"platforms[{i}]", f"give exactly one of coverage, count, per_sector, units (got {given})")
        if "coverage" in p and "level" not in p:
            err(f"platforms[{i}].level", "coverage needs the unit level it covers")
        if "count" in p and "level" not in p and "levels" not in p:
            err(f"platforms[{i}].level", "count needs a unit level (level or levels)")
    for i, t in enumerate(c.get("targets", [])):
        from govlab.network.targets import METRICS

        if t["metric"] not in METRICS:
            err(f"targets[{i}].metric", f"unknown metric {t['metric']!r}; expected one of {sorted(METRICS)}")


# ---------------------------------------------------------------- loading
def localities_dir() -> Path:
    """The folder of shipped locality configs (``datasets/localities``)."""
    from govlab.datasets import datasets_dir

    return datasets_dir() / "localities"


def list_locality_configs() -> list[str]:
    """Names of the shipped configs (files not starting with ``_``), sorted.

    Examples
    --------
    >>> "shangyou-620" in list_locality_configs()
    True
    """
    return sorted(p.stem for p in localities_dir().glob("*.yaml") if not p.name.startswith("_"))


def _read_yaml(path: Path, seen: tuple = ()) -> dict:
    import yaml

    if path in seen:
        raise ConfigError(f"circular extends: {' -> '.join(map(str, seen + (path,)))}", source=str(path), key="extends")
    if not path.exists():
        raise ConfigError("file not found", source=str(path))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=str(path)) from exc
    if not isinstance(raw, dict):
        raise ConfigError("expected a mapping at the top level", source=str(path))
    base = raw.get("extends")
    if base:
        parent = _read_yaml((path.parent / base).resolve(), seen + (path,))
        raw = _deep_merge(parent, {k: v for k, v in raw.items() if k != "extends"})
    return raw


def load_locality_config(path_or_name: str | os.PathLike, *, overrides: Mapping[str, Any] | None = None) -> LocalityConfig:
    """Read a locality config from a YAML path or a shipped name (``"gansu-extension"``).

    Parameters
    ----------
    path_or_name : str or path
        A file path, or the stem of a file in ``datasets/localities/``.
    overrides : mapping of dotted key -> value, optional
        Applied before validation, for example ``{"scale": 1.0}``.

    Returns
    -------
    LocalityConfig

    Raises
    ------
    ConfigError
        Unknown key, value out of range, missing file; the message names the file and key path.

    Examples
    --------
    >>> load_locality_config("xx-city-districts").get("units.levels")[0]["count"]
    8
    """
    p = Path(path_or_name)
    if not p.suffix and not p.exists():
        cand = localities_dir() / f"{p.name}.yaml"
        if not cand.exists():
            raise ConfigError(f"no such locality config; shipped configs: {list_locality_configs()}", source=str(path_or_name))
        p = cand
    raw = _read_yaml(p.resolve())
    cfg = config_from_dict(raw, source=str(p))
    if overrides:
        cfg = cfg.with_overrides(overrides)
    return cfg


def config_provenance(config: LocalityConfig, *, only_sourced: bool = False) -> pd.DataFrame:
    """The provenance table of a config: one row per figure with its source or assumption flag.

    ``status`` is ``"report"`` (doc_id), ``"public"`` (source), ``"derived"``, ``"assumption"``
    or ``"unspecified"`` (a plain value with no provenance).

    Examples
    --------
    >>> prov = config_provenance(load_locality_config("nantong-youshi"))
    >>> set(prov["status"]) <= {"report", "public", "derived", "assumption", "unspecified"}
    True
    """
    df = config.provenance.copy()
    status = pd.Series("unspecified", index=df.index, dtype="str")
    status[df["assumption"]] = "assumption"
    status[df["derived"]] = "derived"
    status[df["source"].notna()] = "public"
    status[df["doc_id"].notna()] = "report"
    df.insert(2, "status", status)
    if only_sourced:
        df = df[df["status"] != "unspecified"]
    return df.reset_index(drop=True)
