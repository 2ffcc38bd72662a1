"""The consultation year: a vectorised simulation of one locality, year by year.

The model follows the closed loop the reports describe (see ``docs/scenarios.md``). Residents are
strata (rows of ``Locality.residents``), never Python objects; platforms and committees are
*venues*; every yearly step is a handful of numpy/scipy operations over these arrays, as the
measurements in ``shared/research/networks.md`` (section 2, recommendation 6) advise.

One year, in order:

1. *Term change* (every ``turnover.term_years``): cadre heads of stations rotate out; a station
   with a member deputy keeps most of its activity, one without breaks and recovers slowly.
2. *Events*: each open venue holds ``Poisson(planned x activity)`` consultations; stations bound by
   the 4+X quota may top up to it; each committee venue holds one thematic consultation per topic
   set by Party and government.
3. *Members* attend within their hours: supply (hours x grassroots share x transport) over the cost
   of an event (meeting plus travel by the venue's level).
4. *Attendance*: each venue's expected attendance ``E x size x pool / (pool + K)`` is spread over
   the strata it reaches (sparse catchment matrix ``W``, weight ``decay ** levels``) in proportion
   to ``count x propensity``; propensities depend on age, migrant status (in person or online),
   farming season, compensation and trust. Attendances are Poisson per stratum; unique
   participants follow from an engaged share of each stratum.
5. *Topics* from three sources (Party/government, residents, members) are carried up (residents',
   members') or down (Party's) the five levels, one level a hop.
6. *The loop*: chosen, researched (needs member hours), consulted (needs event capacity), decided,
   reported, handled, fed back, lasting -- each a binomial thinning whose pass rate depends on the
   mechanisms in force (accountability lists, follow-up, Party support, district practices,
   an assessment step). Leaks are the differences between stages.
7. *Quotas*: public-opinion items and events per station against 4+X.
8. *Trust* of residents in each township follows the share of their topics solved and fed back.
9. *Practice exchange*: a district committee adopts a practice with probability
   ``1 - (1 - beta) ** k`` where ``k`` neighbours on the exchange network hold it (an independent
   cascade per year; Kempe, Kleinberg & Tardos 2003).

All randomness comes from the numpy ``Generator`` the caller passes.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp

from govlab.errors import ConfigError, InputError
from govlab.scenarios.config import LEVELS, PLATFORM_TYPES, PRACTICES, VENUE_TYPES, Params

STAGES = ("collected", "chosen", "researched", "consulted", "decided", "reported", "handled",
          "fed_back", "lasting")
SOURCES = ("party", "residents", "members")
STATION_TYPES = ("workstation", "studio", "liaison_station", "member_home")
LEAKS = {  # leak kind -> (stage before, stage after)
    "not_chosen": ("collected", "chosen"),
    "not_researched": ("chosen", "researched"),
    "not_consulted": ("researched", "consulted"),
    "discussed_no_decision": ("consulted", "decided"),
    "decided_not_done": ("decided", "handled"),
    "done_not_lasting": ("handled", "lasting"),
    "not_fed_back": ("handled", "fed_back"),
}
OCC_CLASSES = ("farmer", "non_public", "public", "other")
AGE_CLASSES = ("young", "working", "elderly", "child")


@lru_cache(maxsize=1)
def load_loop_definitions() -> dict:
    """The shipped loop definitions (``datasets/scenarios/loops.yaml``)."""
    import yaml

    from govlab.datasets import dataset_path

    return yaml.safe_load(dataset_path("scenarios", "loops.yaml").read_text(encoding="utf-8"))


def resolve_loop(steps: Sequence[str] | None = None, locality=None, name: str | None = None) -> tuple:
    """The loop's step names and the model stage each shows.

    Precedence: ``steps`` given, else ``locality.config['loop']``, else the shipped loop of
    ``name`` (a doc_id), else the generic six steps.

    Returns
    -------
    tuple of (step_name, stage) pairs

    Examples
    --------
    >>> [s for _, s in resolve_loop(name="shangyou-620")]
    ['collected', 'chosen', 'researched', 'consulted', 'reported', 'fed_back']
    """
    loops = load_loop_definitions()
    key = "loop"
    if steps is None and locality is not None:
        cfg = getattr(locality, "config", None)
        got = cfg.get("loop") if cfg is not None and hasattr(cfg, "get") else None
        if got:
            steps = got.get("steps") if hasattr(got, "get") else list(got)
            key = "locality.config.loop"
        if name is None:
            name = getattr(cfg, "doc_id", None) or (cfg.get("doc_id") if isinstance(cfg, dict) else None) \
                or getattr(locality, "name", None)
    if steps is None:
        entry = loops["loops"].get(name) or loops["loops"]["default"]
        steps = entry["steps"]
    if not isinstance(steps, (list, tuple)) or not 2 <= len(steps) <= 12:
        raise ConfigError(f"expected a list of 2 to 12 step names, got {steps!r}", key=key)
    out = []
    for i, s in enumerate(steps):
        stage = loops["step_stage"].get(str(s))
        if stage is None:
            raise ConfigError(f"unknown loop step {s!r}; known: {sorted(loops['step_stage'])}", key=f"{key}[{i}]")
        out.append((str(s), stage))
    return tuple(out)


def _age_class(label: str, config=None) -> int:
    """0 young adult, 1 working age, 2 elderly, 3 child (from the locality config's
    ``residents.child_ages``/``elderly_ages`` when given, else from the label's numbers)."""
    s = str(label).lower()
    get = getattr(config, "get", None)
    if get is not None:
        if str(label) in (get("residents.child_ages") or ()):
            return 3
        if str(label) in (get("residents.elderly_ages") or ()):
            return 2
    digits = [int(d) for d in "".join(ch if ch.isdigit() else " " for ch in s).split()]
    if "child" in s or (digits and max(digits) < 15):
        return 3
    if any(w in s for w in ("elder", "old", "senior", "retire")) or (digits and digits[0] >= 60):
        return 2
    if any(w in s for w in ("young", "youth")) or (digits and digits[0] < 35):
        return 0
    return 1


def _occ_class(label: str) -> int:
    s = str(label).lower()
    if any(w in s for w in ("farm", "agri", "peasant", "农")):
        return 0
    if any(w in s for w in ("public_serv", "public serv", "public_sector", "public sector", "cadre", "civil",
                            "official", "institution", "公职", "干部")):
        return 2
    if any(w in s for w in ("non_public", "non-public", "nonpublic", "private", "worker", "business",
                            "enterprise", "self", "migrant_work", "employ", "非公")):
        return 1
    if s in ("public",):
        return 2
    return 3


def _as_bool(series: pd.Series) -> np.ndarray:
    if series.dtype == bool:
        return series.to_numpy()
    return series.map(lambda v: str(v).strip().lower() in ("true", "1", "yes", "y")).to_numpy(bool)


def _member_hours_scale(cfg) -> dict:
    """Hours multiplier per committee level for a scaled-down locality config.

    A config with ``scale < 1`` shrinks the levels marked ``scalable`` (and the population) but keeps
    the other committees whole; members of a committee whose level is not scaled then serve only a
    ``scale`` share of their real territory, so their hours are multiplied by ``scale``
    (ASSUMPTION, docs/scenarios.md).
    """
    scale = float(getattr(cfg, "scale", 1.0) or 1.0) if cfg is not None else 1.0
    if scale >= 1.0 or not hasattr(cfg, "get"):
        return {}
    scalable = {lv.get("level"): bool(lv.get("scalable", False)) for lv in (cfg.get("units.levels") or ())}
    return {lv: (1.0 if scalable.get(lv, False) else scale) for lv in ("province", "city", "county")}


@dataclass(frozen=True, eq=False)
class Compiled:
    """Static arrays of one locality under one set of parameters (see :func:`compile_locality`)."""

    unit_ids: np.ndarray
    unit_level: np.ndarray
    anc: np.ndarray                # (5, U) ancestor index at each level, -1 if none
    population: float
    # strata
    s_count: np.ndarray
    s_engaged: np.ndarray
    s_migrant: np.ndarray
    s_occ: np.ndarray
    s_age: np.ndarray
    s_group: np.ndarray            # trust group (unit index of the township, else own unit)
    s_female: np.ndarray
    s_adult: np.ndarray
    dims: dict                     # name -> (codes, categories) for representativeness
    # venues
    venue_ids: np.ndarray
    v_unit: np.ndarray
    v_type: np.ndarray             # index into VENUE_TYPES
    v_level: np.ndarray
    v_county: np.ndarray           # index into counties, -1 if above county level
    v_real: np.ndarray
    v_station: np.ndarray
    v_quota: np.ndarray
    v_deputy: np.ndarray
    v_cadre: np.ndarray
    v_online: np.ndarray           # online weight in [0, 1]
    v_group: np.ndarray
    v_parent: np.ndarray           # venue one level up, -1 if none
    child_ptr: np.ndarray          # CSR of venues one level down
    child_idx: np.ndarray
    v_planned: np.ndarray          # planned events a year set on the platform itself (nan: by type)
    v_hours: np.ndarray            # member hours a year available to the venue (before shares)
    v_mgroup: np.ndarray           # member pool: township of the venue, else the venue itself
    v_pilot: np.ndarray            # pilot year of the venue's unit or an ancestor (nan if none)
    c_funded: np.ndarray | None    # funds_budgeted policy per county (None if the locality has none)
    c_supported: np.ndarray | None # review_compliant policy per county (None if none)
    c_practices: np.ndarray | None # speciality_<practice> policies (counties x practices), None if none
    v_travel: np.ndarray
    W: sp.csr_matrix               # strata x venues catchment weights
    WT: sp.csr_matrix
    # counties (county-level committees) and the exchange network frame
    counties: np.ndarray           # unit indices
    county_city: np.ndarray
    # loop
    loop: tuple
    has_assess: bool
    members_sunk_share: float
    n_members: int

    @property
    def n_venues(self) -> int:
        return len(self.venue_ids)


def compile_locality(locality, params: Params | None = None, loop: Sequence | None = None) -> Compiled:
    """Turn a locality's tables into the static arrays the year step needs.

    Parameters
    ----------
    locality : govlab.network.Locality
        Uses only the contract columns of ``units``, ``members``, ``platforms``, ``assignments``
        and ``residents``.
    params : Params, optional
        Reach depth and decay, quota types (defaults if omitted).
    loop : sequence of (step, stage) pairs, optional
        From :func:`resolve_loop`; default: resolved from the locality.

    Returns
    -------
    Compiled

    Raises
    ------
    InputError
        When a table lacks a contract column or refers to a unit that does not exist.
    """
    p = params or Params.default()
    units = locality.units
    for col in ("unit_id", "level", "parent_id"):
        if col not in units.columns:
            raise InputError(f"missing column {col!r}", source="locality.units")
    uid = units["unit_id"].astype(str).to_numpy()
    U = len(uid)
    index = pd.Index(uid)
    if not index.is_unique:
        raise InputError("duplicate unit_id", source="locality.units")
    lvl_map = {l: i for i, l in enumerate(LEVELS)}
    level = units["level"].astype(str).map(lvl_map)
    if level.isna().any():
        bad = units["level"][level.isna()].iloc[0]
        raise InputError(f"unknown level {bad!r}; expected one of {LEVELS}", source="locality.units", key="level")
    level = level.to_numpy(np.int64)
    par = units["parent_id"].astype(object).map(lambda v: None if v is None or pd.isna(v) else str(v))
    par_idx = index.get_indexer(par)
    # ancestors: walk up to 4 times
    anc = np.full((5, U), -1, dtype=np.int64)
    cur = np.arange(U)
    for _ in range(6):
        valid = cur >= 0
        anc[level[cur[valid]], np.nonzero(valid)[0]] = cur[valid]
        nxt = np.full(U, -1)
        nxt[valid] = par_idx[cur[valid]]
        cur = nxt
        if (cur < 0).all():
            break

    # ---- strata ----
    res = locality.residents
    s_unit = index.get_indexer(res["unit_id"].astype(str))
    if (s_unit < 0).any():
        bad = res["unit_id"].astype(str)[s_unit < 0].iloc[0]
        raise InputError(f"stratum refers to unknown unit {bad!r}", source="locality.residents", key="unit_id")
    s_count = res["count"].to_numpy(np.float64)
    if (s_count < 0).any():
        raise InputError("negative stratum count", source="locality.residents", key="count")
    s_engaged = np.floor(s_count * p["attendance.engaged_share"]).astype(np.int64)
    s_migrant = _as_bool(res["migrant"])
    occ_labels = res["occupation"].astype(str)
    occ_map = {o: _occ_class(o) for o in occ_labels.unique()}
    s_occ = occ_labels.map(occ_map).to_numpy(np.int64)
    cfg = getattr(locality, "config", None)
    age_labels = res["age_group"].astype(str)
    age_map = {a: _age_class(a, cfg) for a in age_labels.unique()}
    s_age = age_labels.map(age_map).to_numpy(np.int64)
    s_occ = np.where(s_age == 3, 3, s_occ)
    s_female = res["gender"].astype(str).str.lower().isin(["female", "f", "woman", "women", "女"]).to_numpy() \
        if "gender" in res.columns else np.zeros(len(res), bool)
    s_engaged = np.where(s_age == 3, 0, s_engaged)
    s_level = level[s_unit]
    s_group = np.where(anc[3, s_unit] >= 0, anc[3, s_unit], s_unit)
    dims = {}
    adult = s_age != 3
    for name, col in (("age", "age_group"), ("gender", "gender"), ("migrant", "migrant"), ("occupation", "occupation")):
        if col in res.columns:
            codes, cats = pd.factorize(res[col].astype(str), sort=True)
            dims[name] = (codes.astype(np.int64), np.asarray(cats, dtype=object))

    # ---- venues: real platforms, then one committee venue per province/city/county unit ----
    plat = locality.platforms
    P = len(plat)
    p_unit = index.get_indexer(plat["unit_id"].astype(str))
    if (p_unit < 0).any():
        bad = plat["unit_id"].astype(str)[p_unit < 0].iloc[0]
        raise InputError(f"platform located in unknown unit {bad!r}", source="locality.platforms", key="unit_id")
    type_idx = {t: i for i, t in enumerate(VENUE_TYPES)}
    p_type = plat["type"].astype(str).map(type_idx)
    if p_type.isna().any():
        bad = plat["type"][p_type.isna()].iloc[0]
        raise InputError(f"unknown platform type {bad!r}; expected one of {PLATFORM_TYPES}",
                         source="locality.platforms", key="type")
    p_type = p_type.to_numpy(np.int64)
    comm_units = np.nonzero(level <= 2)[0]
    venue_ids = np.concatenate([plat["platform_id"].astype(str).to_numpy(object),
                                np.array([f"committee:{uid[u]}" for u in comm_units], dtype=object)])
    V = len(venue_ids)
    v_unit = np.concatenate([p_unit, comm_units]).astype(np.int64)
    v_type = np.concatenate([p_type, np.full(len(comm_units), type_idx["committee"])]).astype(np.int64)
    v_level = level[v_unit]
    v_real = np.arange(V) < P
    station_codes = [type_idx[t] for t in STATION_TYPES]
    quota_codes = [type_idx[t] for t in p["events.quota_types"]]
    v_station = v_real & np.isin(v_type, station_codes)
    v_quota = v_real & np.isin(v_type, quota_codes)

    def col_bool(name, default=False):
        if name in plat.columns:
            return np.concatenate([_as_bool(plat[name].fillna(default)), np.zeros(len(comm_units), bool)])
        return np.zeros(V, bool)

    v_planned = np.full(V, np.nan)
    if "planned_events" in plat.columns:
        v_planned[:P] = pd.to_numeric(plat["planned_events"], errors="coerce").to_numpy(np.float64)
    v_deputy = col_bool("has_deputy")
    v_cadre = col_bool("head_is_cadre")
    online_flag = col_bool("online")
    hybrid = p["attendance.hybrid_online_weight"]
    v_online = np.where(v_type == type_idx["online_room"], 1.0, np.where(online_flag, hybrid, 0.0))
    v_group = np.where(anc[3, v_unit] >= 0, anc[3, v_unit], -1)

    counties = np.nonzero(level == 2)[0]
    county_pos = np.full(U, -1)
    county_pos[counties] = np.arange(len(counties))
    v_county = np.where(anc[2, v_unit] >= 0, county_pos[np.maximum(anc[2, v_unit], 0)], -1)
    county_city = anc[1, counties]

    # main venue of each unit: the first station there, else the first venue there
    prio = np.where(v_station, 0, np.where(v_real, 1, 2))
    order = np.lexsort((np.arange(V), prio, v_unit))
    main_of_unit = np.full(U, -1)
    first = np.ones(V, bool)
    first[1:] = v_unit[order][1:] != v_unit[order][:-1]
    main_of_unit[v_unit[order][first]] = order[first]
    # committee venues are the main venue of their unit
    main_of_unit[comm_units] = np.arange(P, V)
    # parent venue: main venue of the nearest ancestor unit that has one (walking up)
    v_parent = np.full(V, -1)
    cur = par_idx[v_unit]
    for _ in range(len(LEVELS) + 1):
        okc = cur >= 0
        found = (v_parent < 0) & okc & (main_of_unit[np.maximum(cur, 0)] >= 0)
        v_parent[found] = main_of_unit[cur[found]]
        cur = np.where(okc, par_idx[np.maximum(cur, 0)], -1)
    # a real venue in a committee's own unit reports to that committee
    own = v_real & (main_of_unit[v_unit] >= P)
    v_parent[own] = main_of_unit[v_unit[own]]
    # children: the venues that name v as parent, but only "main" venues carry topics down
    is_main = np.zeros(V, bool)
    is_main[main_of_unit[main_of_unit >= 0]] = True
    kids = np.nonzero(is_main & (v_parent >= 0))[0]
    korder = kids[np.argsort(v_parent[kids], kind="stable")]
    counts = np.bincount(v_parent[korder], minlength=V)
    child_ptr = np.concatenate([[0], np.cumsum(counts)])
    child_idx = korder

    # member hours per venue: each member's hours split over their platforms; unassigned members
    # work through their own committee venue
    mem = locality.members
    asg = locality.assignments
    n_members = len(mem)
    v_hours = np.zeros(V)
    sunk_share = 0.0
    if n_members:
        # a scaled locality keeps whole province and city committees over a fraction of the territory:
        # their members' hours are scaled by the same fraction (ASSUMPTION, docs/scenarios.md)
        hrs = mem["hours_per_year"].to_numpy(np.float64) * mem["level"].astype(str).map(
            _member_hours_scale(cfg)).fillna(1.0).to_numpy(np.float64)
        mem = mem.assign(hours_per_year=hrs)
        hours = pd.Series(hrs, index=mem["member_id"].astype(str))
        pindex = pd.Index(plat["platform_id"].astype(str))
        a = asg[["member_id", "platform_id"]].astype(str).drop_duplicates()
        a_venue = pindex.get_indexer(a["platform_id"])
        if (a_venue < 0).any():
            bad = a["platform_id"][a_venue < 0].iloc[0]
            raise InputError(f"assignment to unknown platform {bad!r}", source="locality.assignments", key="platform_id")
        n_per = a["member_id"].map(a["member_id"].value_counts())
        cshare = p["members.committee_share"]
        h = a["member_id"].map(hours).fillna(0.0).to_numpy() / n_per.to_numpy() * (1.0 - cshare)
        v_hours += np.bincount(a_venue, weights=h, minlength=V)
        # committee work: all hours of members not sunk anywhere, a share of the others'
        assigned = mem["member_id"].astype(str).isin(set(a["member_id"])).to_numpy()
        at_committee = np.where(assigned, cshare, 1.0) * mem["hours_per_year"].to_numpy(np.float64)
        cu = index.get_indexer(mem["committee_unit_id"].astype(str))
        ok = cu >= 0
        cv = main_of_unit[cu[ok]]
        ok2 = cv >= 0
        v_hours += np.bincount(cv[ok2], weights=at_committee[ok][ok2], minlength=V)
        low_platforms = set(plat["platform_id"].astype(str)[level[p_unit] >= 3])
        sunk = a.loc[a["platform_id"].isin(low_platforms), "member_id"].nunique()
        sunk_share = sunk / n_members
    # members sunk to a township's platforms serve every platform of that township (pooled hours)
    v_mgroup = np.where(v_real & (anc[3, v_unit] >= 0), anc[3, v_unit], U + np.arange(V))
    travel = np.select([v_level >= 4, v_level == 3], [p["members.travel_hours_village"], p["members.travel_hours_township"]], 0.0)

    # ---- unit policies: pilot years (roll-out) and township work funds ----
    v_pilot = np.full(V, np.nan)
    c_funded = c_supported = c_practices = None
    pol = getattr(locality, "policies", None)
    if pol is not None and len(pol):
        pol_unit = index.get_indexer(pol["unit_id"].astype(str))
        pname = pol["policy"].astype(str).to_numpy()
        pval = pol["value"].to_numpy(np.float64)
        unit_pilot = np.full(U, np.nan)
        sel = (pname == "pilot_year") & (pol_unit >= 0)
        for u, val in zip(pol_unit[sel], pval[sel]):
            unit_pilot[u] = val if np.isnan(unit_pilot[u]) else min(unit_pilot[u], val)
        if sel.any():
            # a unit inherits the earliest pilot year of itself and its ancestors
            for lv in range(5):
                a = anc[lv, v_unit]
                ok = a >= 0
                cand = np.where(ok, unit_pilot[np.maximum(a, 0)], np.nan)
                v_pilot = np.fmin(v_pilot, cand)
        def county_flags(names, default):
            sel = np.isin(pname, names) & (pol_unit >= 0)
            sel &= county_pos[np.maximum(pol_unit, 0)] >= 0
            if not sel.any():
                return None
            out = np.full(len(counties), default, bool)
            out[county_pos[pol_unit[sel]]] = pval[sel] >= 0.5
            return out

        c_funded = county_flags(["funds_budgeted", "township_funds_budgeted"], True)
        c_supported = county_flags(["review_compliant"], True)
        cols = [county_flags([f"speciality_{k}"], False) for k in PRACTICES]
        if any(x is not None for x in cols):
            c_practices = np.column_stack([x if x is not None else np.zeros(len(counties), bool) for x in cols])

    # ---- catchment: stratum s reaches venue v when v's unit is s's unit or an ancestor within depth ----
    depth = p["attendance.reach_depth"]
    decay = p["attendance.reach_decay"]
    vorder = np.argsort(v_unit, kind="stable")
    vcount = np.bincount(v_unit, minlength=U)
    vptr = np.concatenate([[0], np.cumsum(vcount)])
    rows, cols, vals = [], [], []
    S = len(s_count)
    for d in range(depth + 1):
        lev = s_level - d
        okl = lev >= 0
        tgt = np.full(S, -1)
        tgt[okl] = anc[lev[okl], s_unit[okl]]
        has = tgt >= 0
        s_idx = np.nonzero(has)[0]
        n = vcount[tgt[s_idx]]
        rep_s = np.repeat(s_idx, n)
        start = vptr[tgt[s_idx]]
        off = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        v_idx = vorder[np.repeat(start, n) + off]
        w = np.where(v_online[v_idx] >= 1.0, 1.0, decay ** d)
        rows.append(rep_s)
        cols.append(v_idx)
        vals.append(w)
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    w = np.concatenate(vals) if vals else np.zeros(0)
    W = sp.csr_matrix((w, (r, c)), shape=(S, V))
    loop = tuple(loop) if loop is not None else resolve_loop(locality=locality)
    has_assess = any(stage == "lasting" for _, stage in loop)
    return Compiled(
        unit_ids=uid, unit_level=level, anc=anc, population=float(s_count.sum()),
        s_count=s_count, s_engaged=s_engaged, s_migrant=s_migrant, s_occ=s_occ, s_age=s_age,
        v_mgroup=v_mgroup, v_planned=v_planned, s_group=s_group, s_female=s_female, s_adult=adult, dims=dims, v_pilot=v_pilot, c_funded=c_funded,
        c_supported=c_supported, c_practices=c_practices, venue_ids=venue_ids, v_unit=v_unit, v_type=v_type, v_level=v_level,
        v_county=v_county, v_real=v_real, v_station=v_station, v_quota=v_quota, v_deputy=v_deputy,
        v_cadre=v_cadre, v_online=v_online, v_group=v_group, v_parent=v_parent, child_ptr=child_ptr,
        child_idx=child_idx, v_hours=v_hours, v_travel=travel, W=W, WT=W.T.tocsr(), counties=counties,
        county_city=county_city, loop=loop, has_assess=has_assess, members_sunk_share=sunk_share,
        n_members=n_members,
    )


def _boost(p, gain):
    """Close a share ``gain`` of the gap between a pass rate ``p`` and 1."""
    return p + gain * (1.0 - p)


def _type_vector(params: Params, prefix: str, default: float = 0.0) -> np.ndarray:
    return np.array([params.get(f"{prefix}.{t}", default) for t in VENUE_TYPES], dtype=np.float64)


@dataclass(frozen=True)
class RunOutput:
    """Yearly metrics of one simulated run (see :mod:`govlab.scenarios.outcomes`)."""

    years: tuple
    metrics: dict          # metric -> array over years
    by_county: dict        # metric -> (n_years, n_counties) array
    county_ids: tuple
    loop: tuple

    def long(self) -> pd.DataFrame:
        """Metrics as a long table: ``year``, ``metric``, ``value`` (metrics in insertion order)."""
        names = list(self.metrics)
        ny = len(self.years)
        vals = np.column_stack([np.asarray(self.metrics[m], dtype=np.float64) for m in names]) if names else np.zeros((ny, 0))
        return pd.DataFrame({
            "year": np.repeat(np.asarray(self.years, dtype=np.int64), len(names)),
            "metric": np.tile(np.asarray(names, dtype=object), ny),
            "value": vals.reshape(-1),
        })

    def county_long(self) -> pd.DataFrame:
        """Per county-level unit: ``year``, ``unit_id``, ``metric``, ``value``."""
        frames = []
        nc = len(self.county_ids)
        for m, arr in self.by_county.items():
            arr = np.asarray(arr, dtype=np.float64)
            frames.append(pd.DataFrame({
                "year": np.repeat(np.asarray(self.years, dtype=np.int64), nc),
                "unit_id": np.tile(np.asarray(self.county_ids, dtype=object), len(self.years)),
                "metric": m, "value": arr.reshape(-1)}))
        if not frames:
            return pd.DataFrame(columns=["year", "unit_id", "metric", "value"])
        return pd.concat(frames, ignore_index=True)


def _exchange_setup(c: Compiled, params: Params, rng: np.random.Generator):
    """Adjacency (sparse, counties x counties) and initial practice holdings (counties x practices)."""
    C = len(c.counties)
    upos = {c.unit_ids[u]: i for i, u in enumerate(c.counties)}
    rows, cols = [], []
    for i, (a, b) in enumerate(params["exchange.ties"]):
        for end in (a, b):
            if end not in upos:
                raise ConfigError(f"unit {end!r} is not a county-level unit of this locality",
                                  key=f"params.exchange.ties[{i}]")
        rows += [upos[a], upos[b]]
        cols += [upos[b], upos[a]]
    dens = params["exchange.density"]
    if C > 1:
        iu, ju = np.triu_indices(C, k=1)
        draw = rng.random(len(iu))  # always drawn, so the stream does not depend on the density
        if dens > 0:
            same = (c.county_city[iu] == c.county_city[ju]) if params["exchange.scope"] == "city" else np.ones(len(iu), bool)
            keep = same & (draw < dens)
            rows += list(iu[keep]) + list(ju[keep])
            cols += list(ju[keep]) + list(iu[keep])
    A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(C, C))
    A.data[:] = 1.0
    A.sum_duplicates()
    A.data = np.minimum(A.data, 1.0)
    held = np.zeros((C, len(PRACTICES)), bool)
    if c.c_practices is not None and params["practices.from_locality"]:
        held |= c.c_practices
    for k, name in enumerate(PRACTICES):
        for i, u in enumerate(params[f"practices.{name}.holders"]):
            if u not in upos:
                raise ConfigError(f"unit {u!r} is not a county-level unit of this locality",
                                  key=f"params.practices.{name}.holders[{i}]")
            held[upos[u], k] = True
        n = params[f"practices.{name}.holders_count"]
        perm = rng.permutation(C)
        if n:
            cand = [j for j in perm if not held[j, k]]
            held[cand[:n], k] = True
    return A, held


