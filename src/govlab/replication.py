"""Replication table: every figure the five reports give, what govlab extracts, what the model gives.

One row per reported figure (the table in ``../shared/DOMAIN.md``, shipped as
``datasets/replication_targets.csv``: facts only). Beside the reported value it puts

* the value govlab's figure extractor finds in the report's text (``datasets/reports/figures.csv``,
  made by :func:`govlab.coding.extract_figures` from the real reports), matched on document, value,
  kind and what is counted;
* the value the calibrated model produces: structural figures from the synthetic locality
  (:func:`govlab.network.synthesize` + :func:`govlab.network.targets.check_structure_targets`), flow figures
  (participants, problems solved) from the calibrated scenario baseline when available;

and the differences and a status. Every figure has a **role**: ``input`` (a value set in a locality
config or plan and read back from the model: never evidence, never "reproduced"), or ``fitted`` (a
calibration target: the baseline meeting it shows the fit worked, not that the model predicts). A
fitted figure becomes evidence only through the leave-one-out table
(:func:`govlab.scenarios.calibrate.leave_one_out`, shipped as ``datasets/scenarios/loo.csv``): the
locality refitted without it and the figure predicted from posterior draws; its status is then
``predicted`` (the reported value falls inside the 90% predictive interval) or ``missed``.
Any source that is missing (no figures table, no locality config,
a module not built yet) gives ``"not available"`` for its columns instead of an error.

:func:`replication_table` is pure (DataFrames in, a DataFrame out); :func:`load_targets`,
:func:`load_extracted`, :func:`model_values` load and compute at the edge; :func:`replicate`
chains them.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from govlab.errors import InputError

TARGET_COLUMNS = ["target_id", "doc_id", "figure", "value", "unit", "op", "tol", "text_kind", "text_counted",
                  "text_date", "model_source", "model_key", "model_scale", "role"]
MODEL_COLUMNS = ["doc_id", "model_source", "model_key", "model_value", "model_fact"]
PREDICTION_COLUMNS = ["locality", "left_out", "predicted", "pi_low", "pi_high", "covered"]
RESULT_COLUMNS = ["target_id", "doc_id", "figure", "role", "op", "value", "unit", "extracted", "extracted_counted",
                  "text_diff", "text_status", "model", "model_diff", "model_status", "model_source",
                  "predicted", "pi_low", "pi_high", "prediction_status", "status"]

NA = "not available"
ROLES = ("input", "fitted")
#: ``predicted`` and ``missed`` are the only statuses that are evidence of the model: the figure was
#: left out of the fit and predicted (its reported value inside / outside the 90% predictive interval).
STATUSES = ("predicted", "missed", "fitted", "input", "extracted", "value only", "differs", "missing", NA)
EVIDENCE = ("predicted", "missed")


# --------------------------------------------------------------------------- loading (edges)
def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """The reported figures to replicate (``datasets/replication_targets.csv``).

    Raises
    ------
    InputError
        When a column is missing or a row has an unknown ``op`` (naming the row).
    """
    from govlab.datasets import dataset_path

    path = Path(path) if path is not None else dataset_path("replication_targets.csv")
    df = pd.read_csv(path, dtype={"text_date": str, "model_key": str, "text_counted": str, "text_kind": str,
                                  "model_source": str})
    missing = set(TARGET_COLUMNS) - set(df.columns)
    if missing:
        raise InputError(f"missing columns {sorted(missing)}", source=str(path))
    bad = df.loc[~df["op"].isin(["==", ">=", ">", "<=", "<", "approx"]), "target_id"].tolist()
    if bad:
        raise InputError(f"unknown op for targets {bad}; expected ==, >=, >, <=, < or approx", source=str(path))
    bad_role = df.loc[~df["role"].isin(ROLES), "target_id"].tolist()
    if bad_role:
        raise InputError(f"unknown role for targets {bad_role}; expected input or fitted (a figure is predicted "
                         "only by leaving it out of the fit)", source=str(path))
    dup = df.loc[df["target_id"].duplicated(), "target_id"].tolist()
    if dup:
        raise InputError(f"duplicate target ids {dup}", source=str(path))
    for col in ("text_kind", "text_counted", "text_date", "model_source", "model_key"):
        df[col] = df[col].fillna("").astype(str)
    df["model_scale"] = df["model_scale"].fillna(1.0).astype(float)
    return df[TARGET_COLUMNS]


def load_extracted(path: str | Path | None = None) -> pd.DataFrame | None:
    """The figures govlab extracted from the five reports, or ``None`` when not shipped yet."""
    from govlab.datasets import datasets_dir

    if path is None:
        folder = datasets_dir() / "reports"
        for name in ("figures.csv", "figures.parquet"):
            if (folder / name).exists():
                path = folder / name
                break
        else:
            return None
    path = Path(path)
    if not path.exists():
        return None
    df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype={"date": str})
    needed = {"doc_id", "value", "counted"}
    if needed - set(df.columns):
        raise InputError(f"missing columns {sorted(needed - set(df.columns))}", source=str(path))
    return df


def load_extracted_loops(path: str | Path | None = None) -> pd.DataFrame | None:
    """The consultation-loop steps govlab extracted from the reports (``datasets/reports/loops.csv``),
    or ``None`` when not shipped yet."""
    from govlab.datasets import datasets_dir

    path = Path(path) if path is not None else datasets_dir() / "reports" / "loops.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path)
    if "doc_id" not in df.columns:
        raise InputError("missing column doc_id", source=str(path))
    return df


def _network_values(doc_ids: Iterable[str], seed: int, log: Callable | None) -> list[dict]:
    try:
        from govlab.network import list_locality_configs, synthesize
        from govlab.network.targets import check_structure_targets
    except ImportError as exc:  # the network flow is not built yet
        if log:
            log(f"network model not available: {exc}")
        return []
    available = set(list_locality_configs())
    rows = []
    for doc_id in doc_ids:
        if doc_id not in available:
            if log:
                log(f"no locality config for {doc_id}")
            continue
        checked = check_structure_targets(synthesize(doc_id, seed=seed))
        for r in checked.itertuples():
            value = r.value
            rows.append(dict(doc_id=doc_id, model_source="network", model_key=str(r.id),
                             model_value=float(value) if _is_number(value) else np.nan,
                             model_fact=f"{r.fact or ''} (target {r.target})".strip()))
    return rows


def _scenario_values(doc_ids: Iterable[str], seed: int, log: Callable | None) -> list[dict]:
    """Replicate means of the calibrated scenario baselines, at the real locality's scale.

    Read from the ``check`` block of ``datasets/scenarios/calibration.yaml`` (the tests rerun that
    check from the shipped rates and require the same numbers); a locality without a stored check is
    run here with :func:`govlab.scenarios.calibrate.check_calibration_targets`.
    """
    try:
        from govlab.scenarios.calibrate import check_calibration_targets, load_plans
        from govlab.scenarios.scenario import _calibration_file
    except ImportError as exc:  # the scenarios flow is not built yet
        if log:
            log(f"scenario model not available: {exc}")
        return []
    plans = load_plans()
    stored = _calibration_file()
    rows = []
    for doc_id in doc_ids:
        plan = plans.get(doc_id)
        if plan is None:
            continue
        chk = (stored.get(doc_id) or {}).get("check")
        if chk:
            checked = pd.DataFrame([{"target": k, "mean": v["mean"], "low": v["interval"][0]}
                                    for k, v in chk.items()])
        else:
            checked = check_calibration_targets(doc_id)
        targets = {t.id: t for t in plan.targets}
        for r in checked.itertuples():
            t = targets.get(r.target)
            factor = 1.0
            if t is not None and t.scale_to_population and r.low:
                factor = t.interval[0] / r.low  # simulated population -> the real locality
            rows.append(dict(doc_id=doc_id, model_source="scenarios", model_key=str(r.target),
                             model_value=float(r.mean) * factor,
                             model_fact=f"{getattr(t, 'fact', '') or ''} (interval {t.interval[0]:g}-{t.interval[1]:g})"
                             if t is not None else ""))
    return rows


def model_values(targets: pd.DataFrame, seed: int = 0, log: Callable | None = None) -> pd.DataFrame:
    """What the calibrated models produce for the localities of ``targets``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MODEL_COLUMNS`: one row per model target (``model_key`` is the target id in
        the locality config or the scenario calibration). Empty when no model is available.
    """
    rows = []
    for source, compute in (("network", _network_values), ("scenarios", _scenario_values)):
        docs = sorted(targets.loc[targets["model_source"] == source, "doc_id"].unique())
        if docs:
            rows += compute(docs, seed, log)
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


# --------------------------------------------------------------------------- the table (pure)
def _is_number(v) -> bool:
    try:
        return v is not None and not isinstance(v, (bool, str)) and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def compare(value: float, op: str, target: float, tol: float | None = None) -> bool:
    """Whether ``value`` meets a reported figure ``op target`` (``approx``: within ``tol``,
    default 10 % of the target; ``==``: within ``tol``, default exact to 1e-9).

    Examples
    --------
    >>> compare(98.5, ">", 98), compare(21, "approx", 20, 2), compare(94.27, "==", 94.27)
    (True, True, True)
    >>> compare(float("nan"), ">=", 1)
    False
    """
    if not _is_number(value):
        return False
    tol = None if tol is None or (isinstance(tol, float) and math.isnan(tol)) else float(tol)
    if op == "==":
        return abs(value - target) <= (tol if tol is not None else 1e-9 * max(1.0, abs(target)))
    if op == "approx":
        return abs(value - target) <= (tol if tol is not None else 0.1 * abs(target))
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target}[op]


def _match_loop(t, loops: pd.DataFrame | None) -> tuple[float, str, str]:
    if loops is None:
        return np.nan, "", NA
    n = int((loops["doc_id"] == t.doc_id).sum())
    if n == 0:
        return np.nan, "", "missing"
    return float(n), "loop steps", "found" if n == float(t.value) else "differs"


def _match_text(t, figs: pd.DataFrame) -> tuple[float, str, str]:
    """(extracted value, counted, text_status) of one target in the extracted figures of its report."""
    cands = figs[figs["doc_id"] == t.doc_id]
    if "masked" in cands:
        cands = cands[~cands["masked"].astype(bool)]
    counted_alts = [c for c in t.text_counted.split("|") if c]

    def counted_ok(frame):
        if not counted_alts:
            return frame
        return frame[frame["counted"].fillna("").astype(str).apply(lambda s: any(c in s for c in counted_alts))]

    if t.text_date:
        if "date" not in cands:
            return np.nan, "", "missing"
        hit = cands[cands["date"].fillna("").astype(str).str.startswith(t.text_date)]
        if len(hit):
            return float(t.value), str(hit.iloc[0]["date"]), "found"
        return np.nan, "", "missing"
    if t.text_kind and "kind" in cands:
        cands = cands[cands["kind"].fillna("") == t.text_kind] if (cands["kind"] == t.text_kind).any() else cands
    vals = pd.to_numeric(cands["value"], errors="coerce")
    equal = cands[np.isclose(vals, float(t.value), rtol=1e-9, atol=1e-9)]
    both = counted_ok(equal)
    if len(both):
        r = both.iloc[0]
        return float(r["value"]), str(r["counted"]), "found"
    if len(equal):
        r = equal.iloc[0]
        return float(r["value"]), str(r["counted"]), "value only"
    same_thing = counted_ok(cands) if counted_alts else cands.iloc[0:0]
    if len(same_thing):
        r = same_thing.iloc[0]
        return float(r["value"]), str(r["counted"]), "differs"
    return np.nan, "", "missing"


def _match_model(t, models: pd.DataFrame) -> tuple[float, str]:
    """(model value scaled to the target's unit, source note) for one target; NaN when none."""
    if not t.model_source:
        return np.nan, ""
    cands = models[(models["doc_id"] == t.doc_id) & (models["model_source"] == t.model_source)]
    if t.model_key:
        hit = cands[cands["model_key"] == t.model_key]
        note = t.model_key
    else:  # no key given: accept a unique model target whose reported value equals this one
        scaled = float(t.value) / float(t.model_scale or 1.0)
        facts = cands["model_fact"].fillna("").astype(str)
        reported = pd.to_numeric(facts.str.extract(r"\(target ([-0-9.eE]+)\)$")[0], errors="coerce")
        hit = cands[np.isclose(reported, scaled, rtol=1e-9, atol=1e-12)]
        note = f"{hit.iloc[0]['model_key']} (matched by value)" if len(hit) == 1 else ""
        if len(hit) != 1:
            return np.nan, ""
    if not len(hit) or not _is_number(hit.iloc[0]["model_value"]):
        return np.nan, ""
    return float(hit.iloc[0]["model_value"]) * float(t.model_scale or 1.0), note


def overall_status(text_status: str, model_status: str, role: str = "input", prediction_status: str = NA) -> str:
    """One status from the text, model and prediction statuses and the figure's role.

    ``differs`` when the text or the model disagrees with the report. Otherwise, by role: an
    ``input`` figure (set in a config and read back) is ``input`` whatever the model returns, never
    evidence; a ``fitted`` figure is ``predicted`` or ``missed`` when a leave-one-out prediction
    exists (``covered`` / ``missed``) and ``fitted`` when the calibrated baseline meets it. With no
    model value: ``extracted`` (text found), ``value only`` (the number is in the text, tied to
    something else), ``missing`` (the extractor did not find it) or ``not available``.

    Examples
    --------
    >>> overall_status("found", "ok"), overall_status("found", "ok", "fitted")
    ('input', 'fitted')
    >>> overall_status("found", "ok", "fitted", "covered"), overall_status(NA, "ok", "fitted", "missed")
    ('predicted', 'missed')
    >>> overall_status("found", "not available"), overall_status("missing", "off")
    ('extracted', 'differs')
    """
    if model_status == "off" or text_status == "differs":
        return "differs"
    if prediction_status == "covered":
        return "predicted"
    if prediction_status == "missed":
        return "missed"
    if model_status == "ok":
        return "input" if role == "input" else "fitted"
    if text_status == "found":
        return "extracted"
    if text_status == "value only":
        return "value only"
    return "missing" if text_status == "missing" else NA


def _match_prediction(t, role: str, predictions: pd.DataFrame | None) -> tuple[float, float, float, str]:
    """(median, 5%, 95%, status) of the leave-one-out prediction of a fitted figure."""
    if role != "fitted" or not t.model_key or t.model_source != "scenarios":
        return np.nan, np.nan, np.nan, NA
    if predictions is None:
        return np.nan, np.nan, np.nan, NA
    hit = predictions[(predictions["locality"] == t.doc_id) & (predictions["left_out"] == t.model_key)]
    if not len(hit) or not _is_number(hit.iloc[0]["predicted"]):
        return np.nan, np.nan, np.nan, "not predicted"
    r = hit.iloc[0]
    return (float(r["predicted"]), float(r["pi_low"]), float(r["pi_high"]),
            "covered" if bool(r["covered"]) else "missed")


def replication_table(targets: pd.DataFrame, extracted: pd.DataFrame | None = None,
                      modelled: pd.DataFrame | None = None, loops: pd.DataFrame | None = None,
                      predictions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Put reported, extracted, modelled and predicted values of every figure side by side.

    Parameters
    ----------
    targets : DataFrame
        Columns :data:`TARGET_COLUMNS` (see :func:`load_targets`).
    extracted : DataFrame or None
        Extracted figures (at least ``doc_id, value, counted``; ``kind, masked, date`` used when
        present). ``None``: text columns are ``"not available"``.
    modelled : DataFrame or None
        Columns :data:`MODEL_COLUMNS` (see :func:`model_values`). ``None`` or no matching row:
        model columns are ``"not available"``.
    loops : DataFrame or None
        Extracted loop steps (``doc_id`` and one row per step), for targets of ``text_kind``
        ``loop_steps`` (the number of steps a report names). Targets of ``text_kind`` ``none`` are
        figures a report gives as a list of names rather than a number: their text columns are
        ``"not available"``.
    predictions : DataFrame or None
        Leave-one-out predictions (at least :data:`PREDICTION_COLUMNS`; see
        :func:`load_predictions`), matched to ``fitted`` scenario figures on locality and
        ``model_key``.

    Returns
    -------
    DataFrame
        Columns :data:`RESULT_COLUMNS`. ``text_status`` is ``found`` (same value, same counted
        thing), ``value only`` (same value, other counted thing), ``differs``, ``missing`` or
        ``not available``; ``model_status`` is ``ok``, ``off`` or ``not available`` (for an
        ``input`` figure this is a read-back check of the config, not evidence);
        ``prediction_status`` is ``covered``, ``missed``, ``not predicted`` or ``not available``;
        ``status`` sums them up with the role (see :func:`overall_status`).

    Examples
    --------
    >>> t = pd.DataFrame([dict(target_id="a", doc_id="d", figure="rooms", value=57.0, unit="rooms", op="==",
    ...                        tol=None, text_kind="", text_counted="议事室", text_date="",
    ...                        model_source="network", model_key="rooms", model_scale=1.0, role="input")])
    >>> x = pd.DataFrame(dict(doc_id=["d"], value=[57.0], counted=["协商议事室"]))
    >>> m = pd.DataFrame(dict(doc_id=["d"], model_source=["network"], model_key=["rooms"],
    ...                       model_value=[57.0], model_fact=[""]))
    >>> replication_table(t, x, m)[["extracted", "model", "status"]].values.tolist()
    [[57.0, 57.0, 'input']]
    """
    rows = []
    models = modelled if modelled is not None else pd.DataFrame(columns=MODEL_COLUMNS)
    for t in targets.itertuples(index=False):
        role = getattr(t, "role", "input") or "input"
        if t.text_kind == "none":  # the report gives it as a list of names, not as a number
            ex, counted, text_status = np.nan, "", NA
        elif t.text_kind == "loop_steps":
            ex, counted, text_status = _match_loop(t, loops)
        elif extracted is None:
            ex, counted, text_status = np.nan, "", NA
        else:
            ex, counted, text_status = _match_text(t, extracted)
        model, note = _match_model(t, models)
        if not _is_number(model):
            model_status = NA
        else:
            model_status = "ok" if compare(model, t.op, float(t.value), t.tol) else "off"
        pred, lo, hi, pred_status = _match_prediction(t, role, predictions)
        status = overall_status(text_status, model_status, role, pred_status)
        rows.append(dict(
            target_id=t.target_id, doc_id=t.doc_id, figure=t.figure, role=role, op=t.op, value=float(t.value),
            unit=t.unit, extracted=ex, extracted_counted=counted,
            text_diff=ex - float(t.value) if _is_number(ex) else np.nan, text_status=text_status,
            model=model, model_diff=model - float(t.value) if _is_number(model) else np.nan,
            model_status=model_status, model_source=note and f"{t.model_source}: {note}" or "",
            predicted=pred, pi_low=lo, pi_high=hi, prediction_status=pred_status, status=status))
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def status_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts of each status per report (rows: doc_id; columns: statuses present, plus total)."""
    out = pd.crosstab(table["doc_id"], table["status"])
    out = out.reindex(columns=[s for s in STATUSES if s in out.columns])
    out["total"] = out.sum(axis=1)
    return out


def evidence_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per report: figures by role, and how many were predicted out of sample and covered.

    Only ``predicted`` (covered) and ``missed`` rows are evidence of the model; ``input`` rows are
    config values read back and ``fitted`` rows were used to set the rates.
    """
    out = pd.DataFrame({
        "figures": table.groupby("doc_id").size(),
        "input": table[table["role"] == "input"].groupby("doc_id").size(),
        "fitted": table[table["role"] == "fitted"].groupby("doc_id").size(),
        "predicted_out_of_sample": table[table["status"].isin(EVIDENCE)].groupby("doc_id").size(),
        "covered": table[table["status"] == "predicted"].groupby("doc_id").size(),
    }).fillna(0).astype(int)
    return out


def load_predictions(path: str | Path | None = None) -> pd.DataFrame | None:
    """The leave-one-out predictions (``datasets/scenarios/loo.csv``), or ``None`` when not shipped."""
    from govlab.datasets import datasets_dir

    path = Path(path) if path is not None else datasets_dir() / "scenarios" / "loo.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path)
    missing = set(PREDICTION_COLUMNS) - set(df.columns)
    if missing:
        raise InputError(f"missing columns {sorted(missing)}", source=str(path))
    return df


def replicate(seed: int = 0, targets: pd.DataFrame | None = None, log: Callable | None = None) -> pd.DataFrame:
    """The replication table from the shipped targets, extracted figures, models and leave-one-out
    predictions."""
    targets = load_targets() if targets is None else targets
    return replication_table(targets, load_extracted(), model_values(targets, seed=seed, log=log), load_extracted_loops(),
                             load_predictions())
