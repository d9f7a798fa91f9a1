"""Scenario probabilities of a storyline: a documented additive score over its state (``resources/scenarios.yaml``).

Each scenario's score is the log of its base rate plus the log-weights of
the factors that apply (current phase, escalation trend and flag, mean
diplomatic register, ledger items by status); the probabilities are the
softmax of the scores — a multinomial-logit form (McFadden 1974) whose
weights are stated judgement, not estimates. Every factor carries the ids
of the evidence behind it, and each scenario's drivers are the evidence of
the factors that raised or lowered it, largest contribution first.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

SCENARIOS = ("durable_deal", "fragile_deal", "talks_collapse", "escalation")


@cache
def scenario_model() -> dict:
    """The scenario model shipped with the package (``resources/scenarios.yaml``), loaded once."""
    raw = yaml.safe_load(resources.files("detente.resources").joinpath("scenarios.yaml").read_text("utf-8"))
    if tuple(raw["scenarios"]) != SCENARIOS or abs(sum(raw["base_rates"].values()) - 1) > 1e-9:
        raise ValueError("scenarios.yaml: four scenarios with base rates summing to 1 are required")
    return raw


@dataclass(frozen=True)
class StorylineState:
    """What the scenario model reads of a storyline (ids point at events, signals, phase rows, ledger items)."""

    storyline_id: str
    label: str
    actors: tuple[str, ...]
    phase: str | None = None
    phase_since: dt.date | None = None
    phase_evidence: tuple[str, ...] = ()
    trend: float | None = None  # change of the decayed Goldstein balance over the trend window
    balance: float | None = None
    flag: str = ""  # escalation, de-escalation or ""
    escalation_day: dt.date | None = None
    escalation_evidence: tuple[str, ...] = ()
    register: float | None = None  # mean register reading on [-1, 1]
    register_evidence: tuple[str, ...] = ()
    ledger: dict[str, tuple[str, ...]] = field(default_factory=dict)  # current status -> signal ids
    intensity: float | None = None  # mean Goldstein of the cooperative events of the current phase
    conflict_intensity: float | None = None  # mean |Goldstein| of the storyline's conflictual events


@dataclass(frozen=True)
class Factor:
    """One factor of the score: what was read, the log-weight it adds to each scenario, and its evidence."""

    name: str
    reading: str
    weights: dict[str, float]
    evidence: tuple[str, ...]


def factors(state: StorylineState, model: dict | None = None) -> list[Factor]:
    """The factors that apply to a storyline's state, in the model's order."""
    model = model or scenario_model()
    found = [Factor("base rate", "base rates of the model",
                    {s: math.log(model["base_rates"][s]) for s in SCENARIOS}, ())]
    if state.phase and state.phase in model["phase"]:
        found.append(Factor("phase", f"{state.phase} since {state.phase_since}", dict(model["phase"][state.phase]),
                            (f"phase:{state.storyline_id}:{state.phase_since}", *state.phase_evidence)))
    rules = model["escalation"]
    if state.trend is not None:
        units = max(-rules["clip"], min(rules["clip"], state.trend / rules["trend_scale"]))
        if units:
            found.append(Factor("escalation trend", f"balance {state.balance:+.1f}, weekly trend {state.trend:+.1f} "
                                                    f"(Goldstein points) on {state.escalation_day}",
                                {s: w * units for s, w in rules["per_unit"].items()}, state.escalation_evidence))
    if state.flag and state.flag in rules["flag"]:
        found.append(Factor("escalation flag", f"{state.flag} flagged on {state.escalation_day}",
                            dict(rules["flag"][state.flag]), state.escalation_evidence))
    if state.register is not None and state.register_evidence:
        found.append(Factor("diplomatic register", f"mean register {state.register:+.2f} "
                                                   f"({len(state.register_evidence)} readings)",
                            {s: w * state.register for s, w in model["register"]["per_unit"].items()},
                            state.register_evidence))
    cap = model["ledger"]["cap"]
    for status, ids in state.ledger.items():
        weights = model["ledger"].get(status) or {}
        if ids and weights:
            count = min(len(ids), cap)
            found.append(Factor(f"ledger: {status}", f"{len(ids)} condition(s)/commitment(s) {status}",
                                {s: w * count for s, w in weights.items()}, tuple(ids)))
    return found


def probabilities(found: list[Factor]) -> dict[str, float]:
    """Softmax of the summed log-weights: the four probabilities, summing to 1."""
    scores = {s: sum(f.weights.get(s, 0.0) for f in found) for s in SCENARIOS}
    top = max(scores.values())
    exp = {s: math.exp(v - top) for s, v in scores.items()}
    total = sum(exp.values())
    return {s: exp[s] / total for s in SCENARIOS}


def drivers(found: list[Factor], scenario: str, per_factor: int = 4) -> tuple[str, ...]:
    """The evidence ids behind a scenario's probability: up to ``per_factor`` ids of each factor moving it,
    the factors by decreasing |weight|."""
    moving = sorted((f for f in found if f.evidence and f.weights.get(scenario)),
                    key=lambda f: -abs(f.weights[scenario]))
    ids: list[str] = []
    for factor in moving:
        for evidence in factor.evidence[:per_factor]:
            if evidence not in ids:
                ids.append(evidence)
    return tuple(ids)
