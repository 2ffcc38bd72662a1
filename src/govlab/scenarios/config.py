"""Scenario parameters: one schema, defaults with their sources, validation with key paths.

Every rate the consultation-year model (:mod:`govlab.scenarios.year`) uses is a leaf of one
schema, addressed by a dotted key path such as ``loop.handle`` or ``events.planned.workstation``.
Each leaf has a kind (``rate`` in [0, 1], ``nonneg`` float, ``count`` integer >= 0, ``year``,
``bool``, ``list``, ``choice``), a default and a source: the report figure it comes from, or the
word ASSUMPTION with the reasoning. :func:`parameter_table` lists them; ``docs/scenarios.md``
prints that table.

A scenario (YAML) overrides leaves in a nested ``params:`` mapping. Unknown keys, rates outside
[0, 1] and negative counts raise :class:`govlab.errors.ConfigError` naming the key path.
"""
from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from pydantic import PlainValidator
from pydantic_core import PydanticCustomError

from govlab.errors import ConfigError
from govlab.schema import BOUNDS, Strict, bound, did_you_mean, flag, number, text, validate

#: Platform types of the network contract, plus the virtual venue of a CPPCC committee.
PLATFORM_TYPES = (
    "workstation", "studio", "liaison_station", "member_home", "consultation_room", "council",
    "online_room", "enterprise_room", "sector_room",
)
VENUE_TYPES = PLATFORM_TYPES + ("committee",)
#: Administrative levels, top to bottom.
LEVELS = ("province", "city", "county", "township", "village")
#: Practices that district committees can pass on to each other (xx-city-districts names four
#: kinds of district speciality: platform building, consultation activities, Party building,
#: consensus building).
PRACTICES = ("platform_building", "consultation_activities", "party_building", "consensus_building")

A = "ASSUMPTION"
#: Years a scenario may simulate: from the founding of the CPPCC system to the end of the century.
YEAR_RANGE = (1949, 2100)


@dataclass(frozen=True)
class Spec:
    """One parameter leaf: its kind, default, source and meaning."""

    kind: str
    default: Any
    source: str
    doc: str
    choices: tuple = ()


