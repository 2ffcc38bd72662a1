"""Locality profiles: one row per report with what it says about platforms, loop, mechanisms,
problems and its key figures."""
from __future__ import annotations

import math

import pandas as pd

from govlab.coding.codebook import Codebook, load_codebook
from govlab.errors import InputError

__all__ = ["locality_profiles", "format_figure", "key_figures", "PROFILE_COLUMNS"]

#: Columns of the profile table.
PROFILE_COLUMNS = ["doc_id", "locality", "level", "province", "platforms", "loop", "loop_steps", "n_loop_steps",
                   "mechanisms", "topic_sources", "problems", "key_figures", "n_codes", "n_figures", "n_masked"]


def _num(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "×"
    return f"{int(v)}" if float(v).is_integer() else f"{v:g}"


def format_figure(row) -> str:
    """A short label for one figure row: ``109个 镇(街道、园区)``, ``≥98% 乡镇(街道)``, ``4+X``.

    Examples
    --------
    >>> format_figure({"kind": "percent", "value": 98.0, "value_max": 98.0, "unit": "%", "counted": "乡镇(街道)",
    ...                "approx": True, "qualifier": "以上", "masked": False})
    '≥98% 乡镇(街道)'
    """
    get = row.get if isinstance(row, dict) else (lambda k, d=None: getattr(row, k, d))
    kind = get("kind")
    if kind == "quota":
        return str(get("counted"))
    q = str(get("qualifier") or "")
    lower = any(w in q for w in ("以上", "超过", "不少于", "不低于", "至少", "多", "余", "逾", "超"))
    upper = any(w in q for w in ("以下", "不足", "不到", "近", "少于", "低于"))
    mark = "≥" if lower else "≤" if upper else "≈" if get("approx") else ""
    v, vmax = get("value"), get("value_max")
    num = _num(v)
    if vmax is not None and not (isinstance(vmax, float) and math.isnan(vmax)) and vmax != v:
        num = f"{_num(v)}–{_num(vmax)}"
    unit = get("unit") or ""
    counted = get("counted") or ""
    if kind == "date":
        return str(get("date") or num)
    text = f"{mark}{num}{unit}"
    return f"{text} {counted}".strip() if counted and counted != unit else text


def key_figures(figures: pd.DataFrame, doc_id: str, n: int = 8) -> list[str]:
    """The first ``n`` distinct unmasked counts, percentages and quotas of a report, in text order.

    Examples
    --------
    >>> f = pd.DataFrame({"doc_id": "a", "kind": ["count", "date"], "value": [6.0, 2021.0],
    ...     "value_max": [6.0, 2021.0], "unit": ["个", "date"], "counted": ["委员工作站", ""], "approx": False,
    ...     "qualifier": "", "masked": False, "date": ["", "2021"], "start": [5, 1]})
    >>> key_figures(f, "a")
    ['6个 委员工作站']
    """
    f = figures[(figures["doc_id"] == doc_id) & figures["kind"].isin(["count", "percent", "quota", "money"])
                & ~figures["masked"].astype(bool)]
    f = f[f["counted"].astype(str) != ""].sort_values("start", kind="mergesort")
    out: list[str] = []
    for r in f.to_dict("records"):
        label = format_figure(r)
        if label not in out:
            out.append(label)
        if len(out) >= n:
            break
    return out


def _names(codes: pd.DataFrame, doc_id: str, category: str, codebook: Codebook) -> str:
    present = set(codes.loc[(codes["doc_id"] == doc_id) & (codes["category"] == category), "code"])
    return "、".join(c.zh for c in codebook.codes if c.id in present)


def locality_profiles(documents: pd.DataFrame, codes: pd.DataFrame, figures: pd.DataFrame,
                      loops: pd.DataFrame, codebook: Codebook | None = None, *, n_figures: int = 8) -> pd.DataFrame:
    """One row per report: locality, level, platforms, loop steps in order, mechanisms, problems, key figures.

    Parameters
    ----------
    documents : pandas.DataFrame
        Document variables with ``doc_id`` and, when available, ``locality``, ``locality_level``,
        ``province`` (the corpus' ``documents`` table).
    codes, figures, loops : pandas.DataFrame
        The code, figure and loop tables of the same documents.
    codebook : Codebook, optional
        For the Chinese code names, in codebook order.
    n_figures : int
        Key figures listed per report.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PROFILE_COLUMNS`; lists are joined with "、" (codes), "→" (loop) and "；"
        (figures).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "locality": ["青溪县"], "locality_level": ["county"], "province": [""]})
    >>> codes = pd.DataFrame({"doc_id": ["a"], "code": ["platform.workstation"], "category": ["platform"]})
    >>> loops = pd.DataFrame({"doc_id": ["a"], "position": [1], "named": ["征集议题"], "step": ["collect_topics"]})
    >>> figs = pd.DataFrame(columns=["doc_id", "kind", "value", "value_max", "unit", "counted", "approx", "qualifier",
    ...                              "masked", "date", "start"])
    >>> locality_profiles(docs, codes, figs, loops).loc[0, ["platforms", "loop"]].tolist()
    ['委员工作站', '征集议题']
    """
    if "doc_id" not in documents.columns:
        raise InputError("the documents table lacks a doc_id column", key="documents")
    codebook = codebook or load_codebook()
    rows = []
    for d in documents.sort_values("doc_id").to_dict("records"):
        doc_id = d["doc_id"]
        lp = loops[loops["doc_id"] == doc_id].sort_values("position")
        f = figures[figures["doc_id"] == doc_id]
        rows.append({
            "doc_id": doc_id,
            "locality": d.get("locality", "") or "",
            "level": d.get("locality_level", "") or "",
            "province": d.get("province", "") or "",
            "platforms": _names(codes, doc_id, "platform", codebook),
            "loop": "→".join(lp["named"].astype(str)),
            "loop_steps": ">".join(s if s else "?" for s in lp["step"].astype(str)),
            "n_loop_steps": int(len(lp)),
            "mechanisms": _names(codes, doc_id, "mechanism", codebook),
            "topic_sources": _names(codes, doc_id, "topic_source", codebook),
            "problems": _names(codes, doc_id, "problem", codebook),
            "key_figures": "；".join(key_figures(figures, doc_id, n_figures)) if len(f) else "",
            "n_codes": int((codes["doc_id"] == doc_id).sum()),
            "n_figures": int(len(f)),
            "n_masked": int(f["masked"].astype(bool).sum()) if len(f) else 0,
        })
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)
