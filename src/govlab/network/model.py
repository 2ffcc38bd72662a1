"""The data contract of a participation network: :class:`Locality` and its tables.

A locality is a set of pandas tables (one row per entity or relation) plus the configuration and seed
it was built from. It is the shape that :func:`govlab.network.synthesize` returns, that the measures
in :mod:`govlab.network.measures` read and that :mod:`govlab.scenarios` changes year by year.

Tables and their columns (``?`` marks a nullable column; extra columns are allowed and kept)
--------------------------------------------------------------------------------------------
units
    ``unit_id, name, level, parent_id?, population, urban, share_away, x, y`` and ``subtype``.
    ``level`` is one of :data:`UNIT_LEVELS` (province > city > county > township > village);
    ``share_away`` is the share of working-age residents away (外出务工), in [0, 1]; ``x, y`` are
    synthetic coordinates in km used for distances; ``subtype`` names the kind of unit (town,
    street, park, village, community, district ...).
members
    ``member_id, level, committee_unit_id, sector, party, profession, home_unit_id, hours_per_year``.
    ``level`` is the CPPCC level (:data:`MEMBER_LEVELS`), ``committee_unit_id`` the unit whose
    committee the member sits on, ``party`` one of :data:`PARTIES`.
platforms
    ``platform_id, type, unit_id, head_member_id?, head_is_cadre, has_deputy, six_haves, online``
    and ``sector?`` (the sector a sector room or enterprise room serves). ``head_is_cadre`` marks a
    head who is a township Party deputy secretary, rotated at each term change (换届).
assignments
    ``member_id, platform_id, role``; ``role`` one of :data:`ROLES` ("sunk" for a member sent down
    to a platform, "head", "deputy", "convener", "guide" ...).
organisations
    ``org_id, kind, unit_id, name, party?, sector?``; ``kind`` one of :data:`ORG_KINDS`.
residents
    Strata, not individuals: ``stratum_id, unit_id, age_group, gender, migrant, occupation, count``.
    ``unit_id`` is a village or community.
ties
    Extra typed edges between any two ids of members, organisations, platforms and units:
    ``source, target, kind`` (for example a party supervision group paired with a street,
    ``kind="supervises"``; a member matched to a department, ``kind="matched"``; a convener,
    ``kind="convener"``).
memberships
    ``member_id, org_id, role``: members in committees, special committees, sector groups and
    party branches.
policies
    ``unit_id, policy, value``: unit-level policy facts (for example ``funds_budgeted`` = 1.0 for a
    county that budgets township work funds, ``pilot_year`` = 2018).
events
    ``event_id, platform_id, year, kind, topic_source, n_participants``: one baseline year of
    activity (consultations, public-opinion information items, other activities).
attendance
    ``event_id, stratum_id, count``: residents (person-times) attending each consultation.

Every id is unique across units, members, platforms and organisations, so the typed graph can use
the ids themselves as node keys.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from govlab.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from govlab.network.config import LocalityConfig

UNIT_LEVELS = ("province", "city", "county", "township", "village")
MEMBER_LEVELS = ("province", "city", "county")
PARTIES = ("CPC", "RCCK", "CDL", "CNDCA", "CAPD", "CPWDP", "CZGP", "Jiusan", "TDSGL", "non-party")
DEMOCRATIC_PARTIES = PARTIES[1:9]
PLATFORM_TYPES = (
    "workstation", "studio", "liaison_station", "member_home", "consultation_room", "council",
    "online_room", "enterprise_room", "sector_room",
)
ROLES = ("sunk", "head", "deputy", "convener", "guide", "member")
ORG_KINDS = (
    "committee", "special_committee", "party_branch", "sector_group", "department",
    "party_committee", "government", "supervision_group",
)
EVENT_KINDS = ("consultation", "opinion_info", "other")
TOPIC_SOURCES = ("party_government", "residents", "members")

# table -> ordered (column, dtype, nullable)
SCHEMA: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "units": (
        ("unit_id", "str", False), ("name", "str", False), ("level", "str", False),
        ("parent_id", "str", True), ("population", "int64", False), ("urban", "bool", False),
        ("share_away", "float64", False), ("x", "float64", False), ("y", "float64", False),
        ("subtype", "str", False),
    ),
    "members": (
        ("member_id", "str", False), ("level", "str", False), ("committee_unit_id", "str", False),
        ("sector", "str", False), ("party", "str", False), ("profession", "str", False),
        ("home_unit_id", "str", False), ("hours_per_year", "float64", False),
    ),
    "platforms": (
        ("platform_id", "str", False), ("type", "str", False), ("unit_id", "str", False),
        ("head_member_id", "str", True), ("head_is_cadre", "bool", False),
        ("has_deputy", "bool", False), ("six_haves", "int64", False), ("online", "bool", False),
        ("sector", "str", True),
    ),
    "assignments": (("member_id", "str", False), ("platform_id", "str", False), ("role", "str", False)),
    "organisations": (
        ("org_id", "str", False), ("kind", "str", False), ("unit_id", "str", False),
        ("name", "str", False), ("party", "str", True), ("sector", "str", True),
    ),
    "residents": (
        ("stratum_id", "str", False), ("unit_id", "str", False), ("age_group", "str", False),
        ("gender", "str", False), ("migrant", "bool", False), ("occupation", "str", False),
        ("count", "int64", False),
    ),
    "ties": (("source", "str", False), ("target", "str", False), ("kind", "str", False)),
    "memberships": (("member_id", "str", False), ("org_id", "str", False), ("role", "str", False)),
    "policies": (("unit_id", "str", False), ("policy", "str", False), ("value", "float64", False)),
    "events": (
        ("event_id", "str", False), ("platform_id", "str", False), ("year", "int64", False),
        ("kind", "str", False), ("topic_source", "str", False), ("n_participants", "int64", False),
    ),
    "attendance": (("event_id", "str", False), ("stratum_id", "str", False), ("count", "int64", False)),
}
TABLES = tuple(SCHEMA)
ID_COLUMNS = {"units": "unit_id", "members": "member_id", "platforms": "platform_id",
              "organisations": "org_id", "residents": "stratum_id", "events": "event_id"}
NODE_TABLES = ("units", "members", "platforms", "organisations")


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the columns and dtypes of :data:`SCHEMA` ``[name]``.

    Examples
    --------
    >>> list(empty_table("ties").columns)
    ['source', 'target', 'kind']
    """
    cols = SCHEMA[name]
    return pd.DataFrame({c: pd.Series([], dtype=_dtype(t)) for c, t, _ in cols})


