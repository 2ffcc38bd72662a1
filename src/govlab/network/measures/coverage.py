"""Coverage: which units have platforms, which members are sunk, which stations meet the standards.

The measures follow the reports' own indicators: the share of townships and villages with a
platform (Gansu, Nantong), the share of members sunk to township stations (Gansu), the 4+X yearly
quotas (Shangyou: at least 4 consultations and 10 items of public-opinion information a station)
and the six-haves standard (六有).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from govlab.network.model import UNIT_LEVELS, Locality, isin

SINK_ROLES = ("sunk", "head", "deputy")
#: Platform types that are member stations, to which the 4+X quotas and the six haves apply.
STATION_TYPES = ("workstation", "studio", "liaison_station", "member_home")


def unit_coverage(locality: Locality, *, by_type: bool = True) -> pd.DataFrame:
    """Units with at least one platform, by unit level (and platform type).

    Parameters
    ----------
    locality : Locality
    by_type : bool
        Add one row per (level, platform type) besides the ``"any"`` row.

    Returns
    -------
    pandas.DataFrame
        ``level, type, units, covered, share, population, population_covered, population_share``;
        ``type == "any"`` counts a unit covered by a platform of any type.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> cov = unit_coverage(synthesize("nantong-youshi", seed=0))
    >>> float(cov.query("level == 'village' and type == 'any'")["share"].iloc[0])
    1.0
    """
    u = locality.units
    p = locality.platforms
    rows = []
    types = ["any"] + (sorted(p["type"].unique()) if by_type else [])
    for level in UNIT_LEVELS:
        sub = u[u["level"] == level]
        if sub.empty:
            continue
        pop = sub["population"].to_numpy()
        for t in types:
            hosts = p["unit_id"] if t == "any" else p.loc[p["type"] == t, "unit_id"]
            cov = isin(sub["unit_id"], hosts)
            if t != "any" and not cov.any():
                continue
            rows.append(dict(level=level, type=t, units=len(sub), covered=int(cov.sum()), share=float(cov.mean()),
                             population=int(pop.sum()), population_covered=int(pop[cov].sum()),
                             population_share=float(pop[cov].sum() / pop.sum()) if pop.sum() else float("nan")))
    return pd.DataFrame(rows, columns=["level", "type", "units", "covered", "share", "population",
                                       "population_covered", "population_share"])


def member_sinking(locality: Locality) -> pd.DataFrame:
    """Members sunk to platforms, by CPPCC level and overall.

    A member is *sunk* when assigned to a platform as ``sunk``, ``head`` or ``deputy`` (membership of a
    sector room alone does not count). ``to_township`` and ``to_village`` count members sunk to a
    platform at a township or a village; the Gansu report's indicator is ``to_township``.

    Returns
    -------
    pandas.DataFrame
        ``level, members, sunk, share_sunk, to_township, share_to_township, to_village,
        share_to_village, platforms_per_sunk_member``.

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> s = member_sinking(synthesize("gansu-extension", seed=0))
    >>> bool(s.query("level == 'all'")["share_to_township"].iloc[0] > 0.95)
    True
    """
    m = locality.members
    a = locality.assignments[isin(locality.assignments["role"], SINK_ROLES)]
    lvl = dict(zip(locality.units["unit_id"], locality.units["level"]))
    plevel = dict(zip(locality.platforms["platform_id"], locality.platforms["unit_id"].map(lvl)))
    a = a.assign(unit_level=a["platform_id"].map(plevel))
    sunk_any = set(a["member_id"])
    to_t = set(a.loc[a["unit_level"] == "township", "member_id"])
    to_v = set(a.loc[a["unit_level"] == "village", "member_id"])
    per_member = a.groupby("member_id").size()
    rows = []
    groups = [(lv, m[m["level"] == lv]) for lv in ("province", "city", "county") if (m["level"] == lv).any()] + [("all", m)]
    for lv, g in groups:
        ids = g["member_id"]
        n = len(ids)
        s = isin(ids, list(sunk_any))
        t = isin(ids, list(to_t))
        v = isin(ids, list(to_v))
        ppm = per_member.reindex(ids[s]).mean() if s.any() else float("nan")
        rows.append(dict(level=lv, members=n, sunk=int(s.sum()), share_sunk=float(s.mean()) if n else float("nan"),
                         to_township=int(t.sum()), share_to_township=float(t.mean()) if n else float("nan"),
                         to_village=int(v.sum()), share_to_village=float(v.mean()) if n else float("nan"),
                         platforms_per_sunk_member=float(ppm)))
    return pd.DataFrame(rows)


def platform_activity(locality: Locality) -> pd.DataFrame:
    """Per-platform yearly activity counts from ``locality.events``.

    Returns
    -------
    pandas.DataFrame
        ``platform_id, type, consultation, opinion_info, other, participants`` (zeros where a
        platform has no events).
    """
    p = locality.platforms[["platform_id", "type"]]
    e = locality.events
    counts = e.pivot_table(index="platform_id", columns="kind", values="event_id", aggfunc="count", fill_value=0)
    part = e.groupby("platform_id")["n_participants"].sum()
    out = p.set_index("platform_id")
    for k in ("consultation", "opinion_info", "other"):
        out[k] = counts[k].reindex(out.index).fillna(0).astype(np.int64) if k in counts else 0
    out["participants"] = part.reindex(out.index).fillna(0).astype(np.int64)
    return out.reset_index()


def station_standards(locality: Locality, *, quotas: dict | None = None, types=None) -> pd.DataFrame:
    """Platforms meeting the 4+X quotas and the six-haves standard, by platform type.

    Parameters
    ----------
    locality : Locality
    quotas : dict, optional
        ``{"consultations": 4, "opinion_info": 10}``; defaults to the config's ``activity.quotas``
        (the Shangyou 4+X rule).
    types : list of str, optional
        Platform types to report (all by default).

    Returns
    -------
    pandas.DataFrame
        ``type, platforms, meets_consultations, meets_opinion_info, meets_4x, six_haves_full,
        six_haves_mean, with_head, cadre_head, with_deputy`` (shares, except counts and the mean).

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> st = station_standards(synthesize("shangyou-620", seed=0))
    >>> float(st.query("type == 'workstation'")["six_haves_full"].iloc[0])
    1.0
    """
    if quotas is None:
        q = locality.config.get("activity.quotas", {}) if locality.config is not None else {}
        quotas = dict(q or {"consultations": 4, "opinion_info": 10})
    qc, qi = int(quotas.get("consultations", 4)), int(quotas.get("opinion_info", 10))
    act = platform_activity(locality)
    p = locality.platforms.merge(act[["platform_id", "consultation", "opinion_info"]], on="platform_id", how="left")
    if types is not None:
        p = p[isin(p["type"], list(types))]
    rows = []
    for t, g in [(t, g) for t, g in p.groupby("type", sort=True)] + [("all", p)]:
        mc = g["consultation"] >= qc
        mi = g["opinion_info"] >= qi
        rows.append(dict(type=t, platforms=len(g), meets_consultations=float(mc.mean()), meets_opinion_info=float(mi.mean()),
                         meets_4x=float((mc & mi).mean()), six_haves_full=float((g["six_haves"] == 6).mean()),
                         six_haves_mean=float(g["six_haves"].mean()), with_head=float(g["head_member_id"].notna().mean()),
                         cadre_head=float(g["head_is_cadre"].mean()), with_deputy=float(g["has_deputy"].mean())))
    return pd.DataFrame(rows)


def coverage_indicators(locality: Locality) -> pd.DataFrame:
    """All coverage indicators in one long table: ``measure, group, value, numerator, denominator``.

    Rows: ``unit_coverage`` per level (any platform), ``members_sunk`` and
    ``members_sunk_to_township`` overall, ``stations_meeting_4x`` and ``six_haves_full`` over the
    member stations (:data:`STATION_TYPES`; all platforms when a locality has none).

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> c = coverage_indicators(synthesize("shangyou-620", seed=0))
    >>> sorted(set(c["measure"]))[:2]
    ['members_sunk', 'members_sunk_to_township']
    """
    rows = []
    uc = unit_coverage(locality, by_type=False)
    for r in uc.itertuples():
        rows.append(("unit_coverage", r.level, r.share, r.covered, r.units))
    ms = member_sinking(locality)
    allm = ms[ms["level"] == "all"].iloc[0]
    rows.append(("members_sunk", "all", allm["share_sunk"], allm["sunk"], allm["members"]))
    rows.append(("members_sunk_to_township", "all", allm["share_to_township"], allm["to_township"], allm["members"]))
    # the 4+X quotas and the six haves are standards for member stations (委员工作站(室)); rooms and
    # councils are counted only when a locality has no stations
    stations = [t for t in STATION_TYPES if (locality.platforms["type"] == t).any()]
    st = station_standards(locality, types=stations or None)
    a = st[st["type"] == "all"].iloc[0]
    rows.append(("stations_meeting_4x", "all", a["meets_4x"], round(a["meets_4x"] * a["platforms"]), a["platforms"]))
    rows.append(("six_haves_full", "all", a["six_haves_full"], round(a["six_haves_full"] * a["platforms"]), a["platforms"]))
    df = pd.DataFrame(rows, columns=["measure", "group", "value", "numerator", "denominator"])
    df["numerator"] = df["numerator"].astype(np.int64)
    df["denominator"] = df["denominator"].astype(np.int64)
    return df
