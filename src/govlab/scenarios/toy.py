"""A small fictional locality for examples, tests and quick experiments.

``toy_locality()`` builds a made-up city of a few counties with the same tables and columns as
:class:`govlab.network.Locality` (units, members, platforms, assignments, organisations, residents,
ties). Every name and number in it is invented; it stands for no real place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class _StandInLocality:
    """Stand-in with the columns of the network contract (used only if govlab.network is absent)."""

    units: pd.DataFrame
    members: pd.DataFrame
    platforms: pd.DataFrame
    assignments: pd.DataFrame
    organisations: pd.DataFrame
    residents: pd.DataFrame
    ties: pd.DataFrame
    config: dict = field(default_factory=dict)
    seed: Any = None


AGE_GROUPS = ("18-34", "35-59", "60+")
OCCUPATIONS = ("farmer", "non_public", "public", "other")


def toy_locality(n_counties: int = 2, townships_per_county: int = 4, villages_per_township: int = 5,
                 members_per_county: int = 30, seed: int = 0):
    """Build a small fictional locality (a city with ``n_counties`` counties).

    Parameters
    ----------
    n_counties, townships_per_county, villages_per_township : int
        Size of the unit hierarchy below one fictional province and city.
    members_per_county : int
        County-level CPPCC members per county committee.
    seed : int
        Seed of the numpy Generator that draws populations, shares and assignments.

    Returns
    -------
    Locality
        With tables ``units``, ``members``, ``platforms``, ``assignments``, ``organisations``,
        ``residents`` (strata), ``ties`` and a ``config`` naming a six-step loop.

    Examples
    --------
    >>> loc = toy_locality(n_counties=1)
    >>> sorted(loc.units["level"].unique())
    ['city', 'county', 'province', 'township', 'village']
    >>> int(loc.residents["count"].sum()) > 10_000
    True
    """
    rng = np.random.default_rng(seed)
    units = [("P", "Toy Province (fictional)", "province", None, 0, False, 0.0, 0.0, 0.0),
             ("C", "Toy City (fictional)", "city", "P", 0, True, 0.0, 0.0, 0.0)]
    villages = []
    for c in range(n_counties):
        cid = f"K{c + 1}"
        units.append((cid, f"County {c + 1}", "county", "C", 0, False, 0.0, 10.0 * c, 0.0))
        for t in range(townships_per_county):
            tid = f"{cid}T{t + 1}"
            urban = t == 0
            units.append((tid, f"Township {c + 1}-{t + 1}", "township", cid, 0, urban, 0.0,
                          10.0 * c + 2.0 * t, 1.0))
            for v in range(villages_per_township):
                vid = f"{tid}V{v + 1}"
                pop = int(rng.integers(800, 2500))
                away = 0.05 if urban else float(rng.uniform(0.15, 0.5))
                units.append((vid, f"Village {c + 1}-{t + 1}-{v + 1}", "village", tid, pop, urban, away,
                              10.0 * c + 2.0 * t + 0.3 * v, 2.0 + 0.2 * v))
                villages.append((vid, pop, away, urban))
    units = pd.DataFrame(units, columns=["unit_id", "name", "level", "parent_id", "population", "urban",
                                         "share_away", "x", "y"])
    units["subtype"] = units["level"].map({"province": "province", "city": "city", "county": "county",
                                           "township": "town", "village": "village"})
    units.loc[(units["level"] == "township") & units["urban"], "subtype"] = "street"
    units.loc[(units["level"] == "village") & units["urban"], "subtype"] = "community"
    # roll populations up the hierarchy
    pop = dict(zip(units.unit_id, units.population))
    parent = {u: (None if pd.isna(q) else q) for u, q in zip(units.unit_id, units.parent_id)}
    for vid, p, _, _ in villages:
        u = parent[vid]
        while u is not None:
            pop[u] += p
            u = parent[u]
    units["population"] = units["unit_id"].map(pop).astype("int64")

    # residents as strata: age x gender x migrant x occupation
    rows = []
    age_share = np.array([0.3, 0.45, 0.25])
    for vid, p, away, urban in villages:
        occ_share = np.array([0.15, 0.45, 0.15, 0.25]) if urban else np.array([0.55, 0.2, 0.08, 0.17])
        for a, ag in enumerate(AGE_GROUPS):
            mig_rate = away * (1.6 if a < 2 else 0.2)
            for g in ("female", "male"):
                for mig in (False, True):
                    share_m = min(mig_rate, 0.95) if mig else 1 - min(mig_rate, 0.95)
                    for o, occ in enumerate(OCCUPATIONS):
                        n = int(round(p * age_share[a] * 0.5 * share_m * occ_share[o]))
                        if n > 0:
                            rows.append((vid, ag, g, mig, occ, n))
    res = pd.DataFrame(rows, columns=["unit_id", "age_group", "gender", "migrant", "occupation", "count"])
    res.insert(0, "stratum_id", [f"S{i:05d}" for i in range(len(res))])

    # platforms: a workstation and a council per township, rooms in 3 of 5 villages, a studio per county
    plats = []
    for c in range(n_counties):
        cid = f"K{c + 1}"
        plats.append((f"{cid}-studio", "studio", f"{cid}T1", None, False, True, 6, False))
        for t in range(townships_per_county):
            tid = f"{cid}T{t + 1}"
            plats.append((f"{tid}-ws", "workstation", tid, None, True, t % 2 == 0, 6, False))
            plats.append((f"{tid}-council", "council", tid, None, True, False, 4, False))
            for v in range(min(3, villages_per_township)):
                plats.append((f"{tid}V{v + 1}-room", "consultation_room", f"{tid}V{v + 1}", None, False,
                              False, 3, False))
    platforms = pd.DataFrame(plats, columns=["platform_id", "type", "unit_id", "head_member_id",
                                             "head_is_cadre", "has_deputy", "six_haves", "online"])

    # members of each county committee, sunk to their county's workstations and studio
    sectors = ["agriculture", "economy", "education", "health", "culture", "industry"]
    parties = ["CPC", "RCCK", "CDL", "CNDCA", "CAPD", "CPWDP", "CZGP", "Jiusan", "non-party"]
    party_p = np.array([0.3, 0.05, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.2])
    mrows, arows = [], []
    for c in range(n_counties):
        cid = f"K{c + 1}"
        stations = platforms.platform_id[platforms.platform_id.str.startswith(cid)
                                         & platforms.type.isin(["workstation", "studio"])].tolist()
        county_villages = [v for v, *_ in villages if v.startswith(cid)]
        for m in range(members_per_county):
            mid = f"{cid}-M{m + 1:03d}"
            mrows.append((mid, "county", cid, sectors[int(rng.integers(len(sectors)))],
                          parties[int(rng.choice(len(parties), p=party_p))], "fictional profession",
                          county_villages[int(rng.integers(len(county_villages)))],
                          float(rng.uniform(40, 160))))
            if m < int(0.8 * members_per_county):
                arows.append((mid, stations[m % len(stations)], "sunk"))
    members = pd.DataFrame(mrows, columns=["member_id", "level", "committee_unit_id", "sector", "party",
                                           "profession", "home_unit_id", "hours_per_year"])
    assignments = pd.DataFrame(arows, columns=["member_id", "platform_id", "role"])
    platforms["sector"] = None
    orgs = pd.DataFrame([(f"{u}-committee", "committee", u, f"CPPCC committee of {u}", None, None)
                         for u in units.unit_id[units.level.isin(["city", "county"])]],
                        columns=["org_id", "kind", "unit_id", "name", "party", "sector"])
    ties = pd.DataFrame({"source": pd.Series([], dtype="str"), "target": pd.Series([], dtype="str"),
                         "kind": pd.Series([], dtype="str")})
    tables = dict(units=units, members=members, platforms=platforms, assignments=assignments,
                  organisations=orgs, residents=res, ties=ties)
    try:
        from govlab.network import make_locality
    except ImportError:  # pragma: no cover - only before govlab.network exists
        return _StandInLocality(config={"name": "toy"}, seed=seed, **tables)
    return make_locality("toy", tables, config=None, seed=seed)