def _choose_share(n_total: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """Exactly ``round(share * n)`` of ``n`` items chosen at random (a fixed count, random which)."""
    k = int(round(share * n_total))
    out = np.zeros(n_total, bool)
    out[rng.permutation(n_total)[:k]] = True
    return out


YEAR_STREAMS = ("turnover", "push", "events", "quota", "thematic", "attendance", "unique", "topics", "flow", "loop",
                "items", "exchange")


def simulate(compiled: Compiled, params: Params, years: Sequence[int], rng: np.random.Generator) -> RunOutput:
    """Simulate consecutive consultation years of one compiled locality.

    Parameters
    ----------
    compiled : Compiled
        From :func:`compile_locality` (after levers were applied).
    params : Params
        Model parameters (validated).
    years : sequence of int
        Calendar years, consecutive.
    rng : numpy.random.Generator
        The only source of randomness. It is split (``Generator.spawn``) into one stream for the
        set-up draws and one per year and stage (:data:`YEAR_STREAMS`), so runs of two variants from
        the same seed share their random numbers in every year (common random numbers).

    Returns
    -------
    RunOutput
        One value per metric and year; per-county metrics for county-level committees.

    Examples
    --------
    >>> import numpy as np
    >>> from govlab.scenarios.toy import toy_locality
    >>> c = compile_locality(toy_locality(n_counties=1), Params.default())
    >>> out = simulate(c, Params.default(), [2020, 2021], np.random.default_rng(1))
    >>> out.metrics["events"].shape
    (2,)
    """
    c, p = compiled, params
    years = tuple(int(y) for y in years)
    V, S, C = c.n_venues, len(c.s_count), len(c.counties)
    U = len(c.unit_ids)
    tcode = {t: i for i, t in enumerate(VENUE_TYPES)}
    committee = c.v_type == tcode["committee"]

    # ---- set-up draws (fixed order) ----
    # Common random numbers: every stage of every year draws from its own child stream of ``rng``,
    # so a lever that changes how many draws one stage makes leaves the other stages and the later
    # years on the same numbers (paired variants differ by the lever, not by stream drift).
    setup_seq, *year_seqs = rng.spawn(1 + len(years))
    setup_rng = dict(zip(("rollout", "funded", "supported", "exchange"), setup_seq.spawn(4)))
    rollout_rngs = dict(zip(PLATFORM_TYPES, setup_rng["rollout"].spawn(len(PLATFORM_TYPES))))
    t_open = np.full(V, -np.inf)
    for t in PLATFORM_TYPES:
        start = p[f"rollout.{t}.start"]
        sel = np.nonzero(c.v_real & (c.v_type == tcode[t]))[0]
        draw = rollout_rngs[t].exponential(1.0, size=len(sel))
        if start is not None and len(sel):
            rate = p[f"rollout.{t}.rate"]
            begin = np.fmin(start, c.v_pilot[sel])
            t_open[sel] = begin + (draw / rate if rate > 0 else np.inf)
    share = p["events.funded_share"]
    if share is None and c.c_funded is not None:
        funded = c.c_funded.copy()
        setup_rng["funded"].permutation(C)  # keep the stream aligned with the drawn case
    else:
        funded = _choose_share(C, 1.0 if share is None else share, setup_rng["funded"])
    share = p["loop.party_support_share"]
    if share is None and c.c_supported is not None:
        supported = c.c_supported.copy()
        setup_rng["supported"].permutation(C)
    else:
        supported = _choose_share(C, 1.0 if share is None else share, setup_rng["supported"])
    A_ex, held = _exchange_setup(c, p, setup_rng["exchange"])

    # ---- static per-venue parameters ----
    planned = (_type_vector(p, "events.planned")[c.v_type] + np.where(c.v_real, p["events.extra_x"], 0.0)) \
        * p["events.activity_scale"]
    planned = np.where(np.isnan(c.v_planned), planned, c.v_planned)  # set on the platform (a lever)
    size = _type_vector(p, "attendance.size")[c.v_type] * p["attendance.size_scale"]
    K = p["attendance.half_saturation"]
    omega = c.v_online
    cost = p["members.hours_per_event"] + c.v_travel
    transport = p["members.unpaid_transport_factor"] + p["compensation.member_transport"] * (1 - p["members.unpaid_transport_factor"])
    vc = np.maximum(c.v_county, 0)
    has_c = c.v_county >= 0
    scale = p["topics.rate_scale"]
    eff = {k: p[f"practices.{k}.effect"] for k in PRACTICES}
    qe, qi = p["events.quota_events"], p["events.quota_items"]

    # ---- propensity pieces ----
    sigma = p["season.share_in_season"]
    f_farm = (1 - sigma) + sigma * p["propensity.farmer_in_season"]
    comp = p["compensation.residents"]
    f_np = comp + (1 - comp) * p["propensity.nonpublic_uncompensated"]
    occ_f = np.array([f_farm, f_np, p["propensity.public"], 1.0])[c.s_occ]
    occ_on = np.array([1.0, f_np, p["propensity.public"], 1.0])[c.s_occ]  # online: no season clash
    age_f = np.array([p["propensity.age_young"], p["propensity.age_working"], p["propensity.age_elderly"], 0.0])[c.s_age]
    age_f = age_f * np.where(c.s_female, p["propensity.female"], 1.0)
    base_off = c.s_count * age_f * occ_f * np.where(c.s_migrant, p["propensity.migrant_offline"], 1.0)
    base_on = (c.s_count * age_f * occ_on * np.where(c.s_migrant, p["propensity.migrant_online"], p["propensity.resident_online"])
               * np.where(c.s_age == 2, p["propensity.elderly_online"], 1.0))

    # choose rates by source
    p_choose = np.array([p["loop.choose_party"], p["loop.choose_residents"], p["loop.choose_members"]])

    # ---- state ----
    trust = np.ones(U)
    ever = np.zeros(S, np.int64)
    head_act = np.ones(V)
    broken = np.zeros(V, bool)
    pop = c.population
    adult_w = c.s_count * c.s_adult
    pop_share = {d: np.bincount(codes, weights=adult_w, minlength=len(cats)) / max(adult_w.sum(), 1e-12)
                 for d, (codes, cats) in c.dims.items()}

    M: dict[str, list] = {}
    BC: dict[str, list] = {}

    def rec(name, value):
        M.setdefault(name, []).append(float(value))

    def rec_c(name, arr):
        BC.setdefault(name, []).append(np.asarray(arr, dtype=np.float64))

    term = p["turnover.term_years"]
    first_change = p["turnover.first_change"]
    for yi, y in enumerate(years):
        g = dict(zip(YEAR_STREAMS, year_seqs[yi].spawn(len(YEAR_STREAMS))))
        # 1. term change
        is_change = term > 0 and first_change is not None and (y - first_change) % term == 0
        u_rot = g["turnover"].random(V)
        if is_change:
            p_rot = np.where(c.v_cadre, p["turnover.cadre_rotation"], p["turnover.member_head_turnover"])
            rotated = c.v_station & (u_rot < p_rot)
            head_act = np.where(rotated, np.where(c.v_deputy, np.minimum(head_act, p["turnover.deputy_activity"]),
                                                  p["turnover.broken_activity"]), head_act)
            broken = broken | (rotated & ~c.v_deputy)
        else:
            rotated = np.zeros(V, bool)

        # 2. events
        open_frac = np.clip(y + 1 - t_open, 0.0, 1.0)
        push = g["push"].random(C) < p["events.committee_push"]
        act = head_act.copy()
        act *= np.where(has_c & ~funded[vc], p["events.unfunded_activity"], 1.0)
        act *= np.where(has_c & c.v_real & ~push[vc], p["events.unpushed_activity"], 1.0)
        act *= 1.0 + eff["platform_building"] * (has_c & held[vc, 0])
        lam_e = planned * act * open_frac
        E = g["events"].poisson(np.where(c.v_real, lam_e, 0.0)).astype(np.int64)
        full_year = open_frac >= 1.0
        # stations under quantitative assessment top up to the 4+X quota (events here, items below)
        enforce = c.v_quota & full_year & (g["quota"].random(V) < p["events.quota_enforcement"]) & (head_act > 0)
        E = np.where(enforce & (E < qe), qe, E)
        thematic = np.maximum(p["topics.committee_min"], g["thematic"].poisson(p["topics.party_committee"] * scale, size=V))
        thematic = np.where(committee, thematic, 0)
        E = np.where(committee, thematic, E)

        # 3. members
        supply = c.v_hours * p["members.hours_scale"] * transport * np.where(has_c & ~funded[vc], p["events.unfunded_activity"], 1.0)
        want = p["members.per_event"] * E
        # pooled per township: township-level events are staffed first, village events from what is left
        G = U + V
        H_g = np.bincount(c.v_mgroup, weights=supply, minlength=G)
        village = c.v_level >= 4
        D1 = np.bincount(c.v_mgroup, weights=want * cost * ~village, minlength=G)
        used1 = np.minimum(H_g, D1)
        cov1 = np.where(D1 > 0, used1 / np.maximum(D1, 1e-12), 1.0)
        D2 = np.bincount(c.v_mgroup, weights=want * cost * village, minlength=G)
        cov2 = np.where(D2 > 0, np.minimum(1.0, (H_g - used1) / np.maximum(D2, 1e-12)), 1.0)
        cov_v = np.where(village, cov2[c.v_mgroup], cov1[c.v_mgroup])
        M_att = np.floor(cov_v * want + 1e-9)
        cov = np.where(want > 0, M_att / np.maximum(want, 1e-12), 1.0)

        # 4. attendance
        tr = trust[c.s_group]
        q_off = base_off * tr
        q_on = base_on * tr
        pool = p["attendance.base_rate"] * ((1 - omega) * (c.WT @ q_off) + omega * (c.WT @ q_on))
        A_exp = E * size * pool / (pool + K)
        r = np.where(pool > 0, p["attendance.base_rate"] * A_exp / np.maximum(pool, 1e-300), 0.0)
        lam_s = q_off * (c.W @ (r * (1 - omega))) + q_on * (c.W @ (r * omega))
        att = g["attendance"].poisson(lam_s)
        eng = c.s_engaged
        pi = np.where(eng > 0, 1.0 - np.exp(-att / np.maximum(eng, 1)), 0.0)
        uniq = g["unique"].binomial(eng, pi)
        new = g["unique"].hypergeometric(eng - ever, ever, uniq) if S else np.zeros(0, np.int64)
        ever = ever + new

        # 5. topics
        party_rate = p["topics.party_station"] * scale * open_frac * act
        N = np.zeros((V, 3), np.int64)
        N[:, 0] = np.where(c.v_real, g["topics"].poisson(party_rate), thematic)
        res_lam = p["topics.resident_per_100"] / 100.0 * A_exp * p["topics.resident_multiplier"] * scale
        N[:, 1] = g["topics"].poisson(res_lam)
        N[:, 2] = g["topics"].poisson(p["topics.member_per_attendance"] * M_att * scale)
        raised = N.sum(axis=0)
        res_raised_v = N[:, 1].copy()
        up_total = 0
        for lev in (4, 3, 2, 1):
            sel = np.nonzero((c.v_level == lev) & (c.v_parent >= 0))[0]
            if len(sel) == 0:
                continue
            moved = g["flow"].binomial(N[sel, 1:], p["topics.up_rate"])
            N[sel, 1:] -= moved
            np.add.at(N, (c.v_parent[sel][:, None], np.array([[1, 2]])), moved)
            up_total += int(moved.sum())
        down_total = 0
        nchild = np.diff(c.child_ptr)
        for lev in (0, 1, 2, 3):
            sel = np.nonzero((c.v_level == lev) & (nchild > 0))[0]
            if len(sel) == 0:
                continue
            moved = g["flow"].binomial(N[sel, 0], p["topics.down_rate"])
            N[sel, 0] -= moved
            src = np.repeat(sel, moved)
            pick = c.child_ptr[src] + np.floor(g["flow"].random(len(src)) * nchild[src]).astype(np.int64)
            np.add.at(N[:, 0], c.child_idx[pick], 1)
            down_total += int(moved.sum())

        # 6. the loop
        lists, follow = p["accountability.lists"], p["accountability.follow_up"]
        Cn = g["loop"].binomial(N, p_choose[None, :])
        p_res = p["loop.research"] * (p["loop.research_member_floor"] + (1 - p["loop.research_member_floor"]) * cov)
        R = g["loop"].binomial(Cn, p_res[:, None])
        cap = np.floor(E * p["topics.per_event"])
        Rtot = R.sum(axis=1)
        frac = np.where(Rtot > cap, cap / np.maximum(Rtot, 1), 1.0)
        Kc = g["loop"].binomial(R, frac[:, None])
        p_dec = _boost(p["loop.decide"], lists * p["accountability.lists_decide_gain"])
        p_dec = _boost(p_dec, eff["consultation_activities"] * (has_c & held[vc, 1]))
        D = g["loop"].binomial(Kc, p_dec[:, None] if np.ndim(p_dec) else p_dec)
        Rep = g["loop"].binomial(D, p["loop.report"])
        p_h = _boost(p["loop.handle"], lists * p["accountability.lists_handle_gain"])
        p_h = _boost(p_h, follow * p["accountability.follow_up_handle_gain"])
        p_h = p_h * np.where(has_c & ~supported[vc], p["loop.unsupported_handle"], 1.0)
        p_h = _boost(p_h, eff["party_building"] * (has_c & held[vc, 2]))
        p_h3 = np.repeat(p_h[:, None], 3, axis=1)
        p_h3[:, 0] = _boost(p_h3[:, 0], p["loop.party_handle_bonus"])
        H = g["loop"].binomial(Rep, p_h3)
        p_fb = _boost(p["loop.feedback"], eff["consensus_building"] * (has_c & held[vc, 3]))
        F = g["loop"].binomial(H, p_fb[:, None])
        p_last = _boost(p["loop.last"], follow * p["accountability.follow_up_last_gain"])
        if c.has_assess:
            p_last = _boost(p_last, p["loop.assess_last_gain"])
        L = g["loop"].binomial(H, p_last)

        # 7. public-opinion items and quotas
        items = g["items"].poisson(p["members.items_per_attendance"] * M_att + p["members.items_per_topic"] * res_raised_v)
        items = np.where(enforce & (items < qi), qi, items)
        quota_pool = c.v_quota & full_year
        nq = int(quota_pool.sum())
        ok_e = (E >= qe) & quota_pool
        ok_i = (items >= qi) & quota_pool
        # 8. trust
        grp = c.v_group
        gsel = grp >= 0
        coll_g = np.bincount(grp[gsel], weights=N[gsel, 1], minlength=U)
        fb_g = np.bincount(grp[gsel], weights=F[gsel, 1], minlength=U)
        has_g = coll_g > 0
        ratio = np.where(has_g, fb_g / np.maximum(coll_g, 1), 0.0)
        trust = np.where(has_g, np.clip(trust + p["trust.learning"] * (ratio - p["trust.reference"]),
                                        p["trust.min"], p["trust.max"]), trust)

        # ---- record ----
        stage_counts = {"collected": N, "chosen": Cn, "researched": R, "consulted": Kc, "decided": D,
                        "reported": Rep, "handled": H, "fed_back": F, "lasting": L}
        open_real = c.v_real & (open_frac > 0)
        rec("population", pop)
        rec("venues_open", open_real.sum())
        for t in PLATFORM_TYPES:
            sel = c.v_real & (c.v_type == tcode[t])
            if sel.any():
                rec(f"open_{t}", (sel & (y + 1 - t_open > 0)).sum())
        for lvl, name in ((3, "township"), (4, "village")):
            units_l = np.nonzero(c.unit_level == lvl)[0]
            if len(units_l):
                cov_u = np.zeros(U, bool)
                cov_u[c.v_unit[open_real & (c.v_level == lvl)]] = True
                rec(f"coverage_{name}", cov_u[units_l].mean())
        rec("members_sunk_share", c.members_sunk_share)
        rec("events", E[c.v_real].sum())
        rec("committee_events", E[committee].sum())
        rec("member_attendances", M_att.sum())
        rec("member_attendances_grassroots", M_att[c.v_real & (c.v_level >= 3)].sum())
        rec("member_hours", (M_att * cost).sum())
        rec("member_coverage", M_att.sum() / max(want.sum(), 1e-12) if want.sum() > 0 else 1.0)
        part = att.sum()
        rec("participations", part)
        rec("participants", uniq.sum())
        rec("participants_new", new.sum())
        rec("participants_cumulative", ever.sum())
        rec("participation_rate", uniq.sum() / max(adult_w.sum(), 1e-12))
        ds = []
        for d, (codes, cats) in c.dims.items():
            if part > 0:
                share = np.bincount(codes, weights=att, minlength=len(cats)) / part
                dval = 0.5 * np.abs(share - pop_share[d]).sum()
            else:
                dval = np.nan
            rec(f"dissimilarity_{d}", dval)
            ds.append(dval)
        rec("representativeness", 1.0 - np.nanmean(ds) if ds and part > 0 else np.nan)
        rec("share_migrant", att[c.s_migrant].sum() / part if part > 0 else np.nan)
        rec("share_non_public", att[c.s_occ == 1].sum() / part if part > 0 else np.nan)
        rec("share_farmer", att[c.s_occ == 0].sum() / part if part > 0 else np.nan)
        for k, s in enumerate(SOURCES):
            rec(f"topics_{s}", raised[k])
        rec("topics_carried_up", up_total)
        rec("topics_carried_down", down_total)
        for st in STAGES:
            rec(f"issues_{st}", stage_counts[st].sum())
        for leak, (a, b) in LEAKS.items():
            rec(f"leak_{leak}", stage_counts[a].sum() - stage_counts[b].sum())
        for leak in ("discussed_no_decision", "decided_not_done", "done_not_lasting"):
            a, b = LEAKS[leak]
            na = stage_counts[a].sum()
            rec(f"leak_rate_{leak}", (na - stage_counts[b].sum()) / na if na else np.nan)
        solved = H.sum()
        rec("solved", solved)
        rec("solved_lasting", L.sum())
        rec("solved_per_10k", solved / max(pop, 1e-12) * 1e4)
        rec("solved_residents", H[:, 1].sum())
        rec("opinion_items", items[c.v_real].sum())
        rec("stations_quota", nq)
        rec("quota_events_ok", ok_e.sum() / nq if nq else np.nan)
        rec("quota_items_ok", ok_i.sum() / nq if nq else np.nan)
        rec("quota_compliance", (ok_e & ok_i).sum() / nq if nq else np.nan)
        rec("events_per_station", E[quota_pool].mean() if nq else np.nan)
        rec("items_per_station", items[quota_pool].mean() if nq else np.nan)
        st_open = c.v_station & (open_frac > 0)
        nst = int(st_open.sum())
        rec("heads_rotated", rotated.sum())
        rec("stations_broken", (broken & st_open).sum())
        rec("continuity", 1.0 - (broken & st_open).sum() / nst if nst else np.nan)
        rec("station_activity", head_act[st_open].mean() if nst else np.nan)
        ug = np.unique(c.s_group)
        rec("trust", float(np.average(trust[ug], weights=np.bincount(c.s_group, weights=c.s_count, minlength=U)[ug])) if len(ug) else 1.0)
        rec("practice_adoption", held.mean() if held.size else np.nan)
        rec("funded_share", funded.mean() if C else np.nan)
        rec("party_support_share", supported.mean() if C else np.nan)
        # per county-level committee
        if C:
            realc = c.v_real & has_c & (c.v_level >= 3)
            rec_c("thematic_topics", np.bincount(vc[committee & has_c & (c.v_level == 2)],
                                                  weights=thematic[committee & has_c & (c.v_level == 2)], minlength=C))
            rec_c("grassroots_issues", np.bincount(vc[realc], weights=Kc[realc].sum(axis=1), minlength=C))
            rec_c("events", np.bincount(vc[realc], weights=E[realc], minlength=C))
            rec_c("solved", np.bincount(vc[has_c], weights=H[has_c].sum(axis=1), minlength=C))
            rec_c("practices_held", held.sum(axis=1))
            rec_c("pushed", push)
            gi = np.bincount(vc[realc], weights=Kc[realc].sum(axis=1), minlength=C)
            rec("committees_at_grassroots", (gi > 0).sum())
            rec("grassroots_issues", gi.sum())
            tc = np.bincount(vc[committee & has_c & (c.v_level == 2)], weights=thematic[committee & has_c & (c.v_level == 2)], minlength=C)
            rec("committees_thematic_1_4", ((tc >= 1) & (tc <= 4)).sum())
            rec("thematic_per_committee", tc.mean())

        # 9. recovery and practice exchange (end of year)
        head_act = np.where(rotated, head_act, np.minimum(1.0, head_act + p["turnover.recovery"] * (head_act < 1)))
        broken = broken & (head_act < 1.0)
        if C:
            k_nb = A_ex @ held.astype(np.float64)
            p_adopt = 1.0 - (1.0 - p["exchange.beta"]) ** k_nb
            held = held | (g["exchange"].random(held.shape) < p_adopt)

    metrics = {k: np.asarray(v) for k, v in M.items()}
    by_county = {k: np.vstack(v) for k, v in BC.items()}
    return RunOutput(years=years, metrics=metrics, by_county=by_county,
                     county_ids=tuple(c.unit_ids[c.counties]), loop=c.loop)
