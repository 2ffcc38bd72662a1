"""Locality configurations: YAML files in ``datasets/localities/`` read into a frozen :class:`LocalityConfig`.

A config describes one locality of the reports (hierarchy and population, CPPCC committees and their
members, platforms and how they are placed, member sinking, ties, unit policies, residents, one
baseline year of activity) and the structural figures it must reproduce (``targets``).

Every number may carry its provenance. A *figure* is written either as a plain value or as a mapping
with ``value`` and provenance keys::

    count: {value: 109, doc_id: nantong-youshi, fact: "rooms in all 109 towns, streets and parks by end 2019"}
    size:  {value: 180, assumption: true, note: "typical county committee size"}
    population: {value: 7726635, source: "Seventh National Population Census (2020), Nantong bulletin"}

:func:`config_provenance` lists every figure with its source. A config may ``extends:`` another file
(deep merge; lists and scalars of the child win).

Files are read by :func:`govlab.schema.read_yaml` (no duplicate keys, aliases or deep nesting;
encodings as for reports) and checked by the pydantic model :class:`LocalityFile`: unknown keys
(with "did you mean"), finite numbers, counts inside the documented bounds of
:data:`govlab.schema.BOUNDS`, shares in [0, 1]. Every error names the file and the dotted key path
(``members.committees.county.size``). To accept a new key, add one line to the model of the
mapping that holds it (``Units``, ``Level``, ``Platform``, ``Members``, ``Sinking``, ...).
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

import pandas as pd
from pydantic import Field

from govlab.errors import ConfigError
from govlab.network.model import MEMBER_LEVELS, PARTIES, PLATFORM_TYPES, UNIT_LEVELS
from govlab.schema import Strict, choice, did_you_mean, flag, mapping_of, number, read_yaml, text, validate

FIGURE_KEYS = frozenset({"value", "doc_id", "fact", "source", "assumption", "note", "approx", "derived", "masked"})
SELECT_METHODS = ("all", "random", "population", "p_median", "max_coverage")
SINK_METHODS = ("nearest", "sector", "expertise")
TARGET_OPS = ("==", ">=", ">", "<=", "<", "approx")


# ---------------------------------------------------------------- schema (pydantic)
# One model per mapping of the file. To accept a new key, add one line to the model of the mapping
# that holds it (for example ``new_key: F01 = None`` in ``Sinking``); ``= None`` makes it optional.
F01 = number(0.0, 1.0)
POS = number(0.0)
KM = number(0.0, 20_000.0, lo_open=True)
UNITS = number(0, integer=True, why="units")
SMALL = number(0, integer=True, why="small_count")
EVENTS = number(0.0, why="events")
UNIT_LEVEL = choice(UNIT_LEVELS)
MEMBER_LEVEL = choice(MEMBER_LEVELS)
PTYPE = choice(PLATFORM_TYPES)
PARTY = choice(PARTIES)
TEXT = text()
FLAG = flag()


class Level(Strict):
    level: UNIT_LEVEL
    count: number(1, integer=True, why="units")
    scalable: FLAG = None
    names: list[TEXT] = None
    names_en: list[TEXT] = None
    subtypes: list[TEXT] = None
    subtype_shares: mapping_of(F01) = None
    under: list[TEXT] = None
    per_parent: list[UNITS] = None
    population_weights: list[POS] = None
    urban: list[FLAG] = None
    min_per_parent: UNITS = None
    name_prefix: TEXT = None
    some_names: mapping_of(list[TEXT]) = None


class Platform(Strict):
    name: TEXT = None
    type: PTYPE
    level: UNIT_LEVEL = None
    coverage: F01 = None
    count: number(0, integer=True, why="platforms") = None
    per_sector: FLAG = None
    units: list[TEXT] = None
    subtypes: list[TEXT] = None
    levels: list[UNIT_LEVEL] = None
    select: choice(SELECT_METHODS) = None
    radius_km: KM = None
    head: choice(("none", "member", "cadre")) = None
    deputies: list[SMALL] = None
    six_haves_full: F01 = None
    six_haves_min: number(0, 6, integer=True) = None
    online: FLAG = None
    capacity: number(0, integer=True, why="committee_size") = None
    sink: FLAG = None
    sector: TEXT = None
    scalable: FLAG = None
    committee_level: MEMBER_LEVEL = None
    area: FLAG = None
    within: TEXT = None


class Target(Strict):
    id: TEXT
    metric: TEXT
    args: mapping_of(Any) = None
    op: choice(TARGET_OPS)
    value: Any
    tol: POS = None
    doc_id: TEXT = None
    fact: TEXT = None
    note: TEXT = None


class Top(Strict):
    level: choice(UNIT_LEVELS[:3])
    name: TEXT
    name_zh: TEXT = None
    subtype: TEXT = None


class ShareAway(Strict):
    rural: F01 = None
    urban: F01 = None
    sd: number(0.0, 1.0) = None


class Units(Strict):
    top: Top
    population: number(1, integer=True, why="population")
    urban_share: F01 = None
    share_away: ShareAway = None
    radius_km: mapping_of(KM, UNIT_LEVELS) = None
    village_population_sigma: number(0.0, 5.0) = None
    levels: Annotated[list[Level], Field(min_length=1)]


class Committee(Strict):
    size: number(1, integer=True, why="committee_size")
    special_committees: SMALL = None
    sectors: number(1, integer=True, why="small_count") = None
    leaders: SMALL = None


class Sector(Strict):
    id: TEXT
    zh: TEXT = None
    party: PARTY = None
    professions: list[TEXT] = None
    weight: POS = None


class Hours(Strict):
    mean: number(0.0, 8_760.0) = None
    sd: number(0.0, 8_760.0) = None


class Members(Strict):
    committees: mapping_of(Committee, MEMBER_LEVELS, min_items=1) = None
    parties: mapping_of(F01, PARTIES) = None
    sectors: list[Sector] = None
    hours_per_year: Hours = None
    home_urban_weight: POS = None
    home_in_seat_share: F01 = None


class Sinking(Strict):
    share: F01 = None
    levels: list[MEMBER_LEVEL] = None
    types: list[PTYPE] = None
    method: choice(SINK_METHODS) = None
    per_member: number(1, integer=True, why="small_count") = None
    penalty_km: number(0.0, 20_000.0) = None
    deputies: list[SMALL] = None
    within_jurisdiction: FLAG = None
    slack: number(0.0, 1_000.0) = None


class Supervision(Strict):
    district: TEXT = None
    groups: list[Annotated[list[PARTY], Field(min_length=1)]] = None
    streets: number(1, integer=True, why="small_count") = None


class Departments(Strict):
    district: TEXT = None
    count: number(1, integer=True, why="small_count") = None
    fields: list[TEXT] = None
    members_per_department: number(1, integer=True, why="committee_size") = None


class Levels(Strict):
    levels: list[MEMBER_LEVEL] = None


class ConvenerLevels(Strict):
    levels: list[choice(UNIT_LEVELS[:4])] = None


class Guides(Strict):
    types: list[PTYPE] = None


class PartyGroups(Strict):
    district: TEXT = None
    count: SMALL = None


class Ties(Strict):
    supervision: Supervision = None
    departments: Departments = None
    leader_pairing: Levels = None
    conveners: ConvenerLevels = None
    station_guides: Guides = None
    party_groups: PartyGroups = None


class Policy(Strict):
    policy: TEXT
    level: UNIT_LEVEL = None
    share: F01 = None
    units: mapping_of(Any) = None
    value: number() = None
    per_parent: UNITS = None
    under_level: UNIT_LEVEL = None


class Occupations(Strict):
    rural: mapping_of(F01) = None
    urban: mapping_of(F01) = None
    elderly_rural: mapping_of(F01) = None
    elderly_urban: mapping_of(F01) = None


class Residents(Strict):
    age_groups: mapping_of(F01) = None
    gender: mapping_of(F01) = None
    working_ages: list[TEXT] = None
    elderly_ages: list[TEXT] = None
    child_ages: list[TEXT] = None
    occupations: Occupations = None


class Quotas(Strict):
    consultations: number(0, integer=True, why="events") = None
    opinion_info: number(0, integer=True, why="events") = None


class Participants(Strict):
    mean: number(0.0, why="committee_size") = None
    min: number(0, integer=True, why="committee_size") = None


class Propensity(Strict):
    age: mapping_of(number(0.0, 100.0)) = None
    gender: mapping_of(number(0.0, 100.0)) = None
    migrant: number(0.0, 100.0) = None
    occupation: mapping_of(number(0.0, 100.0)) = None


class Activity(Strict):
    year: number(1949, 2100, integer=True) = None
    consultations: mapping_of(EVENTS, PLATFORM_TYPES) = None
    opinion_info: mapping_of(EVENTS, PLATFORM_TYPES) = None
    other: mapping_of(EVENTS, PLATFORM_TYPES) = None
    dispersion: number(0.0, 100.0) = None
    quotas: Quotas = None
    participants: Participants = None
    propensity: Propensity = None
    topic_sources: mapping_of(F01, ("party_government", "residents", "members")) = None


class LocalityFile(Strict):
    """A locality config file (figures already unwrapped to their values)."""

    extends: TEXT = None
    id: TEXT
    doc_id: TEXT
    name: TEXT
    name_zh: TEXT = None
    description: TEXT = None
    scale: number(0.0, 1.0, lo_open=True) = None
    units: Units
    members: Members = None
    platforms: list[Platform] = None
    sinking: Sinking = None
    ties: Ties = None
    policies: list[Policy] = None
    residents: Residents = None
    activity: Activity = None
    targets: list[Target] = None


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
    checked = validate(LocalityFile, plain, source=source)
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
    if path in seen:
        raise ConfigError(f"circular extends: {' -> '.join(map(str, seen + (path,)))}", source=str(path), key="extends")
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(f"expected a mapping of keys at the top level, got {type(raw).__name__}", source=str(path))
    base = raw.get("extends")
    if base is not None and not isinstance(base, str):
        raise ConfigError(f"expected a file name, got {base!r}", source=str(path), key="extends")
    if base:
        target = (path.parent / base).resolve()
        if not target.is_file():
            raise ConfigError(f"the file it extends does not exist: {target}", source=str(path), key="extends")
        parent = _read_yaml(target, seen + (path,))
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
            names = list_locality_configs()
            raise ConfigError(f"no such locality config{did_you_mean(p.name, names)}; shipped configs: {names}",
                              source=str(path_or_name))
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