#: String columns use pandas' ``str`` dtype with Python storage: it prints and compares as ``str``
#: but iterates and converts to NumPy several times faster than the Arrow-backed default.
STR_DTYPE = pd.StringDtype("python", na_value=np.nan)


def _dtype(t: str):
    return STR_DTYPE if t == "str" else t


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with the schema columns first, in order, cast to their dtypes; extras kept after.

    Raises
    ------
    InputError
        When a required column is missing or cannot be cast.
    """
    cols = SCHEMA[name]
    missing = [c for c, _, _ in cols if c not in df.columns]
    if missing:
        raise InputError(f"missing columns {missing}; expected {[c for c, _, _ in cols]}", key=name)
    out = {}
    for c, t, nullable in cols:
        s = df[c]
        try:
            if t == "str":
                na = s.isna().to_numpy()
                s = s.astype(object).where(~na, None).astype(STR_DTYPE)
            elif t == "bool":
                if s.isna().any():
                    raise ValueError("missing values")
                s = s.astype("bool")
            else:
                if s.isna().any():
                    raise ValueError("missing values")
                s = s.astype(t)
        except (TypeError, ValueError) as exc:
            raise InputError(f"column cannot be read as {t}: {exc}", key=f"{name}.{c}") from exc
        out[c] = s.reset_index(drop=True)
    extra = [c for c in df.columns if c not in out]
    frame = pd.DataFrame(out)
    for c in extra:
        frame[c] = df[c].reset_index(drop=True)
    return frame


@dataclass(frozen=True, eq=False)
class Locality:
    """A participation network: entity and relation tables plus the config and seed that built it.

    Build one with :func:`govlab.network.synthesize` (or directly from tables and check it with
    :func:`validate`). Tables are described in the module docstring of
    :mod:`govlab.network.model`. The dataclass is frozen: derive a changed locality with
    :meth:`replace` (which re-validates) rather than editing tables in place.

    Examples
    --------
    >>> from govlab.network import load_locality_config, synthesize
    >>> loc = synthesize(load_locality_config("shangyou-620"), seed=1)
    >>> int((loc.platforms["type"] == "workstation").sum())
    6
    """

    name: str
    units: pd.DataFrame
    members: pd.DataFrame
    platforms: pd.DataFrame
    assignments: pd.DataFrame
    organisations: pd.DataFrame
    residents: pd.DataFrame
    ties: pd.DataFrame = dataclasses.field(default_factory=lambda: empty_table("ties"))
    memberships: pd.DataFrame = dataclasses.field(default_factory=lambda: empty_table("memberships"))
    policies: pd.DataFrame = dataclasses.field(default_factory=lambda: empty_table("policies"))
    events: pd.DataFrame = dataclasses.field(default_factory=lambda: empty_table("events"))
    attendance: pd.DataFrame = dataclasses.field(default_factory=lambda: empty_table("attendance"))
    config: LocalityConfig | None = None
    seed: int | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in :data:`TABLES` order."""
        return {t: getattr(self, t) for t in TABLES}

    def replace(self, *, check: bool = True, **changes: Any) -> Locality:
        """A copy with some tables (or fields) replaced, conformed and (unless ``check=False``) validated.

        Examples
        --------
        >>> from govlab.network import load_locality_config, synthesize
        >>> loc = synthesize(load_locality_config("shangyou-620"), seed=1)
        >>> fewer = loc.replace(assignments=loc.assignments.iloc[:0])
        >>> len(fewer.assignments)
        0
        """
        for k, v in list(changes.items()):
            if k in SCHEMA:
                changes[k] = conform(k, v)
        new = dataclasses.replace(self, **changes)
        if check:
            validate(new)
        return new

    def summary(self) -> pd.DataFrame:
        """Row counts of every table and the resident total, as a two-column frame."""
        rows = [(t, len(df)) for t, df in self.tables().items()]
        rows.append(("residents (people)", int(self.residents["count"].sum())))
        return pd.DataFrame(rows, columns=["table", "rows"])

    def __repr__(self) -> str:
        sizes = ", ".join(f"{t}={len(getattr(self, t))}" for t in ("units", "members", "platforms", "assignments", "residents"))
        return f"Locality({self.name!r}, seed={self.seed}, {sizes})"


