"""Levers: composable, validated changes to a locality and its scenario parameters.

Each lever is a small frozen dataclass with an ``apply(locality, params)`` method that returns a
changed ``(locality, params)`` pair and never edits its inputs. A scenario names levers in a
mapping (YAML ``levers:``); :func:`levers_from_config` turns it into lever objects and
:func:`apply_levers` applies them in a fixed order (structural levers first, then parameter levers),
so the same mapping always gives the same result whatever its key order.

=====================  ===========================================  =============================
YAML key               lever                                        reports' argument
=====================  ===========================================  =============================
``add_platforms``      :class:`AddPlatforms`                        few members reach villages
``move_platforms``     :class:`MovePlatforms`                       platforms nearer residents
``online_rooms``       :class:`OnlineRooms`                         residents working away
``sinking``            :class:`Sinking` (raise the sinking rate)    members sunk to stations
``deputies``           :class:`Deputies` (continuity)               heads rotated at term change
``compensation``       :class:`Compensation`                        no pay for lost work time
``accountability``     :class:`Accountability` (lists, follow-up)   decided and not done
``resident_topics``    :class:`ResidentTopics`                      narrow, top-down topics
``exchange_ties``      :class:`ExchangeTies`                        little exchange of practice
``season_scheduling``  :class:`SeasonScheduling`                    farming seasons
``funding``            :class:`Funding`                             no earmarked funds
=====================  ===========================================  =============================
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from govlab.errors import ConfigError
from govlab.scenarios.config import LEVELS, PLATFORM_TYPES, SCHEMA, Params, Spec, check_keys, check_value

_RATE = Spec("rate", None, "", "")
_NONNEG = Spec("nonneg", None, "", "")
_COUNT = Spec("count", None, "", "")
STATION_TYPES = ("workstation", "studio", "liaison_station", "member_home")


def _replace(locality, **tables):
    """A copy of ``locality`` with tables replaced (dataclass replace; the lever checked the rows)."""
    return dataclasses.replace(locality, **tables)


def _unit_index(locality) -> pd.Series:
    return pd.Series(np.arange(len(locality.units)), index=locality.units["unit_id"].astype(str))


def _need_unit(locality, unit_id, key: str) -> None:
    if str(unit_id) not in set(locality.units["unit_id"].astype(str)):
        raise ConfigError(f"unit {unit_id!r} does not exist in locality {getattr(locality, 'name', '?')!r}", key=key)


def _subtree(locality, root: str) -> set:
    """Unit ids in the subtree of ``root`` (inclusive)."""
    units = locality.units
    children: dict = {}
    for u, par in zip(units["unit_id"].astype(str), units["parent_id"]):
        if par is not None and not pd.isna(par):
            children.setdefault(str(par), []).append(u)
    out, stack = set(), [str(root)]
    while stack:
        u = stack.pop()
        out.add(u)
        stack.extend(children.get(u, ()))
    return out


def _new_platform_rows(locality, rows: list[dict]) -> pd.DataFrame:
    plat = locality.platforms
    new = pd.DataFrame(rows)
    if "planned_events" in new.columns and "planned_events" not in plat.columns:
        plat = plat.assign(planned_events=np.nan)
    for col in plat.columns:
        if col not in new.columns:
            new[col] = np.nan if col == "planned_events" else None
    new = new[list(plat.columns)]
    out = pd.concat([plat, new.astype({c: plat[c].dtype for c in plat.columns if c in
                                       ("head_is_cadre", "has_deputy", "online", "six_haves")})],
                    ignore_index=True)
    return out


class Lever:
    """Base class: ``kind`` is the YAML key; ``apply`` returns a new ``(locality, params)``."""

    kind: ClassVar[str] = ""
    structural: ClassVar[bool] = False
    key: str

    def apply(self, locality, params: Params):  # pragma: no cover - interface
        raise NotImplementedError

    def inert_reason(self, locality, params: Params) -> str | None:
        """Why this lever cannot change anything in ``locality`` (``None``: it applies).

        A lever that applies but leaves outcomes unchanged is a finding to explain; a lever that
        cannot apply (nothing left to raise, nothing to act on) says so here.
        """
        return None

    @classmethod
    def from_config(cls, value: Any, key: str) -> Lever:  # pragma: no cover - interface
        raise NotImplementedError


def _opt(value: Mapping, name: str, spec: Spec, key: str):
    if name not in value or value[name] is None:
        return None
    return check_value(f"{key}.{name}", spec, value[name])


# ------------------------------------------------------------------ structural levers
@dataclass(frozen=True)
class AddPlatforms(Lever):
    """Add platforms (type and unit), optionally sinking members of the unit's county to them.

    Each item: ``type``, ``unit_id``, and optional ``platform_id``, ``has_deputy``,
    ``head_is_cadre``, ``online``, ``sink_members`` (members of the county committee to assign) and
    ``events_per_year`` (consultations the new platform plans a year; default: the type's planned
    events times the locality's calibrated activity).

    Examples
    --------
    >>> from govlab.scenarios.toy import toy_locality
    >>> loc = toy_locality(n_counties=1)
    >>> lever = AddPlatforms(({"type": "consultation_room", "unit_id": "K1T1V5"},))
    >>> new, _ = lever.apply(loc, Params.default())
    >>> len(new.platforms) - len(loc.platforms)
    1
    """

    platforms: tuple = ()
    key: str = "levers.add_platforms"
    kind: ClassVar[str] = "add_platforms"
    structural: ClassVar[bool] = True
    FIELDS: ClassVar[tuple] = ("type", "unit_id", "platform_id", "has_deputy", "head_is_cadre", "online", "sink_members",
                               "events_per_year")

    @classmethod
    def from_config(cls, value, key):
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise ConfigError("expected a list of platforms", key=key)
        items = []
        for i, item in enumerate(value):
            k = f"{key}[{i}]"
            check_keys(item, cls.FIELDS, k)
            for req in ("type", "unit_id"):
                if req not in item:
                    raise ConfigError("required key is missing", key=f"{k}.{req}")
            if item["type"] not in PLATFORM_TYPES:
                raise ConfigError(f"expected one of {list(PLATFORM_TYPES)}, got {item['type']!r}", key=f"{k}.type")
            if "sink_members" in item:
                check_value(f"{k}.sink_members", _COUNT, item["sink_members"])
            if item.get("events_per_year") is not None:
                check_value(f"{k}.events_per_year", _NONNEG, item["events_per_year"])
            items.append(dict(item))
        return cls(platforms=tuple(items), key=key)

    def apply(self, locality, params):
        plat = locality.platforms
        existing = set(plat["platform_id"].astype(str))
        rows, sinks = [], []
        for i, item in enumerate(self.platforms):
            k = f"{self.key}[{i}]"
            _need_unit(locality, item["unit_id"], f"{k}.unit_id")
            pid = str(item.get("platform_id") or f"lever-{item['type']}-{item['unit_id']}")
            n = 2
            base = pid
            while pid in existing:
                if item.get("platform_id"):
                    raise ConfigError(f"platform {pid!r} already exists", key=f"{k}.platform_id")
                pid = f"{base}-{n}"
                n += 1
            existing.add(pid)
            rows.append({"platform_id": pid, "type": item["type"], "unit_id": str(item["unit_id"]),
                         "head_member_id": None, "head_is_cadre": bool(item.get("head_is_cadre", False)),
                         "has_deputy": bool(item.get("has_deputy", False)), "six_haves": 6,
                         "online": bool(item.get("online", item["type"] == "online_room")),
                         "planned_events": (float(item["events_per_year"]) if item.get("events_per_year") is not None
                                            else float("nan"))})
            if item.get("sink_members"):
                sinks.append((pid, str(item["unit_id"]), int(item["sink_members"])))
        loc = _replace(locality, platforms=_new_platform_rows(locality, rows))
        for pid, unit, n in sinks:
            loc = _assign_members(loc, pid, unit, n)
        return loc, params


def _county_of(locality, unit_id: str) -> str | None:
    units = locality.units
    parent = dict(zip(units["unit_id"].astype(str), units["parent_id"]))
    level = dict(zip(units["unit_id"].astype(str), units["level"].astype(str)))
    u = unit_id
    while u is not None and not (isinstance(u, float) and np.isnan(u)):
        if level.get(u) == "county":
            return u
        u = parent.get(u)
        u = None if u is None or pd.isna(u) else str(u)
    return None


def _assign_members(locality, platform_id: str, unit_id: str, n: int):
    """Assign ``n`` members of the unit's county committee to a platform, least-assigned first."""
    county = _county_of(locality, unit_id)
    mem = locality.members
    pool = mem[mem["committee_unit_id"].astype(str) == str(county)] if county else mem.iloc[:0]
    if pool.empty:
        return locality
    load = locality.assignments["member_id"].astype(str).value_counts()
    cand = pd.DataFrame({"member_id": pool["member_id"].astype(str)})
    cand["load"] = cand["member_id"].map(load).fillna(0).astype(int)
    chosen = cand.sort_values(["load", "member_id"], kind="stable")["member_id"].head(n)
    new = pd.DataFrame({"member_id": chosen.to_numpy(), "platform_id": platform_id, "role": "sunk"})
    asg = pd.concat([locality.assignments, new.astype(locality.assignments.dtypes.to_dict())], ignore_index=True)
    return _replace(locality, assignments=asg)


@dataclass(frozen=True)
class MovePlatforms(Lever):
    """Move platforms to other units (``[{platform_id, to_unit_id}, ...]``).

    Examples
    --------
    >>> from govlab.scenarios.toy import toy_locality
    >>> loc = toy_locality(n_counties=1)
    >>> MovePlatforms(({"platform_id": "nope", "to_unit_id": "K1T1"},)).apply(loc, Params.default())
    Traceback (most recent call last):
    ...
    govlab.errors.ConfigError: levers.move_platforms[0].platform_id: platform 'nope' does not exist in locality 'toy'
    """

    moves: tuple = ()
    key: str = "levers.move_platforms"
    kind: ClassVar[str] = "move_platforms"
    structural: ClassVar[bool] = True

    @classmethod
    def from_config(cls, value, key):
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise ConfigError("expected a list of moves", key=key)
        out = []
        for i, item in enumerate(value):
            check_keys(item, ("platform_id", "to_unit_id"), f"{key}[{i}]")
            for req in ("platform_id", "to_unit_id"):
                if req not in item:
                    raise ConfigError("required key is missing", key=f"{key}[{i}].{req}")
            out.append({"platform_id": str(item["platform_id"]), "to_unit_id": str(item["to_unit_id"])})
        return cls(moves=tuple(out), key=key)

    def apply(self, locality, params):
        plat = locality.platforms.copy()
        ids = plat["platform_id"].astype(str)
        for i, m in enumerate(self.moves):
            k = f"{self.key}[{i}]"
            hit = (ids == m["platform_id"]).to_numpy()
            if not hit.any():
                raise ConfigError(f"platform {m['platform_id']!r} does not exist in locality "
                                  f"{getattr(locality, 'name', '?')!r}", key=f"{k}.platform_id")
            _need_unit(locality, m["to_unit_id"], f"{k}.to_unit_id")
            plat.loc[hit, "unit_id"] = m["to_unit_id"]
        return _replace(locality, platforms=plat), params


@dataclass(frozen=True)
class OnlineRooms(Lever):
    """Add an online consultation room (网上协商议事室) at given units, or at every county.

    ``units``: a list of unit ids or ``"all_counties"``; ``hybrid``: also open an online channel at
    every existing station; ``events_per_year``: consultations each room plans a year (default: the
    type's planned events times the locality's calibrated activity).
    """

    units: Any = "all_counties"
    hybrid: bool = False
    events_per_year: float | None = None
    key: str = "levers.online_rooms"
    kind: ClassVar[str] = "online_rooms"
    structural: ClassVar[bool] = True

    @classmethod
    def from_config(cls, value, key):
        if value is True:
            value = {}
        check_keys(value, ("units", "hybrid", "events_per_year"), key)
        units = value.get("units", "all_counties")
        if not (units == "all_counties" or (isinstance(units, (list, tuple)) and not isinstance(units, str))):
            raise ConfigError(f"expected 'all_counties' or a list of unit ids, got {units!r}", key=f"{key}.units")
        hybrid = value.get("hybrid", False)
        if not isinstance(hybrid, bool):
            raise ConfigError(f"expected true or false, got {hybrid!r}", key=f"{key}.hybrid")
        return cls(units=units if isinstance(units, str) else tuple(map(str, units)), hybrid=hybrid,
                   events_per_year=_opt(value, "events_per_year", _NONNEG, key), key=key)

    def apply(self, locality, params):
        if self.units == "all_counties":
            units = locality.units["unit_id"][locality.units["level"].astype(str) == "county"].astype(str).tolist()
        else:
            units = list(self.units)
            for i, u in enumerate(units):
                _need_unit(locality, u, f"{self.key}.units[{i}]")
        items = tuple({"type": "online_room", "unit_id": u, "platform_id": f"lever-online-{u}",
                       "events_per_year": self.events_per_year} for u in units
                      if f"lever-online-{u}" not in set(locality.platforms["platform_id"].astype(str)))
        loc, params = AddPlatforms(items, key=self.key).apply(locality, params)
        if self.hybrid:
            plat = loc.platforms.copy()
            plat.loc[plat["type"].astype(str).isin(STATION_TYPES), "online"] = True
            loc = _replace(loc, platforms=plat)
        return loc, params


@dataclass(frozen=True)
class Sinking(Lever):
    """Raise the sinking rate: the share of members assigned to township or village platforms.

    ``rate``: target share of members (of ``levels``) sunk; members not yet sunk are assigned, in
    member-id order, to the least-staffed station in their committee's jurisdiction.
    ``hours_scale``: multiplier on the hours members give to grassroots work (a parameter).
    """

    rate: float | None = None
    hours_scale: float | None = None
    levels: tuple = ("province", "city", "county")
    key: str = "levers.sinking"
    kind: ClassVar[str] = "sinking"
    structural: ClassVar[bool] = True

    @classmethod
    def from_config(cls, value, key):
        check_keys(value, ("rate", "hours_scale", "levels"), key)
        levels = tuple(value.get("levels", ("province", "city", "county")))
        for i, lv in enumerate(levels):
            if lv not in LEVELS[:3]:
                raise ConfigError(f"expected one of {list(LEVELS[:3])}, got {lv!r}", key=f"{key}.levels[{i}]")
        return cls(rate=_opt(value, "rate", _RATE, key), hours_scale=_opt(value, "hours_scale", _NONNEG, key),
                   levels=levels, key=key)

    def apply(self, locality, params):
        if self.hours_scale is not None:
            params = params.updated({"members.hours_scale": self.hours_scale}, prefix=self.key)
        if self.rate is None:
            return locality, params
        units = locality.units
        level = dict(zip(units["unit_id"].astype(str), units["level"].astype(str)))
        plat = locality.platforms
        low = plat[plat["unit_id"].astype(str).map(level).isin(["township", "village"])]
        stations = low[low["type"].astype(str).isin(STATION_TYPES + ("council", "consultation_room"))]
        if stations.empty:
            return locality, params
        mem = locality.members[locality.members["level"].astype(str).isin(self.levels)]
        asg = locality.assignments
        sunk = set(asg.loc[asg["platform_id"].astype(str).isin(set(low["platform_id"].astype(str))), "member_id"].astype(str))
        ids = mem["member_id"].astype(str)
        need = int(np.ceil(self.rate * len(mem))) - int(ids.isin(sunk).sum())
        if need <= 0:
            return locality, params
        todo = mem[~ids.isin(sunk)].sort_values("member_id", kind="stable").head(need)
        if todo.empty:
            return locality, params
        # jurisdiction of each committee unit -> its stations
        st_units = stations["unit_id"].astype(str).to_numpy()
        st_ids = stations["platform_id"].astype(str).to_numpy()
        st_pri = stations["type"].astype(str).isin(STATION_TYPES).to_numpy()
        load = asg["platform_id"].astype(str).value_counts().reindex(st_ids).fillna(0).to_numpy(float).copy()
        new_rows = []
        sub_cache: dict = {}
        for mid, cu in zip(todo["member_id"].astype(str), todo["committee_unit_id"].astype(str)):
            if cu not in sub_cache:
                sub = _subtree(locality, cu)
                sub_cache[cu] = np.array([u in sub for u in st_units])
            ok = sub_cache[cu]
            if not ok.any():
                continue
            score = np.where(ok, load - 0.5 * st_pri, np.inf)
            j = int(np.argmin(score))
            load[j] += 1
            new_rows.append((mid, st_ids[j], "sunk"))
        if not new_rows:
            return locality, params
        new = pd.DataFrame(new_rows, columns=["member_id", "platform_id", "role"])
        asg = pd.concat([asg, new.astype(asg.dtypes.to_dict())], ignore_index=True)
        return _replace(locality, assignments=asg), params


def _sunk_share(locality, levels) -> tuple[float, int]:
    units = locality.units
    level = dict(zip(units["unit_id"].astype(str), units["level"].astype(str)))
    plat = locality.platforms
    low = set(plat.loc[plat["unit_id"].astype(str).map(level).isin(["township", "village"]), "platform_id"].astype(str))
    mem = locality.members[locality.members["level"].astype(str).isin(levels)]
    asg = locality.assignments
    sunk = set(asg.loc[asg["platform_id"].astype(str).isin(low), "member_id"].astype(str))
    return (float(mem["member_id"].astype(str).isin(sunk).mean()) if len(mem) else 0.0), len(low)


def _sinking_inert(self, locality, params):
    if self.hours_scale is not None and self.hours_scale != params["members.hours_scale"]:
        return None
    if self.rate is None:
        return "neither a sinking rate nor an hours scale that differs from the current one"
    share, n_low = _sunk_share(locality, self.levels)
    if n_low == 0:
        return "no township or village platforms to sink members to"
    if share >= self.rate:
        return f"{share:.0%} of members are already sunk, at least the lever's rate {self.rate:.0%}"
    return None


Sinking.inert_reason = _sinking_inert


@dataclass(frozen=True)
class Deputies(Lever):
    """Give a share of stations a member deputy head who stays at term changes (continuity).

    Stations headed by cadres get deputies first, then others, each group in platform-id order.
    """

    share: float = 1.0
    key: str = "levers.deputies"
    kind: ClassVar[str] = "deputies"
    structural: ClassVar[bool] = True

    @classmethod
    def from_config(cls, value, key):
        if value is True:
            value = {}
        check_keys(value, ("share",), key)
        share = _opt(value, "share", _RATE, key)
        return cls(share=1.0 if share is None else share, key=key)

    def apply(self, locality, params):
        plat = locality.platforms.copy()
        st = plat["type"].astype(str).isin(STATION_TYPES).to_numpy()
        n_target = int(np.ceil(self.share * st.sum()))
        have = int((plat["has_deputy"].astype(bool).to_numpy() & st).sum())
        need = n_target - have
        if need > 0:
            cand = plat[st & ~plat["has_deputy"].astype(bool).to_numpy()].copy()
            cand["_pri"] = ~cand["head_is_cadre"].astype(bool)
            pick = cand.sort_values(["_pri", "platform_id"], kind="stable").index[:need]
            plat.loc[pick, "has_deputy"] = True
        return _replace(locality, platforms=plat), params

    def inert_reason(self, locality, params):
        plat = locality.platforms
        st = plat["type"].astype(str).isin(STATION_TYPES).to_numpy()
        if not st.any():
            return "no stations (workstations, studios, liaison stations, member homes)"
        have = int((plat["has_deputy"].astype(bool).to_numpy() & st).sum())
        if have >= int(np.ceil(self.share * st.sum())):
            return f"{have} of {int(st.sum())} stations already have a member deputy"
        return None


# ------------------------------------------------------------------ parameter levers
@dataclass(frozen=True)
class _ParamLever(Lever):
    MAP: ClassVar[dict] = {}   # field -> (param key, spec)

    @classmethod
    def from_config(cls, value, key):
        check_keys(value, tuple(cls.MAP), key)
        kwargs = {f: _opt(value, f, spec, key) for f, (_, spec) in cls.MAP.items()}
        return cls(key=key, **kwargs)

    def apply(self, locality, params):
        changes = {pk: getattr(self, f) for f, (pk, _) in self.MAP.items() if getattr(self, f) is not None}
        return locality, params.updated(changes, prefix=self.key)


@dataclass(frozen=True)
class Compensation(_ParamLever):
    """Pay non-public participants for lost work time (误工补贴) and members' transport."""

    residents: float | None = None
    member_transport: float | None = None
    key: str = "levers.compensation"
    kind: ClassVar[str] = "compensation"
    MAP: ClassVar[dict] = {"residents": ("compensation.residents", _RATE),
                           "member_transport": ("compensation.member_transport", _RATE)}

    def inert_reason(self, locality, params):
        reasons = []
        if self.residents is not None and self.residents <= params["compensation.residents"]:
            reasons.append("non-public participants are already compensated at least as much")
        elif self.residents is not None:
            from govlab.scenarios.year import _occ_class

            occ = locality.residents["occupation"].astype(str).unique() if len(locality.residents) else []
            if not any(_occ_class(o) == 1 for o in occ):
                reasons.append("no non-public workers among the residents")
            else:
                return None
        if self.member_transport is not None and self.member_transport > params["compensation.member_transport"]:
            if params["members.unpaid_transport_factor"] >= 1.0:
                reasons.append("unpaid transport costs members no hours here (members.unpaid_transport_factor = 1)")
            else:
                return None
        return "; ".join(reasons) or "nothing to change"


@dataclass(frozen=True)
class Accountability(_ParamLever):
    """Accountability lists (清单制) and follow-up reviews (回头看), each a strength in [0, 1]."""

    lists: float | None = None
    follow_up: float | None = None
    key: str = "levers.accountability"
    kind: ClassVar[str] = "accountability"
    MAP: ClassVar[dict] = {"lists": ("accountability.lists", _RATE), "follow_up": ("accountability.follow_up", _RATE)}


@dataclass(frozen=True)
class SeasonScheduling(_ParamLever):
    """Schedule events around farming seasons: the share of events that still fall in season."""

    share_in_season: float | None = None
    key: str = "levers.season_scheduling"
    kind: ClassVar[str] = "season_scheduling"
    MAP: ClassVar[dict] = {"share_in_season": ("season.share_in_season", _RATE)}


@dataclass(frozen=True)
class Funding(_ParamLever):
    """Budget township work funds in a share of counties."""

    share: float | None = None
    key: str = "levers.funding"
    kind: ClassVar[str] = "funding"
    MAP: ClassVar[dict] = {"share": ("events.funded_share", _RATE)}

    def inert_reason(self, locality, params):
        if self.share is None:
            return "no share given"
        current = params["events.funded_share"]
        source = "events.funded_share"
        if current is None:
            pol = locality.policies
            hit = pol[pol["policy"].astype(str).isin(["township_funds_budgeted", "funds_budgeted"])]
            if len(hit):
                counties = locality.units.loc[locality.units["level"].astype(str) == "county", "unit_id"].astype(str)
                funded = set(hit.loc[hit["value"].astype(float) > 0, "unit_id"].astype(str))
                current = float(counties.isin(funded).mean()) if len(counties) else 1.0
                source = "the locality's township_funds_budgeted policy"
            else:
                current, source = 1.0, "no funding policy (every county funded)"
        if current >= 1.0:
            return f"no unfunded counties here ({source})"
        if self.share <= current:
            return f"{current:.0%} of counties already fund township work ({source}); the lever's {self.share:.0%} is no raise"
        return None


@dataclass(frozen=True)
class ResidentTopics(Lever):
    """More topics raised by residents (群众出题): a multiplier on their rate and a choice rate."""

    multiplier: float | None = None
    choose: float | None = None
    key: str = "levers.resident_topics"
    kind: ClassVar[str] = "resident_topics"

    @classmethod
    def from_config(cls, value, key):
        check_keys(value, ("multiplier", "choose"), key)
        return cls(multiplier=_opt(value, "multiplier", _NONNEG, key), choose=_opt(value, "choose", _RATE, key), key=key)

    def apply(self, locality, params):
        ch = {}
        if self.multiplier is not None:
            ch["topics.resident_multiplier"] = params["topics.resident_multiplier"] * self.multiplier
        if self.choose is not None:
            ch["loop.choose_residents"] = self.choose
        return locality, params.updated(ch, prefix=self.key)


@dataclass(frozen=True)
class ExchangeTies(Lever):
    """Exchange ties between district (county-level) committees: a density and/or explicit pairs."""

    density: float | None = None
    pairs: tuple = ()
    key: str = "levers.exchange_ties"
    kind: ClassVar[str] = "exchange_ties"

    @classmethod
    def from_config(cls, value, key):
        check_keys(value, ("density", "pairs"), key)
        pairs = check_value(f"{key}.pairs", SCHEMA["exchange.ties"], value.get("pairs", []))
        return cls(density=_opt(value, "density", _RATE, key), pairs=tuple(map(tuple, pairs)), key=key)

    def apply(self, locality, params):
        counties = set(locality.units["unit_id"][locality.units["level"].astype(str) == "county"].astype(str))
        for i, (a, b) in enumerate(self.pairs):
            for end in (a, b):
                if end not in counties:
                    raise ConfigError(f"unit {end!r} is not a county-level unit of locality "
                                      f"{getattr(locality, 'name', '?')!r}", key=f"{self.key}.pairs[{i}]")
        ch: dict = {}
        if self.density is not None:
            ch["exchange.density"] = max(params["exchange.density"], self.density)
        if self.pairs:
            ch["exchange.ties"] = list(params["exchange.ties"]) + [list(p) for p in self.pairs]
        return locality, params.updated(ch, prefix=self.key)

    def inert_reason(self, locality, params):
        counties = locality.units[locality.units["level"].astype(str) == "county"]
        if len(counties) < 2:
            return "fewer than two district (county-level) committees: no one to exchange with"
        pol = locality.policies
        if not pol["policy"].astype(str).str.startswith("speciality_").any():
            return ("no district practices to spread: the locality has no speciality_* policies (only "
                    "xx-city-districts reports district specialities)")
        return None


LEVER_TYPES: dict[str, type] = {c.kind: c for c in (
    AddPlatforms, MovePlatforms, OnlineRooms, Sinking, Deputies, Compensation, Accountability,
    ResidentTopics, ExchangeTies, SeasonScheduling, Funding)}
#: Application order: structural levers first (platforms before members sink to them).
ORDER = tuple(LEVER_TYPES)


def levers_from_config(levers: Mapping | Sequence | None, prefix: str = "levers") -> tuple:
    """Parse a ``levers:`` mapping (YAML) into lever objects in application order.

    Parameters
    ----------
    levers : mapping of lever kind -> settings, or a sequence of Lever objects
    prefix : str
        Key path prefix for error messages.

    Raises
    ------
    ConfigError
        Unknown lever kind or field, a rate outside [0, 1], a negative count (names the key path).

    Examples
    --------
    >>> [l.kind for l in levers_from_config({"compensation": {"residents": 1.0}, "deputies": {"share": 1.0}})]
    ['deputies', 'compensation']
    >>> levers_from_config({"compensation": {"residents": 1.5}})
    Traceback (most recent call last):
    ...
    govlab.errors.ConfigError: levers.compensation.residents: expected a rate in [0, 1], got 1.5
    """
    if not levers:
        return ()
    if isinstance(levers, (list, tuple)) and all(isinstance(l, Lever) for l in levers):
        return tuple(sorted(levers, key=lambda l: ORDER.index(l.kind)))
    check_keys(levers, ORDER, prefix)
    out = []
    for kind in ORDER:
        if kind in levers and levers[kind] is not None and levers[kind] is not False:
            out.append(LEVER_TYPES[kind].from_config(levers[kind], f"{prefix}.{kind}"))
    return tuple(out)


def apply_levers(locality, params: Params, levers) -> tuple:
    """Apply levers (objects or a YAML mapping) to a locality and parameters.

    Returns
    -------
    (locality, Params)
        New objects; the inputs are not modified.

    Examples
    --------
    >>> from govlab.scenarios.toy import toy_locality
    >>> loc, p = apply_levers(toy_locality(n_counties=1), Params.default(),
    ...                       {"accountability": {"lists": 1.0}})
    >>> p["accountability.lists"]
    1.0
    """
    for lever in levers_from_config(levers):
        locality, params = lever.apply(locality, params)
    return locality, params