def _leaves() -> dict[str, Spec]:
    s: dict[str, Spec] = {}

    def add(path, kind, default, source, doc, choices=()):
        s[path] = Spec(kind, default, source, doc, tuple(choices))

    # ---- attendance at events -------------------------------------------------------------
    sizes = {"workstation": 25, "studio": 15, "liaison_station": 15, "member_home": 15,
             "consultation_room": 15, "council": 20, "online_room": 30, "enterprise_room": 15,
             "sector_room": 12, "committee": 40}
    for t, v in sizes.items():
        add(f"attendance.size.{t}", "nonneg", v, f"{A}: typical seats at a {t} meeting",
            f"target attendance of one event at a {t} venue")
    add("attendance.size_scale", "nonneg", 1.0, "calibrated (datasets/scenarios/calibration.yaml)",
        "multiplier on every event size")
    add("attendance.base_rate", "rate", 0.02, f"{A}: about one in fifty residents in reach would come "
        "to a given meeting", "chance a resident with full propensity in a venue's reach is willing to come to one event")
    add("attendance.half_saturation", "nonneg", 20.0, f"{A}: an event fills half its seats when about "
        "20 residents are willing", "willing residents at which an event reaches half its target size")
    add("attendance.reach_depth", "count", 2, f"{A}: a platform draws residents from its own unit "
        "and up to two levels below", "how many levels below its unit a venue reaches")
    add("attendance.reach_decay", "rate", 0.5, f"{A}: distance lowers attendance", "weight per level "
        "between a venue's unit and a resident's unit (online venues: no decay)")
    add("attendance.engaged_share", "rate", 0.3, f"{A}: a minority of residents ever attend public "
        "meetings", "share of each stratum who would ever attend (bounds unique participants)")
    add("attendance.hybrid_online_weight", "rate", 0.3, f"{A}", "weight of the online channel at a "
        "physical platform flagged online")
    # ---- propensities ---------------------------------------------------------------------
    add("propensity.migrant_offline", "rate", 0.05, "gansu-extension names residents working away "
        "as unable to take part; size ASSUMPTION", "relative in-person propensity of residents working away")
    add("propensity.migrant_online", "rate", 0.5, f"{A}", "relative online propensity of residents working away")
    add("propensity.resident_online", "rate", 0.4, f"{A}", "relative online propensity of residents at home")
    add("propensity.elderly_online", "rate", 0.3, f"{A}: low digital access of the elderly",
        "multiplier on the online propensity of the elderly")
    add("propensity.age_young", "nonneg", 0.5, "ASSUMPTION, as in the network configs' activity.propensity (15-34: 0.5)",
        "relative propensity of young adults (15-34)")
    add("propensity.age_working", "nonneg", 1.0, "ASSUMPTION (35-59: 1.0, the reference)", "relative propensity of adults 35-59")
    add("propensity.age_elderly", "nonneg", 1.2, "ASSUMPTION, as in the network configs (60+: 1.2)", "relative propensity of the elderly")
    add("propensity.female", "nonneg", 0.67, "ASSUMPTION, as in the network configs (female 0.8 against male 1.2)",
        "propensity of women relative to men")
    add("propensity.farmer_in_season", "rate", 0.3, "gansu-extension names farming seasons as a "
        "barrier; size ASSUMPTION", "relative propensity of farmers at events held in farming season")
    add("propensity.nonpublic_uncompensated", "rate", 0.5, "gansu-extension names the missing "
        "compensation of non-public participants; size ASSUMPTION",
        "relative propensity of non-public workers who are not compensated")
    add("propensity.public", "nonneg", 1.8, f"{A}: cadres and public employees attend as part of their job (network configs: 1.8)",
        "relative propensity of public-sector workers")
    add("season.share_in_season", "rate", 0.33, f"{A}: two farming seasons of about two months each",
        "share of events that fall in farming season")
    add("compensation.residents", "rate", 0.0, "gansu-extension: no compensation in place",
        "share of non-public participants compensated for lost work time (lever)")
    add("compensation.member_transport", "rate", 0.0, "gansu-extension: members pay their own transport",
        "share of members' transport costs paid (lever)")
    # ---- events ---------------------------------------------------------------------------
    planned = {"workstation": 4, "studio": 4, "liaison_station": 3, "member_home": 3,
               "consultation_room": 3, "council": 3, "online_room": 6, "enterprise_room": 2,
               "sector_room": 2}
    for t, v in planned.items():
        src = "shangyou-620 4+X quota (>= 4 a year)" if t in ("workstation", "studio") else A
        add(f"events.planned.{t}", "nonneg", float(v), src, f"planned consultations a year at a {t}")
    add("events.activity_scale", "nonneg", 1.0, "calibrated (datasets/scenarios/calibration.yaml)",
        "multiplier on the planned events of every platform (CPPCC-organised consultations actually held)")
    add("events.extra_x", "nonneg", 1.0, "calibrated to shangyou-620 ('X': free-form activities)",
        "mean extra free-form events a year at each platform")
    add("events.quota_types", "list", ["workstation", "studio"], "shangyou-620: the quota applies to "
        "member workstations and studios", "platform types bound by the 4+X quota", PLATFORM_TYPES)
    add("events.quota_events", "count", 4, "shangyou-620 4+X", "consultations a station must hold a year")
    add("events.quota_items", "count", 10, "shangyou-620 4+X", "public-opinion items a station must send a year")
    add("events.quota_enforcement", "rate", 0.5, "calibrated to shangyou-620 (quantitative assessment)",
        "chance a station below the event quota tops up to it by year end")
    add("events.funded_share", "rate?", None, "prov-x-survey: 94.27% of counties budget township work funds",
        "share of counties that budget township consultation funds (null: the locality's funds_budgeted "
        "policy where given, else all)")
    add("events.unfunded_activity", "rate", 0.7, "gansu-extension names missing funds; size ASSUMPTION",
        "activity multiplier of platforms in counties without funds")
    add("events.committee_push", "rate", 1.0, "calibrated to xx-city-districts (2 of 8 districts at the grassroots)",
        "chance a county-level committee drives grassroots consultation in a year")
    add("events.unpushed_activity", "rate", 0.0, f"{A}: CPPCC-organised consultations at grassroots "
        "platforms happen when the committee drives them (xx-city-districts: most districts did not)",
        "activity multiplier of grassroots platforms in a year their committee does not drive them")
    # ---- members --------------------------------------------------------------------------
    add("members.hours_scale", "nonneg", 1.0, "the locality's hours_per_year are the hours a member can "
        "give to grassroots work (network configs, ASSUMPTION)", "multiplier on members' grassroots hours (lever)")
    add("members.committee_share", "rate", 0.2, f"{A}: sunk members still attend their own committee's "
        "consultations", "share of a sunk member's hours spent at their committee's thematic consultations")
    add("members.hours_per_event", "nonneg", 3.0, f"{A}", "hours a member spends at one event")
    add("members.travel_hours_township", "nonneg", 1.0, f"{A}", "round-trip travel hours to a township venue")
    add("members.travel_hours_village", "nonneg", 2.0, f"{A}", "round-trip travel hours to a village venue")
    add("members.per_event", "nonneg", 2.0, f"{A}", "members wanted at one event")
    add("members.unpaid_transport_factor", "rate", 0.8, "gansu-extension: members pay their own "
        "transport; size ASSUMPTION", "hours multiplier when transport is not paid")
    add("members.items_per_attendance", "nonneg", 0.6, "calibrated to shangyou-620 (>= 10 items a station)",
        "public-opinion items a member sends per event attended")
    add("members.items_per_topic", "nonneg", 0.3, f"{A}", "public-opinion items per topic residents raise")
    # ---- topics ---------------------------------------------------------------------------
    add("topics.rate_scale", "nonneg", 1.0, "calibrated (datasets/scenarios/calibration.yaml)",
        "multiplier on every topic rate")
    add("topics.party_station", "nonneg", 1.0, f"{A}", "topics a year set by the township Party committee per platform")
    add("topics.party_committee", "nonneg", 2.0, "calibrated to xx-city-districts (1-4 thematic topics a district)",
        "thematic topics a year set for each CPPCC committee")
    add("topics.committee_min", "count", 1, "xx-city-districts: every district had at least one thematic topic",
        "minimum thematic topics a committee takes up a year")
    add("topics.resident_per_100", "nonneg", 2.0, f"{A}", "topics residents raise per 100 participations")
    add("topics.resident_multiplier", "nonneg", 1.0, "lever (gansu-extension: narrow, top-down topic choice)",
        "multiplier on resident-raised topics")
    add("topics.member_per_attendance", "nonneg", 0.3, f"{A}", "topics members propose per event attended")
    add("topics.up_rate", "rate", 0.1, f"{A} (gansu-extension: five-level linkage, topics passed up)",
        "chance a topic is passed one level up")
    add("topics.down_rate", "rate", 0.2, f"{A} (gansu-extension: topics assigned down)",
        "chance a committee topic is passed one level down")
    add("topics.per_event", "nonneg", 1.5, f"{A}", "topics one event can consult on")
    # ---- the loop -------------------------------------------------------------------------
    add("loop.choose_party", "rate", 0.95, f"{A}: Party-set topics are nearly always taken up",
        "chance a Party/government topic is chosen")
    add("loop.choose_residents", "rate", 0.5, f"{A} (gansu-extension: narrow, top-down topic choice)",
        "chance a resident topic is chosen")
    add("loop.choose_members", "rate", 0.7, f"{A}", "chance a member topic is chosen")
    add("loop.research", "rate", 0.9, f"{A}", "chance a chosen topic is researched when members are available")
    add("loop.research_member_floor", "rate", 0.5, f"{A}", "research pass rate (relative) with no member hours")
    add("loop.decide", "rate", 0.75, f"{A} (reports name discussed-with-no-decision)", "chance a consultation reaches a decision")
    add("loop.report", "rate", 0.95, f"{A}", "chance a decision is reported on")
    add("loop.handle", "rate", 0.65, f"{A} (reports name decided-and-not-done)", "chance a reported decision is handled")
    add("loop.feedback", "rate", 0.7, f"{A}", "chance residents are told the result")
    add("loop.last", "rate", 0.8, f"{A} (reports name done-and-not-lasting)", "chance a handled result lasts")
    add("loop.party_handle_bonus", "rate", 0.3, f"{A}", "share of the handling gap closed for Party-set topics")
    add("loop.assess_last_gain", "rate", 0.3, f"{A} (nantong-youshi's eighth link assesses effect)",
        "share of the lasting gap closed when the loop has an assessment step")
    add("loop.party_support_share", "rate?", None, "prov-x-survey: 99.36% of county Party committees comply",
        "share of counties whose Party committee backs the loop (null: the locality's review_compliant "
        "policy where given, else all)")
    add("loop.unsupported_handle", "rate", 0.7, f"{A}", "handling multiplier in counties without Party backing")
    # ---- accountability -------------------------------------------------------------------
    add("accountability.lists", "rate", 0.0, "lever (lists: suggestion, responsibility, effect)",
        "strength of accountability lists")
    add("accountability.follow_up", "rate", 0.0, "lever (follow-up review of answered proposals)",
        "strength of follow-up reviews")
    add("accountability.lists_handle_gain", "rate", 0.4, A, "share of the handling gap closed by full lists")
    add("accountability.lists_decide_gain", "rate", 0.2, A, "share of the decision gap closed by full lists")
    add("accountability.follow_up_handle_gain", "rate", 0.2, A, "share of the handling gap closed by full follow-up")
    add("accountability.follow_up_last_gain", "rate", 0.5, A, "share of the lasting gap closed by full follow-up")
    # ---- trust ----------------------------------------------------------------------------
    add("trust.learning", "rate", 0.5, "gansu-extension: unimplemented results lower recognition; "
        "size ASSUMPTION", "how fast residents' trust follows the share of their topics solved and fed back")
    add("trust.reference", "rate", 0.1, A, "share of resident topics solved and fed back that keeps trust level")
    add("trust.min", "nonneg", 0.3, A, "lowest trust multiplier")
    add("trust.max", "nonneg", 2.0, A, "highest trust multiplier")
    # ---- turnover -------------------------------------------------------------------------
    add("turnover.term_years", "count", 5, "DOMAIN: terms change every five years", "years between term changes")
    add("turnover.first_change", "year", 2021.0, f"{A}: county-level terms changed around 2021-22",
        "first term-change year in the simulation")
    add("turnover.cadre_rotation", "rate", 0.8, "gansu-extension: cadre station heads are moved after "
        "the term change; size ASSUMPTION", "chance a cadre head is rotated out at a term change")
    add("turnover.member_head_turnover", "rate", 0.1, A, "chance a member head leaves at a term change")
    add("turnover.broken_activity", "rate", 0.4, "gansu-extension: work stops with an unfamiliar "
        "non-member head; size ASSUMPTION", "activity of a station whose head left and that has no deputy")
    add("turnover.deputy_activity", "rate", 0.9, "gansu-extension: deputy heads are members; size "
        "ASSUMPTION", "activity of a station whose head left but whose member deputy stays")
    add("turnover.recovery", "rate", 0.3, A, "activity regained each year after a break")
    # ---- practice exchange between district committees -------------------------------------
    add("exchange.beta", "rate", 0.3, A, "chance a tie passes a practice on in a year")
    add("exchange.density", "rate", 0.0, "xx-city-districts: little exchange between districts",
        "density of random exchange ties among county-level committees")
    add("exchange.ties", "pairs", [], "scenario", "explicit exchange ties [unit_id, unit_id]")
    add("exchange.scope", "choice", "city", A, "random ties only within a city, or across all", ("city", "all"))
    add("practices.from_locality", "bool", True, "xx-city-districts: district specialities (speciality_* policies)",
        "start with the practices the locality's speciality_* policies give each district")
    effects = {"platform_building": (0.25, "events multiplier gain"),
               "consultation_activities": (0.3, "share of the decision gap closed"),
               "party_building": (0.3, "share of the handling gap closed"),
               "consensus_building": (0.3, "share of the feedback gap closed")}
    for p, (v, what) in effects.items():
        add(f"practices.{p}.holders", "list", [], "xx-city-districts: district specialities", f"units holding {p} at start")
        add(f"practices.{p}.holders_count", "count", 0, "xx-city-districts: district specialities",
            f"number of county-level committees holding {p} at start (chosen at random)")
        add(f"practices.{p}.effect", "rate", v, A, f"{p}: {what}")
    # ---- roll-out of platforms ------------------------------------------------------------
    for t in PLATFORM_TYPES:
        add(f"rollout.{t}.start", "year", None, "scenario / calibrated", f"year {t} platforms start opening "
            "(null: open from the start; units with a pilot_year policy start in that year)")
        add(f"rollout.{t}.rate", "nonneg", 1.0, "scenario / calibrated", f"opening hazard of {t} platforms per year")
    return s