def make_locality(name: str, tables: Mapping[str, pd.DataFrame], *, config=None, seed=None,
                  check: bool = True) -> Locality:
    """Build a :class:`Locality` from a mapping of tables (missing optional tables are empty).

    Each table is conformed to :data:`SCHEMA` (column order, dtypes) and the result validated.

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"unit_id": ["K"], "name": ["county"], "level": ["county"],
    ...     "parent_id": [None], "population": [100], "urban": [False], "share_away": [0.2],
    ...     "x": [0.0], "y": [0.0], "subtype": ["county"]})
    >>> loc = make_locality("tiny", {"units": units})
    >>> len(loc.units)
    1
    """
    unknown = set(tables) - set(SCHEMA)
    if unknown:
        raise InputError(f"unknown tables {sorted(unknown)}; expected some of {list(SCHEMA)}", source=name)
    full = {t: conform(t, tables[t]) if t in tables else empty_table(t) for t in SCHEMA}
    loc = Locality(name=name, config=config, seed=seed, **full)
    if check:
        validate(loc)
    return loc


# ---------------------------------------------------------------- validation
def _fail(loc: Locality, msg: str, key: str) -> None:
    raise InputError(msg, source=f"locality {loc.name!r}", key=key)


def _first_bad(df: pd.DataFrame, mask: np.ndarray, idcol: str | None) -> str:
    i = int(np.flatnonzero(mask)[0])
    ident = f" ({df[idcol].iloc[i]!r})" if idcol and idcol in df.columns else ""
    n = int(mask.sum())
    more = f" and {n - 1} more" if n > 1 else ""
    return f"row {i}{ident}{more}"


