"""Representativeness: who takes part, against who lives there; diversity at each platform.

* :func:`dissimilarity_index` is Duncan & Duncan's (1955) index of dissimilarity,
  ``D = 1/2 * sum_i |a_i / A - b_i / B|``: the share of participants who would have to change
  category for participants to mirror the population (0 = identical, 1 = disjoint).
* :func:`blau_index` is Blau's (1977) heterogeneity index ``1 - sum_k p_k^2`` (the chance that two
  people drawn at random belong to different categories); ``normalised=True`` divides by its maximum
  ``1 - 1/K`` (Agresti & Agresti's index of qualitative variation).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from govlab.network.model import PARTIES, Locality, isin

DIMENSIONS = ("age_group", "gender", "migrant", "occupation")


def dissimilarity_index(a: Sequence[float], b: Sequence[float]) -> float:
    """Duncan & Duncan (1955) index of dissimilarity between two count vectors over the same categories.

    Examples
    --------
    >>> dissimilarity_index([50, 50], [50, 50])
    0.0
    >>> dissimilarity_index([100, 0], [0, 100])
    1.0
    >>> dissimilarity_index([30, 70], [50, 50])
    0.2
    """
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("a and b need the same categories")
    if a.sum() <= 0 or b.sum() <= 0:
        return float("nan")
    return float(round(0.5 * np.abs(a / a.sum() - b / b.sum()).sum(), 12))


def blau_index(values: Iterable, *, n_categories: int | None = None, normalised: bool = False) -> float:
    """Blau's (1977) heterogeneity index of a list of categorical values.

    Parameters
    ----------
    values : iterable
        One category per person (missing values are dropped).
    n_categories : int, optional
        Number of possible categories K, for the normalised index (defaults to the number observed).
    normalised : bool
        Divide by ``1 - 1/K`` so that 1 means an even spread over all K categories.

    Examples
    --------
    >>> blau_index(["a", "a", "b", "b"])
    0.5
    >>> blau_index(["a", "b", "c"], normalised=True)
    1.0
    >>> blau_index(["a", "a", "a"])
    0.0
    """
    s = pd.Series(list(values)).dropna()
    if s.empty:
        return float("nan")
    p = s.value_counts(normalize=True).to_numpy()
    b = float(1.0 - (p ** 2).sum())
    if normalised:
        k = n_categories or len(p)
        return float(b / (1 - 1 / k)) if k > 1 else 0.0
    return round(b, 12)


def _blau(values: np.ndarray, k: int | None = None, normalised: bool = False) -> float:
    _, c = np.unique(values, return_counts=True)
    p = c / c.sum()
    b = float(1.0 - (p ** 2).sum())
    if normalised:
        k = k or len(c)
        return float(b / (1 - 1 / k)) if k > 1 else 0.0
    return round(b, 12)


def participants(locality: Locality, attendance: pd.DataFrame | None = None) -> pd.DataFrame:
    """Person-times of attendance per stratum (``stratum_id, participants``), zeros included."""
    att = locality.attendance if attendance is None else attendance
    per = att.groupby("stratum_id")["count"].sum()
    r = locality.residents
    return pd.DataFrame({"stratum_id": r["stratum_id"], "participants": per.reindex(r["stratum_id"]).fillna(0).to_numpy(np.int64)})


def participation_profile(locality: Locality, *, attendance: pd.DataFrame | None = None,
                          dimensions: Sequence[str] = DIMENSIONS, exclude: dict | None = None) -> pd.DataFrame:
    """Population and participants by category of each dimension.

    Parameters
    ----------
    locality : Locality
    attendance : DataFrame, optional
        ``event_id, stratum_id, count``; defaults to ``locality.attendance`` (a scenario may pass its own).
    dimensions : sequence of str
        Resident columns to compare.
    exclude : dict, optional
        Rows to leave out of both sides, ``{column: [values]}``; by default children
        (``{"occupation": ["child"]}``), who cannot take part.

    Returns
    -------
    pandas.DataFrame
        ``dimension, category, population, participants, population_share, participant_share,
        ratio`` (ratio = participant share / population share; 1 = proportional).
    """
    r = locality.residents.merge(participants(locality, attendance), on="stratum_id")
    exclude = {"occupation": ["child"]} if exclude is None else exclude
    for col, vals in exclude.items():
        r = r[~isin(r[col], list(vals))]
    rows = []
    for dim in dimensions:
        g = r.groupby(dim, sort=True)[["count", "participants"]].sum()
        tot_p, tot_a = g["count"].sum(), g["participants"].sum()
        for cat, row in g.iterrows():
            ps = row["count"] / tot_p if tot_p else float("nan")
            as_ = row["participants"] / tot_a if tot_a else float("nan")
            rows.append(dict(dimension=dim, category=str(cat), population=int(row["count"]), participants=int(row["participants"]),
                             population_share=float(ps), participant_share=float(as_),
                             ratio=float(as_ / ps) if ps else float("nan")))
    return pd.DataFrame(rows)


def representativeness(locality: Locality, *, attendance: pd.DataFrame | None = None,
                       dimensions: Sequence[str] = DIMENSIONS, exclude: dict | None = None) -> pd.DataFrame:
    """Dissimilarity (Duncan & Duncan 1955) of participants against the adult population, per dimension.

    Returns
    -------
    pandas.DataFrame
        ``dimension, dissimilarity, population, participants, most_over, most_under`` (the
        categories with the highest and lowest participation ratio).

    Examples
    --------
    >>> from govlab.network import synthesize
    >>> rep = representativeness(synthesize("shangyou-620", seed=0))
    >>> list(rep["dimension"])
    ['age_group', 'gender', 'migrant', 'occupation']
    >>> bool((rep["dissimilarity"] > 0).all())
    True
    """
    prof = participation_profile(locality, attendance=attendance, dimensions=dimensions, exclude=exclude)
    rows = []
    for dim in dimensions:
        g = prof[prof["dimension"] == dim]
        ok = g[g["population"] > 0]
        rows.append(dict(dimension=dim, dissimilarity=dissimilarity_index(g["participants"], g["population"]),
                         population=int(g["population"].sum()), participants=int(g["participants"].sum()),
                         most_over=ok.loc[ok["ratio"].idxmax(), "category"] if len(ok) and ok["ratio"].notna().any() else None,
                         most_under=ok.loc[ok["ratio"].idxmin(), "category"] if len(ok) and ok["ratio"].notna().any() else None))
    return pd.DataFrame(rows)


def platform_diversity(locality: Locality, *, roles=None, min_members: int = 2) -> pd.DataFrame:
    """Sector and party diversity of the members at each platform (Blau 1977).

    Parameters
    ----------
    locality : Locality
    roles : list of str, optional
        Assignment roles counted (all by default).
    min_members : int
        Platforms with fewer members get NaN indices.

    Returns
    -------
    pandas.DataFrame
        ``platform_id, type, members, sectors, parties, blau_sector, blau_party, iqv_sector,
        iqv_party``; IQV is the normalised Blau index with K = number of sectors in the locality
        and K = 10 parties (CPC, eight democratic parties, non-party).
    """
    a = locality.assignments
    if roles is not None:
        a = a[isin(a["role"], list(roles))]
    m = locality.members.set_index("member_id")
    a = a.drop_duplicates(["member_id", "platform_id"])
    a = a.assign(sector=m.loc[a["member_id"], "sector"].to_numpy(), party=m.loc[a["member_id"], "party"].to_numpy())
    k_sec = max(2, locality.members["sector"].nunique())
    rows = []
    groups = dict(tuple(a.groupby("platform_id", sort=False)))
    for pid, ptype in zip(locality.platforms["platform_id"], locality.platforms["type"]):
        g = groups.get(pid)
        n = 0 if g is None else len(g)
        if n >= min_members:
            sec, par = g["sector"].to_numpy(dtype=object).astype(str), g["party"].to_numpy(dtype=object).astype(str)
            rows.append(dict(platform_id=pid, type=ptype, members=n, sectors=len(set(sec)), parties=len(set(par)),
                             blau_sector=_blau(sec), blau_party=_blau(par),
                             iqv_sector=_blau(sec, k_sec, True), iqv_party=_blau(par, len(PARTIES), True)))
        else:
            rows.append(dict(platform_id=pid, type=ptype, members=n, sectors=0 if g is None else g["sector"].nunique(),
                             parties=0 if g is None else g["party"].nunique(), blau_sector=np.nan, blau_party=np.nan,
                             iqv_sector=np.nan, iqv_party=np.nan))
    return pd.DataFrame(rows)