SCHEMA: dict[str, Spec] = _leaves()


def parameter_table() -> pd.DataFrame:
    """Every model parameter with its kind, default, source and meaning.

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``kind``, ``default``, ``source``, ``meaning``.

    Examples
    --------
    >>> t = parameter_table()
    >>> t.set_index("key").loc["events.quota_events", "default"]
    '4'
    """
    rows = [(k, s.kind, _fmt(s.default), s.source, s.doc) for k, s in SCHEMA.items()]
    return pd.DataFrame(rows, columns=["key", "kind", "default", "source", "meaning"])


def _fmt(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    return str(v)


def _suggest(key: str, options: Iterable[str]) -> str:
    return did_you_mean(key, options)


def check_value(path: str, spec: Spec, value: Any, source: str | None = None) -> Any:
    """Validate one leaf value against its spec and return it normalised.

    Raises
    ------
    ConfigError
        Naming ``path`` when the value has the wrong type or is out of range.
    """
    def bad(msg):
        return ConfigError(msg, source=source, key=path)

    k = spec.kind
    if k in ("rate", "nonneg"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(f"expected a number, got {value!r}")
        v = float(value)
        if not math.isfinite(v):
            raise bad(f"expected a finite number, got {value!r}")
        if k == "rate" and not 0.0 <= v <= 1.0:
            raise bad(f"expected a rate in [0, 1], got {v}")
        if k == "nonneg" and v < 0:
            raise bad(f"expected a number >= 0, got {v}")
        return v
    if k == "count":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(f"expected a whole number, got {value!r}")
        if not math.isfinite(value) or float(value) != int(value):
            raise bad(f"expected a whole number, got {value!r}")
        if value < 0:
            raise bad(f"expected a count >= 0, got {value}")
        if value > bound("count"):
            raise bad(f"expected a count <= {bound('count'):,} ({BOUNDS['count'][1]}), got {value}")
        return int(value)
    if k == "rate?":
        if value is None:
            return None
        return check_value(path, Spec("rate", None, "", ""), value, source)
    if k == "year":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise bad(f"expected a year (number) or null, got {value!r}")
        if not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
            raise bad(f"expected a year in [{YEAR_RANGE[0]}, {YEAR_RANGE[1]}], got {value!r}")
        return float(value)
    if k == "bool":
        if not isinstance(value, bool):
            raise bad(f"expected true or false, got {value!r}")
        return value
    if k == "choice":
        if value not in spec.choices:
            raise bad(f"expected one of {list(spec.choices)}, got {value!r}")
        return value
    if k == "list":
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise bad(f"expected a list, got {value!r}")
        if spec.choices:
            for i, x in enumerate(value):
                if x not in spec.choices:
                    raise ConfigError(f"expected one of {list(spec.choices)}, got {x!r}", source=source,
                                      key=f"{path}[{i}]")
        return [str(x) for x in value]
    if k == "pairs":
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise bad(f"expected a list of [unit_id, unit_id] pairs, got {value!r}")
        out = []
        for i, pair in enumerate(value):
            if isinstance(pair, str) or not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ConfigError(f"expected a pair [unit_id, unit_id], got {pair!r}", source=source,
                                  key=f"{path}[{i}]")
            out.append([str(pair[0]), str(pair[1])])
        return out
    raise AssertionError(k)  # pragma: no cover


def flatten(d: Mapping, prefix: str = "") -> dict[str, Any]:
    """Flatten a nested mapping into ``{"a.b.c": value}``; lists are leaves."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            if not v:
                out[key] = v
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


def unflatten(flat: Mapping[str, Any]) -> dict:
    """Inverse of :func:`flatten`."""
    out: dict = {}
    for k, v in flat.items():
        parts = k.split(".")
        d = out
        for p in parts[:-1]:
            d = d.setdefault(p, {})
        d[parts[-1]] = v
    return out


class Params(Mapping):
    """An immutable, validated set of model parameters keyed by dotted path.

    Build with :meth:`Params.default` and derive variants with :meth:`updated`; both validate.

    Examples
    --------
    >>> p = Params.default().updated({"loop": {"handle": 0.8}})
    >>> p["loop.handle"]
    0.8
    >>> Params.default().updated({"loop.handel": 0.8})
    Traceback (most recent call last):
    ...
    govlab.errors.ConfigError: params.loop.handel: unknown parameter (did you mean 'loop.handle'?)
    """

    __slots__ = ("_d",)

    def __init__(self, values: Mapping[str, Any]):
        object.__setattr__(self, "_d", dict(values))

    def __setattr__(self, name, value):  # pragma: no cover - immutability guard
        raise AttributeError("Params is immutable; use .updated()")

    @classmethod
    def default(cls) -> Params:
        return cls({k: (list(s.default) if isinstance(s.default, list) else s.default) for k, s in SCHEMA.items()})

    def updated(self, changes: Mapping[str, Any] | None, *, prefix: str = "params", source: str | None = None) -> Params:
        """A copy with ``changes`` (nested or dotted keys) applied and validated."""
        if not changes:
            return self
        flat = flatten(changes)
        d = dict(self._d)
        for k, v in flat.items():
            if k not in SCHEMA:
                raise ConfigError("unknown parameter" + _suggest(k, SCHEMA), source=source, key=f"{prefix}.{k}")
            d[k] = check_value(f"{prefix}.{k}", SCHEMA[k], v, source)
        return Params(d)

    def __getitem__(self, key):
        return self._d[key]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def __repr__(self):
        return f"Params({len(self._d)} parameters)"

    def __eq__(self, other):
        return isinstance(other, Params) and self._d == other._d

    def __hash__(self):
        return hash(repr(sorted((k, repr(v)) for k, v in self._d.items())))

    def diff(self, other: Params | None = None) -> dict[str, Any]:
        """Leaves whose value differs from ``other`` (default: the schema defaults)."""
        other = other or Params.default()
        return {k: v for k, v in self._d.items() if other._d.get(k) != v}

    def to_nested(self) -> dict:
        return unflatten(self._d)


def check_keys(d: Mapping, allowed: Iterable[str], prefix: str, source: str | None = None) -> None:
    """Raise :class:`ConfigError` for the first key of ``d`` not in ``allowed``."""
    allowed = list(allowed)
    if not isinstance(d, Mapping):
        raise ConfigError(f"expected a mapping, got {type(d).__name__}", source=source, key=prefix or None)
    for k in d:
        if k not in allowed:
            path = f"{prefix}.{k}" if prefix else str(k)
            raise ConfigError("unknown key" + _suggest(str(k), allowed) + f"; expected one of {allowed}",
                              source=source, key=path)


# --------------------------------------------------------------------------- scenario files
# The keys a scenario file may hold. To accept a new key, add one line to ``ScenarioFile`` (and
# read it in ``govlab.scenarios.scenario.Scenario.from_dict``).
def calibration_names() -> list[str]:
    """Names of the calibrated localities in ``datasets/scenarios/calibration.yaml``.

    Examples
    --------
    >>> "shangyou-620" in calibration_names()
    True
    """
    from govlab.datasets import datasets_dir

    p = datasets_dir() / "scenarios" / "calibration.yaml"
    if not p.exists():
        return []
    st = p.stat()
    return list(_calibration_names(str(p), st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=4)
def _calibration_names(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Read once per version of the file (the key holds its modification time and size)."""
    import yaml

    with open(path, encoding="utf-8") as fh:  # a shipped file: the fast C loader is safe here
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return tuple(sorted((data.get("localities") or {}) if isinstance(data, Mapping) else {}))


def _locality_spec(v: Any):
    """A scenario's locality: ``toy``/``toy:{...}``, a shipped config name, a config path, or an object."""
    if v is None:
        raise PydanticCustomError("locality", "expected a locality: a shipped config name, a YAML path or 'toy'", {})
    if isinstance(v, (bool, int, float)):
        raise PydanticCustomError("locality", "expected a locality name or path, got {got}", {"got": repr(v)})
    if not isinstance(v, (str, os.PathLike)):
        return v  # a Locality object built by the caller
    name = str(v)
    if name == "toy" or name.startswith("toy:"):
        return v
    from pathlib import Path

    from govlab.network.config import list_locality_configs

    p = Path(name)
    if p.exists():
        return v
    names = list_locality_configs()
    if p.suffix:
        raise PydanticCustomError("locality", "locality config file not found: {got}", {"got": name})
    if name not in names:
        raise PydanticCustomError("locality", "no such locality {got}{hint}; shipped: {names}, or 'toy'",
                                  {"got": repr(name), "hint": did_you_mean(name, names + ["toy"]), "names": names})
    return v


def _calibration(v: Any):
    if v in (None, False, "none"):
        return v
    if not isinstance(v, str):
        raise PydanticCustomError("calibration", "expected a calibration name or none, got {got}", {"got": repr(v)})
    names = calibration_names()
    if v not in names:
        raise PydanticCustomError("calibration", "no calibration named {got}{hint}; calibrated: {names} "
                                  "(or none for the uncalibrated defaults)",
                                  {"got": repr(v), "hint": did_you_mean(v, names), "names": names})
    return v


def _mapping(v: Any):
    if v is None:
        return {}
    if not isinstance(v, Mapping):
        raise PydanticCustomError("mapping", "expected a mapping, got {got}", {"got": repr(v)})
    return dict(v)


def _steps(v: Any):
    if v is None:
        return v
    if isinstance(v, str) or not isinstance(v, (list, tuple)) or not all(isinstance(x, str) for x in v):
        raise PydanticCustomError("steps", "expected a list of step names, got {got}", {"got": repr(v)})
    return list(v)


SEED = number(0, 2**63 - 1, integer=True)
MAPPING = Annotated[Any, PlainValidator(_mapping)]


class ScenarioFile(Strict):
    """The keys of a scenario file and the values they accept (see :mod:`govlab.scenarios.scenario`)."""

    name: text() = None
    description: text() = None
    locality: Annotated[Any, PlainValidator(_locality_spec)] = None
    locality_seed: SEED = None
    locality_overrides: MAPPING = None
    calibration: Annotated[Any, PlainValidator(_calibration)] = None
    seed: SEED = None
    start_year: number(*YEAR_RANGE, integer=True) = None
    years: number(1, integer=True, why="years") = None
    replicates: number(1, integer=True, why="replicates") = None
    loop: Annotated[Any, PlainValidator(_steps)] = None
    params: MAPPING = None
    levers: MAPPING = None
    variants: MAPPING = None
    parameter_uncertainty: flag() = None


def validate_scenario(d: Any, source: str | None = None) -> dict:
    """Check a scenario mapping's keys and top-level values (file and key path in every error).

    An empty scenario and a scenario without ``locality`` are errors (they used to run the toy
    locality in silence); so is a calibration name that ``calibration.yaml`` does not hold.

    Examples
    --------
    >>> validate_scenario({"locality": "toy", "years": 2})["years"]
    2
    >>> validate_scenario({"locality": "toy", "calibration": "shangyou-602"}, "s.yaml")
    Traceback (most recent call last):
    ...
    govlab.errors.ConfigError: s.yaml: calibration: no calibration named 'shangyou-602' (did you mean 'shangyou-620'?); calibrated: ['gansu-extension', 'nantong-youshi', 'prov-x-survey', 'shangyou-620', 'xx-city-districts'] (or none for the uncalibrated defaults)
    """
    if d is None or (isinstance(d, Mapping) and not d):
        raise ConfigError("the scenario is empty; give at least `locality` (a shipped config name, a YAML "
                          "path or 'toy')", source=source)
    out = validate(ScenarioFile, d, source=source)
    if "locality" not in out:
        raise ConfigError("required key is missing (a shipped config name, a YAML path or 'toy')", source=source,
                          key="locality")
    return out
