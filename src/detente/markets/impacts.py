"""Asset impacts of scenarios, measured on historical analogues by event studies.

For a scenario and an exposed asset: the candidate analogues of the
scenario's classes (reference episodes and past phase changes) are ranked
by distance — the gap between their intensity (mean |Goldstein|) and the
storyline's, plus a penalty when they belong to another theme and one for
phase changes read from stored news rather than reference episodes — and the
``k`` closest that the asset's prices cover are studied with the
constant-mean model (MacKinlay 1997). The size is their mean CAR (log
return over the window), the interval mean ± z·√(Σσ̂²_i)/N (MacKinlay
eq. 21–22), the direction its sign. The probability-weighted impact sums
p·size over the scenarios measured (and p·bounds for its interval, a
conservative bound for the mixture's mean).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import NotEnoughData
from ..records import AssetImpact
from .event_study import StudyDesign, study_series
from .exposures import Exposure


def rank_analogues(candidates: pd.DataFrame, classes: list[str], theme: str, intensity: float | None,
                   before: pd.Timestamp | None, theme_penalty: float, exclude_days: int,
                   stored_penalty: float = 0.0) -> pd.DataFrame:
    """Candidates (id, date, label, class, theme, intensity, origin) of ``classes``, closest first.

    Episodes later than ``exclude_days`` before ``before`` (the storyline's
    present) are left out.
    """
    found = candidates[candidates["class"].isin(classes)].copy()
    if before is not None:
        found = found[found["date"] < before - pd.Timedelta(days=exclude_days)]
    gap = (found["intensity"].fillna(5.0) - (5.0 if intensity is None or pd.isna(intensity) else intensity)).abs()
    found["distance"] = (gap + np.where(found["theme"] == theme, 0.0, theme_penalty)
                         + np.where(found.get("origin", "reference") == "storyline", stored_penalty, 0.0))
    return found.sort_values(["distance", "date"], ascending=[True, False], kind="stable").reset_index(drop=True)


def measure(returns: pd.Series, frequency: str, ranked: pd.DataFrame, k: int, window: tuple[int, int],
            estimation: tuple[int, int], confidence: float, asset: str) -> tuple[dict | None, pd.DataFrame]:
    """Mean CAR and interval of the ``k`` closest analogues the series covers; ``None`` if it covers none."""
    if ranked.empty:
        return None, pd.DataFrame()
    design = StudyDesign(windows=(window,), estimation=estimation, model="constant", bootstrap=0,
                         min_estimation=min(30, estimation[1] - estimation[0] + 1))
    try:
        result = study_series(returns, ranked[["id", "date", "label"]], design, frequency, asset=asset)
    except NotEnoughData:
        return None, pd.DataFrame()
    studied = result.events.set_index("id")
    used = [i for i in ranked["id"] if i in studied.index][:k]
    rows = studied.loc[used].reset_index()
    n = len(rows)
    mean = float(rows["car"].mean())
    half = stats.norm.ppf(0.5 + confidence / 2) * float(np.sqrt((rows["sd_car"] ** 2).sum())) / n
    return {"size": mean, "low": mean - half, "high": mean + half, "n": n}, rows


def scenario_impacts(returns: dict[str, pd.Series], frequencies: dict[str, str], candidates: pd.DataFrame,
                     model: dict, exposures: list[Exposure], theme: str, intensities: dict[str, float | None],
                     present: pd.Timestamp | None) -> tuple[dict[str, list[AssetImpact]], pd.DataFrame]:
    """Per scenario, an ``AssetImpact`` for each exposed asset; and the analogues used (one row per CAR).

    ``intensities`` gives the storyline's intensity each scenario direction is
    matched on: its cooperative events' mean Goldstein for ``de_escalation``,
    its conflictual events' mean |Goldstein| for ``escalation`` (a war that
    has been fought at −10 escalates like wars, not like protests).
    Assets without prices (or not covering any analogue) get the exposure
    map's prior sign with no size, and say so in ``basis``.
    """
    rules = model["impacts"]
    impacts: dict[str, list[AssetImpact]] = {}
    used_rows = []
    for scenario, spec in model["scenarios"].items():
        ranked = rank_analogues(candidates, spec["analogues"], theme, intensities.get(spec["direction"]), present,
                                rules["theme_penalty"], rules["exclude_days"], rules.get("stored_penalty", 0.0))
        impacts[scenario] = []
        for exposure in exposures:
            prior = exposure.sign(spec["direction"])
            if exposure.asset not in returns:
                impacts[scenario].append(AssetImpact(asset=exposure.asset, direction=prior,
                                                     basis=f"not loaded: exposure-map prior {prior:+d} only"))
                continue
            freq = frequencies.get(exposure.asset, "D")
            window = tuple(rules["window"][freq])
            found, rows = measure(returns[exposure.asset], freq, ranked, rules["analogues"], window,
                                  tuple(rules["estimation"][freq]), rules["confidence"], exposure.asset)
            if found is None:
                impacts[scenario].append(AssetImpact(asset=exposure.asset, direction=prior,
                                                     basis=f"no analogue covered by its prices: prior {prior:+d} only"))
                continue
            direction = int(np.sign(found["size"]))
            listed = "; ".join(f"{r.date:%Y-%m-%d} {r.id} {r.car:+.1%}" for r in rows.itertuples())
            agrees = "agrees with" if direction == prior else "differs from" if prior else "no"
            excludes = "excludes" if found["low"] > 0 or found["high"] < 0 else "includes"
            basis = (f"mean CAR [{window[0]:+d},{window[1]:+d}] {'days' if freq == 'D' else 'periods'} of "
                     f"{found['n']} analogue(s): {listed}; {int(rules['confidence'] * 100)}% interval {excludes} 0; "
                     f"{agrees} prior {prior:+d}")
            impacts[scenario].append(AssetImpact(asset=exposure.asset, direction=direction, size=found["size"],
                                                 interval_low=found["low"], interval_high=found["high"], basis=basis))
            used_rows.append(rows.assign(scenario=scenario))
    used = pd.concat(used_rows, ignore_index=True) if used_rows else pd.DataFrame()
    return impacts, used


def weighted_impacts(impacts: dict[str, list[AssetImpact]], probabilities: dict[str, float]) -> pd.DataFrame:
    """Per asset, Σ p·size over the scenarios measured, with Σ p·low and Σ p·high; ``covered`` is Σ p of those."""
    rows = []
    assets = [i.asset for i in next(iter(impacts.values()), [])]
    for position, asset in enumerate(assets):
        measured = [(probabilities[s], found[position]) for s, found in impacts.items()
                    if found[position].size is not None]
        if not measured:
            rows.append({"asset": asset, "expected": None, "low": None, "high": None, "covered": 0.0})
            continue
        rows.append({"asset": asset, "expected": sum(p * i.size for p, i in measured),
                     "low": sum(p * i.interval_low for p, i in measured),
                     "high": sum(p * i.interval_high for p, i in measured),
                     "covered": sum(p for p, _ in measured)})
    return pd.DataFrame(rows, columns=["asset", "expected", "low", "high", "covered"])