def isin(values, allowed) -> np.ndarray:
    """Fast membership test for string columns: a boolean array, True where ``values`` is in ``allowed``.

    pandas' ``Series.isin`` on Arrow-backed strings is slow for large columns; this hashes through a
    :class:`pandas.Index` instead.

    Examples
    --------
    >>> isin(pd.Series(["a", "b", None]), ["a"]).tolist()
    [True, False, False]
    """
    vals = values.to_numpy(dtype=object) if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values, dtype=object)
    idx = pd.Index(np.asarray(list(allowed) if not isinstance(allowed, (pd.Index, np.ndarray, pd.Series)) else allowed,
                              dtype=object)).unique()
    if len(idx) == 0:
        return np.zeros(len(vals), bool)
    return idx.get_indexer(vals) >= 0


def _check_in(loc, table, col, allowed, idcol, nullable=False):
    df = getattr(loc, table)
    s = df[col]
    mask = ~isin(s, list(allowed))
    if nullable:
        mask &= s.notna().to_numpy()
    if mask.any():
        bad = s[mask].iloc[0]
        _fail(loc, f"unknown value {bad!r} at {_first_bad(df, mask, idcol)}; expected one of {sorted(map(str, allowed))[:12]}"
              + ("..." if len(allowed) > 12 else ""), f"{table}.{col}")


def _check_ref(loc, table, col, ids: pd.Index, what: str, idcol, nullable=False):
    df = getattr(loc, table)
    s = df[col]
    mask = ~isin(s, ids)
    if nullable:
        mask &= s.notna().to_numpy()
    if mask.any():
        bad = s[mask].iloc[0]
        _fail(loc, f"{what} {bad!r} not found at {_first_bad(df, mask, idcol)}", f"{table}.{col}")


