"""A small crisp-set QCA core: truth table, consistency and coverage, and Boolean minimisation.

Definitions follow Ragin, C. C. (2008), *Redesigning Social Inquiry: Fuzzy Sets and Beyond*,
University of Chicago Press, ch. 3 and 5. For set memberships ``X`` (a condition or configuration)
and ``Y`` (the outcome), each in [0, 1] (crisp sets use 0/1):

* consistency of sufficiency ``X -> Y`` = sum(min(X, Y)) / sum(X)
* coverage of sufficiency = sum(min(X, Y)) / sum(Y)
* consistency of necessity ``Y -> X`` = sum(min(X, Y)) / sum(Y)
* coverage of necessity = sum(min(X, Y)) / sum(X)

A truth-table row is one observed configuration of conditions; its outcome is 1 when its
consistency reaches ``incl_cut`` and it holds at least ``n_cut`` cases. Rows with outcome 1 are
minimised with the Quine-McCluskey algorithm (Quine 1952; McCluskey 1956) into prime implicants;
remainders (unobserved configurations) are treated as false, which gives the conservative
(complex) solution.

Conditions used for the five reports are built from codes (:data:`DEFAULT_CONDITIONS`) and the
outcome from figures (:func:`outcome_scale`); with five cases the table illustrates the method and
supports no causal claim.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from govlab.errors import InputError

__all__ = ["consistency", "set_coverage", "truth_table", "necessity", "minimize", "solution_table",
           "DEFAULT_CONDITIONS", "qca_conditions", "outcome_scale"]

#: Conditions from codes: a report is in the set when any listed code is present
#: (``loop``: the loop table names at least 5 steps).
DEFAULT_CONDITIONS: dict[str, tuple[str, ...]] = {
    "LOOP": ("loop",),
    "SINK": ("mechanism.sinking",),
    "LEAD": ("mechanism.leader_responsibility", "mechanism.convener"),
    "ACCT": ("mechanism.list_system", "mechanism.followup", "mechanism.assessment"),
}


def _arr(x, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim != 1:
        raise InputError("expected a one-dimensional array of set memberships", key=name)
    if np.isnan(a).any() or (a < 0).any() or (a > 1).any():
        raise InputError("set memberships must lie in [0, 1] with no missing values", key=name)
    return a


def consistency(x, y, kind: str = "sufficiency") -> float:
    """Set-theoretic consistency (Ragin 2008).

    Parameters
    ----------
    x, y : array-like
        Memberships in the condition (or configuration) and the outcome.
    kind : {"sufficiency", "necessity"}

    Returns
    -------
    float
        NaN when the denominator is zero.

    Examples
    --------
    >>> consistency([1, 1, 1, 0], [1, 1, 0, 1])
    0.6666666666666666
    >>> consistency([1, 1, 1, 0], [1, 1, 0, 1], kind="necessity")
    0.6666666666666666
    """
    a, b = _arr(x, "x"), _arr(y, "y")
    if len(a) != len(b):
        raise InputError(f"x and y differ in length ({len(a)} vs {len(b)})", key="y")
    inter = np.minimum(a, b).sum()
    den = a.sum() if kind == "sufficiency" else b.sum() if kind == "necessity" else None
    if den is None:
        raise InputError(f"expected 'sufficiency' or 'necessity', got {kind!r}", key="kind")
    return float(inter / den) if den > 0 else float("nan")


def set_coverage(x, y, kind: str = "sufficiency") -> float:
    """Set-theoretic coverage (Ragin 2008).

    Examples
    --------
    >>> set_coverage([1, 1, 1, 0], [1, 1, 0, 1])
    0.6666666666666666
    """
    # Coverage of sufficiency is the consistency of necessity and vice versa (Ragin 2008, ch. 3):
    # both are |min(x, y)| over the other set's size.
    swapped = {"sufficiency": "necessity", "necessity": "sufficiency"}.get(kind)
    if swapped is None:
        raise InputError(f"expected 'sufficiency' or 'necessity', got {kind!r}", key="kind")
    return consistency(x, y, kind=swapped)


def _check(data: pd.DataFrame, conditions: Sequence[str], outcome: str) -> None:
    missing = [c for c in list(conditions) + [outcome] if c not in data.columns]
    if missing:
        raise InputError(f"columns {missing} not in the data", key="conditions")
    if not conditions:
        raise InputError("at least one condition is needed", key="conditions")
    for c in list(conditions) + [outcome]:
        vals = set(pd.unique(data[c]))
        if not vals <= {0, 1}:
            raise InputError(f"crisp sets need 0/1 values, got {sorted(map(str, vals))[:4]}", key=c)


def truth_table(data: pd.DataFrame, conditions: Sequence[str], outcome: str, *, incl_cut: float = 0.8,
                n_cut: int = 1, remainders: bool = False) -> pd.DataFrame:
    """Crisp-set truth table with consistency and coverage per row.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per case (the index names the cases); 0/1 columns for conditions and outcome.
    conditions : sequence of str
    outcome : str
    incl_cut : float
        Consistency threshold for a row's outcome to be 1.
    n_cut : int
        Fewest cases for a row to be assigned an outcome (rows below are remainders).
    remainders : bool
        Also list unobserved configurations (``OUT`` = ``"?"``).

    Returns
    -------
    pandas.DataFrame
        Condition columns, ``OUT`` (``"1"``, ``"0"`` or ``"?"``), ``n`` (cases), ``incl``
        (consistency of sufficiency), ``cov`` (coverage of the outcome) and ``cases``; sorted by
        ``OUT``, then ``incl`` and ``n`` descending, then configuration.

    Examples
    --------
    >>> d = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 1, 1, 0], "Y": [1, 0, 1, 0]}, index=list("pqrs"))
    >>> truth_table(d, ["A", "B"], "Y")[["A", "B", "OUT", "n", "incl", "cases"]].values.tolist()
    [[0, 1, '1', 1, 1.0, 'r'], [1, 1, '0', 2, 0.5, 'p,q'], [0, 0, '0', 1, 0.0, 's']]
    """
    _check(data, conditions, outcome)
    conds = list(conditions)
    X = data[conds].astype(int)
    y = data[outcome].astype(float).to_numpy()
    total_y = y.sum()
    rows = []
    keys = [tuple(r) for r in X.to_numpy()]
    observed = sorted(set(keys))
    configs = observed
    if remainders:
        configs = sorted(set(itertools.product((0, 1), repeat=len(conds))))
    for cfg in configs:
        member = np.array([k == cfg for k in keys], dtype=float)
        n = int(member.sum())
        inter = float(np.minimum(member, y).sum())
        incl = inter / n if n else float("nan")
        cov = inter / total_y if total_y else float("nan")
        if n < n_cut or n == 0:
            out = "?"
        else:
            out = "1" if incl >= incl_cut else "0"
        cases = ",".join(str(c) for c, k in zip(data.index, keys) if k == cfg)
        rows.append(list(cfg) + [out, n, incl, cov, cases])
    tt = pd.DataFrame(rows, columns=conds + ["OUT", "n", "incl", "cov", "cases"])
    order = tt["OUT"].map({"1": 0, "0": 1, "?": 2})
    tt = tt.assign(_o=order, _i=-tt["incl"].fillna(-1), _n=-tt["n"])
    tt = tt.sort_values(["_o", "_i", "_n"] + conds, kind="mergesort").drop(columns=["_o", "_i", "_n"])
    return tt.reset_index(drop=True)


def necessity(data: pd.DataFrame, conditions: Sequence[str], outcome: str) -> pd.DataFrame:
    """Consistency and coverage of necessity for each condition and its negation.

    Returns
    -------
    pandas.DataFrame
        ``condition`` (``A`` or ``~A``), ``incl`` and ``cov`` of necessity.

    Examples
    --------
    >>> d = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 1, 0]})
    >>> necessity(d, ["A"], "Y").values.tolist()
    [['A', 1.0, 1.0], ['~A', 0.0, 0.0]]
    """
    _check(data, conditions, outcome)
    y = data[outcome].astype(float)
    rows = []
    for c in conditions:
        x = data[c].astype(float)
        for name, v in ((c, x), (f"~{c}", 1 - x)):
            rows.append((name, consistency(v, y, "necessity"), set_coverage(v, y, "necessity")))
    return pd.DataFrame(rows, columns=["condition", "incl", "cov"])


def _combine(a: str, b: str) -> str | None:
    diff = [i for i, (p, q) in enumerate(zip(a, b)) if p != q]
    if len(diff) == 1 and "-" not in (a[diff[0]], b[diff[0]]):
        i = diff[0]
        return a[:i] + "-" + a[i + 1:]
    return None


def _covers(imp: str, term: str) -> bool:
    return all(p == "-" or p == q for p, q in zip(imp, term))


def minimize(tt: pd.DataFrame, conditions: Sequence[str]) -> list[str]:
    """Quine-McCluskey minimisation of the rows with ``OUT == "1"`` (remainders as false).

    Prime implicants are found by repeated merging of terms that differ in one condition; a cover
    is chosen by taking essential implicants first, then greedily the implicant covering most
    remaining rows (ties by fewer literals, then alphabetically), which is deterministic.

    Parameters
    ----------
    tt : pandas.DataFrame
        A truth table from :func:`truth_table`.
    conditions : sequence of str

    Returns
    -------
    list of str
        Implicants as products, ``A*~B`` (``~`` negation, ``*`` and); ``[]`` when no row is 1.

    Examples
    --------
    >>> d = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> minimize(truth_table(d, ["A", "B"], "Y"), ["A", "B"])
    ['A']
    """
    conds = list(conditions)
    ones = sorted({"".join(str(int(v)) for v in r) for r in tt.loc[tt["OUT"] == "1", conds].to_numpy()})
    if not ones:
        return []
    terms = set(ones)
    primes: set[str] = set()
    while terms:
        merged, used = set(), set()
        for a, b in itertools.combinations(sorted(terms), 2):
            c = _combine(a, b)
            if c is not None:
                merged.add(c)
                used.update((a, b))
        primes |= terms - used
        terms = merged
    primes_l = sorted(primes)
    remaining = set(ones)
    chosen: list[str] = []
    for m in ones:
        cover = [p for p in primes_l if _covers(p, m)]
        if len(cover) == 1 and cover[0] not in chosen:
            chosen.append(cover[0])
    for p in chosen:
        remaining -= {m for m in remaining if _covers(p, m)}
    while remaining:
        best = max(primes_l, key=lambda p: (sum(_covers(p, m) for m in remaining),
                                            -sum(ch != "-" for ch in p), [-ord(c) for c in p]))
        chosen.append(best)
        remaining -= {m for m in remaining if _covers(best, m)}

    def render(p: str) -> str:
        lits = [(c if v == "1" else f"~{c}") for c, v in zip(conds, p) if v != "-"]
        return "*".join(lits) if lits else "1"

    return sorted(render(p) for p in chosen)


def solution_table(data: pd.DataFrame, implicants: Sequence[str], outcome: str) -> pd.DataFrame:
    """Consistency and coverage of each implicant and of the whole solution (their union).

    Returns
    -------
    pandas.DataFrame
        ``term``, ``incl``, ``cov`` (raw coverage), ``cases``; a final row ``solution``.

    Examples
    --------
    >>> d = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 1, 0]}, index=["p", "q", "r"])
    >>> solution_table(d, ["A"], "Y")[["term", "incl", "cov"]].values.tolist()
    [['A', 1.0, 1.0], ['solution', 1.0, 1.0]]
    """
    y = data[outcome].astype(float)
    rows = []
    union = np.zeros(len(data))
    for term in implicants:
        member = np.ones(len(data))
        for lit in term.split("*"):
            if lit == "1":
                continue
            neg = lit.startswith("~")
            col = lit[1:] if neg else lit
            if col not in data.columns:
                raise InputError(f"condition {col!r} not in the data", key="implicants")
            v = data[col].astype(float).to_numpy()
            member = np.minimum(member, 1 - v if neg else v)
        union = np.maximum(union, member)
        cases = ",".join(str(c) for c, m in zip(data.index, member) if m >= 0.5)
        rows.append((term, consistency(member, y), set_coverage(member, y), cases))
    cases = ",".join(str(c) for c, m in zip(data.index, union) if m >= 0.5)
    rows.append(("solution", consistency(union, y), set_coverage(union, y), cases))
    return pd.DataFrame(rows, columns=["term", "incl", "cov", "cases"])


def qca_conditions(profile: pd.DataFrame, loops: pd.DataFrame | None = None,
                   conditions: Mapping[str, Sequence[str]] | None = None, *, min_loop_steps: int = 5) -> pd.DataFrame:
    """Crisp conditions per document from a presence profile of codes.

    Parameters
    ----------
    profile : pandas.DataFrame
        :func:`govlab.coding.code_profile` (index ``doc_id``; code columns).
    loops : pandas.DataFrame, optional
        The loop table, for the pseudo-code ``loop`` (at least ``min_loop_steps`` named steps).
    conditions : mapping of name to code ids, optional
        :data:`DEFAULT_CONDITIONS` when omitted.

    Returns
    -------
    pandas.DataFrame
        Index ``doc_id``; one 0/1 column per condition.

    Examples
    --------
    >>> prof = pd.DataFrame({"mechanism.sinking": [1, 0]}, index=pd.Index(["a", "b"], name="doc_id"))
    >>> qca_conditions(prof, conditions={"SINK": ["mechanism.sinking"]})["SINK"].tolist()
    [1, 0]
    """
    conditions = DEFAULT_CONDITIONS if conditions is None else conditions
    out = pd.DataFrame(index=profile.index)
    n_steps = pd.Series(0, index=profile.index)
    if loops is not None and len(loops):
        counts = loops[loops["step"].astype(str) != ""].groupby("doc_id")["step"].size()
        n_steps = counts.reindex(profile.index, fill_value=0)
    for name, codes in conditions.items():
        col = pd.Series(0, index=profile.index)
        for code in codes:
            if code == "loop":
                col = col | (n_steps >= min_loop_steps).astype(int)
            elif code in profile.columns:
                col = col | (profile[code] > 0).astype(int)
            else:
                raise InputError(f"code {code!r} is not a column of the profile", key=f"conditions.{name}")
        out[name] = col.astype("int64")
    return out


def outcome_scale(figures: pd.DataFrame, doc_ids: Sequence[str], *, min_share: float = 90.0,
                  min_units: int = 100,
                  units: Sequence[str] = ("乡镇", "镇", "乡", "街道", "村", "社区")) -> pd.Series:
    """Outcome SCALE: the report documents platform coverage of (nearly) all its grassroots units.

    A report is in the set when it gives an unmasked percentage of at least ``min_share`` whose
    counted thing is a township or village unit (98%以上的乡镇), or an unmasked count of at least
    ``min_units`` such units (109个镇). Masked figures are missing data and never count.

    Returns
    -------
    pandas.Series
        0/1 per ``doc_id``.

    Examples
    --------
    >>> f = pd.DataFrame({"doc_id": ["a", "b"], "kind": ["percent", "count"], "value": [98.0, 6.0],
    ...                   "counted": ["乡镇(街道)", "委员工作站"], "masked": [False, False]})
    >>> outcome_scale(f, ["a", "b"]).tolist()
    [1, 0]
    """
    ok = pd.Series(0, index=pd.Index(list(doc_ids), name="doc_id"), dtype="int64")
    if len(figures) == 0:
        return ok.rename("SCALE")
    f = figures[~figures["masked"].astype(bool)]
    head = f["counted"].astype(str).str.split("(").str[0]
    unit_ok = head.isin(list(units))
    share = (f["kind"] == "percent") & (f["value"] >= min_share) & unit_ok
    count = (f["kind"] == "count") & (f["value"] >= min_units) & unit_ok
    hit = set(f.loc[share | count, "doc_id"])
    for d in ok.index:
        ok[d] = int(d in hit)
    return ok.rename("SCALE")
