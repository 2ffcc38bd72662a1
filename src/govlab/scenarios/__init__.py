"""Scenarios: simulated consultation years, policy levers, calibration and sweeps.

Builds on :mod:`govlab.network` (a :class:`~govlab.network.Locality`). Public API:

- :func:`run_scenario`, :class:`Scenario`, :func:`load_scenario`, :class:`ScenarioResult`
- levers (:mod:`govlab.scenarios.levers`): :func:`apply_levers`, :func:`levers_from_config` and the
  lever classes
- outcomes (:mod:`govlab.scenarios.outcomes`): :func:`compare_scenarios`, :data:`METRICS` (charts: :mod:`govlab.viz.scenarios`)
- calibration (:mod:`govlab.scenarios.calibrate`): :func:`calibrate`, :func:`rejection_abc`
- sweeps (:mod:`govlab.scenarios.sweep`): :func:`run_sweep`, :class:`Sweep`, :func:`load_sweep`,
  :func:`read_sweep`
- the year model (:mod:`govlab.scenarios.year`): :func:`compile_locality`, :func:`simulate`
- parameters (:mod:`govlab.scenarios.config`): :class:`Params`, :func:`parameter_table`
"""
from __future__ import annotations

import importlib

_API = {
    "run_scenario": "govlab.scenarios.scenario",
    "Scenario": "govlab.scenarios.scenario",
    "ScenarioResult": "govlab.scenarios.scenario",
    "load_scenario": "govlab.scenarios.scenario",
    "load_locality": "govlab.scenarios.scenario",
    "calibrated_params": "govlab.scenarios.scenario",
    "apply_levers": "govlab.scenarios.levers",
    "levers_from_config": "govlab.scenarios.levers",
    "AddPlatforms": "govlab.scenarios.levers",
    "MovePlatforms": "govlab.scenarios.levers",
    "OnlineRooms": "govlab.scenarios.levers",
    "Sinking": "govlab.scenarios.levers",
    "Deputies": "govlab.scenarios.levers",
    "Compensation": "govlab.scenarios.levers",
    "Accountability": "govlab.scenarios.levers",
    "ResidentTopics": "govlab.scenarios.levers",
    "ExchangeTies": "govlab.scenarios.levers",
    "SeasonScheduling": "govlab.scenarios.levers",
    "Funding": "govlab.scenarios.levers",
    "compare_scenarios": "govlab.scenarios.outcomes",
    "METRICS": "govlab.scenarios.outcomes",
    "calibrate": "govlab.scenarios.calibrate",
    "rejection_abc": "govlab.scenarios.calibrate",
    "check_calibration_targets": "govlab.scenarios.calibrate",
    "run_sweep": "govlab.scenarios.sweep",
    "Sweep": "govlab.scenarios.sweep",
    "load_sweep": "govlab.scenarios.sweep",
    "read_sweep": "govlab.scenarios.sweep",
    "compile_locality": "govlab.scenarios.year",
    "simulate": "govlab.scenarios.year",
    "Params": "govlab.scenarios.config",
    "parameter_table": "govlab.scenarios.config",
    "toy_locality": "govlab.scenarios.toy",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'govlab.scenarios' has no attribute {name!r}")