def validate(locality: Locality) -> Locality:
    """Check a locality's tables and cross-references; return it unchanged or raise.

    Checks: schema columns present; ids unique within each table and across units, members,
    platforms and organisations; parents, committees, homes, platform units, organisation units,
    resident units and assignment ends exist; levels, parties, platform types, roles and kinds are
    known; populations and counts are non-negative; ``share_away`` lies in [0, 1]; ``six_haves``
    lies in 0..6; a unit's parent is one level up the hierarchy (or more, for units directly
    under a city).

    Raises
    ------
    InputError
        Naming the table, column, row and offending value, for example
        ``locality 'x': assignments.platform_id: platform 'PF9' not found at row 3 ('M0004')``.

    Examples
    --------
    >>> from govlab.network import load_locality_config, synthesize
    >>> loc = synthesize(load_locality_config("shangyou-620"), seed=1)
    >>> validate(loc) is loc
    True
    """
    loc = locality
    for t, cols in SCHEMA.items():
        df = getattr(loc, t)
        if not isinstance(df, pd.DataFrame):
            _fail(loc, f"expected a pandas DataFrame, got {type(df).__name__}", t)
        missing = [c for c, _, _ in cols if c not in df.columns]
        if missing:
            _fail(loc, f"missing columns {missing}", t)
        for c, typ, nullable in cols:
            if not nullable and df[c].isna().any():
                mask = df[c].isna().to_numpy()
                _fail(loc, f"missing value at {_first_bad(df, mask, ID_COLUMNS.get(t))}", f"{t}.{c}")
    # ids unique within tables
    for t, idcol in ID_COLUMNS.items():
        df = getattr(loc, t)
        dup = df[idcol].duplicated().to_numpy()
        if dup.any():
            _fail(loc, f"duplicate id {df[idcol][dup].iloc[0]!r} at {_first_bad(df, dup, idcol)}", f"{t}.{idcol}")
    # ids unique across node tables
    seen: dict[str, str] = {}
    for t in NODE_TABLES:
        col = getattr(loc, t)[ID_COLUMNS[t]]
        clash = col[isin(col, list(seen))]
        if len(clash):
            _fail(loc, f"duplicate id {clash.iloc[0]!r}: already used in {seen[clash.iloc[0]]}", f"{t}.{ID_COLUMNS[t]}")
        seen.update(dict.fromkeys(col.tolist(), t))

    u = loc.units
    unit_ids = pd.Index(u["unit_id"])
    _check_in(loc, "units", "level", UNIT_LEVELS, "unit_id")
    _check_ref(loc, "units", "parent_id", unit_ids, "parent unit", "unit_id", nullable=True)
    if (u["population"] < 0).any():
        _fail(loc, f"negative population at {_first_bad(u, (u['population'] < 0).to_numpy(), 'unit_id')}", "units.population")
    sa = u["share_away"].to_numpy()
    bad = ~((sa >= 0) & (sa <= 1))
    if bad.any():
        _fail(loc, f"share {sa[bad][0]!r} outside [0, 1] at {_first_bad(u, bad, 'unit_id')}", "units.share_away")
    depth = u["level"].map({lv: i for i, lv in enumerate(UNIT_LEVELS)})
    pdepth = u["parent_id"].map(dict(zip(u["unit_id"], depth))).to_numpy(dtype=float)
    badlev = (~np.isnan(pdepth)) & (pdepth >= depth.to_numpy())
    if badlev.any():
        _fail(loc, f"parent is not above the unit in the hierarchy at {_first_bad(u, badlev, 'unit_id')}", "units.parent_id")

    m = loc.members
    _check_in(loc, "members", "level", MEMBER_LEVELS, "member_id")
    _check_in(loc, "members", "party", PARTIES, "member_id")
    _check_ref(loc, "members", "committee_unit_id", unit_ids, "unit", "member_id")
    _check_ref(loc, "members", "home_unit_id", unit_ids, "unit", "member_id")
    if (m["hours_per_year"] < 0).any():
        _fail(loc, f"negative hours at {_first_bad(m, (m['hours_per_year'] < 0).to_numpy(), 'member_id')}", "members.hours_per_year")
    member_ids = pd.Index(m["member_id"])

    p = loc.platforms
    _check_in(loc, "platforms", "type", PLATFORM_TYPES, "platform_id")
    _check_ref(loc, "platforms", "unit_id", unit_ids, "unit", "platform_id")
    _check_ref(loc, "platforms", "head_member_id", member_ids, "member", "platform_id", nullable=True)
    sh = p["six_haves"].to_numpy()
    bad = (sh < 0) | (sh > 6)
    if bad.any():
        _fail(loc, f"six_haves {int(sh[bad][0])} outside 0..6 at {_first_bad(p, bad, 'platform_id')}", "platforms.six_haves")
    platform_ids = pd.Index(p["platform_id"])

    _check_ref(loc, "assignments", "member_id", member_ids, "member", "member_id")
    _check_ref(loc, "assignments", "platform_id", platform_ids, "platform", "member_id")
    _check_in(loc, "assignments", "role", ROLES, "member_id")
    dup = loc.assignments.duplicated(["member_id", "platform_id", "role"]).to_numpy()
    if dup.any():
        _fail(loc, f"duplicate assignment at {_first_bad(loc.assignments, dup, 'member_id')}", "assignments")

    _check_in(loc, "organisations", "kind", ORG_KINDS, "org_id")
    _check_ref(loc, "organisations", "unit_id", unit_ids, "unit", "org_id")
    _check_in(loc, "organisations", "party", PARTIES, "org_id", nullable=True)
    org_ids = pd.Index(loc.organisations["org_id"])
    _check_ref(loc, "memberships", "member_id", member_ids, "member", "org_id")
    _check_ref(loc, "memberships", "org_id", org_ids, "organisation", "member_id")

    r = loc.residents
    _check_ref(loc, "residents", "unit_id", unit_ids, "unit", "stratum_id")
    if (r["count"] < 0).any():
        _fail(loc, f"negative count at {_first_bad(r, (r['count'] < 0).to_numpy(), 'stratum_id')}", "residents.count")

    all_ids = unit_ids.append([member_ids, platform_ids, org_ids])
    _check_ref(loc, "ties", "source", all_ids, "node", "kind")
    _check_ref(loc, "ties", "target", all_ids, "node", "kind")
    _check_ref(loc, "policies", "unit_id", unit_ids, "unit", "policy")
    _check_ref(loc, "events", "platform_id", platform_ids, "platform", "event_id")
    _check_in(loc, "events", "kind", EVENT_KINDS, "event_id")
    _check_ref(loc, "attendance", "event_id", pd.Index(loc.events["event_id"]), "event", "stratum_id")
    _check_ref(loc, "attendance", "stratum_id", pd.Index(r["stratum_id"]), "stratum", "event_id")
    if (loc.attendance["count"] < 0).any():
        _fail(loc, "negative attendance count", "attendance.count")
    return loc
