"""What a brief reads of the database, through the ``Detente`` handle: the one I/O edge of ``detente.report``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..api import Detente
from ..errors import DetenteError


@dataclass(frozen=True)
class StorylineData:
    """Everything a brief on one storyline shows, as read from the database.

    ``story`` holds the frames of ``Detente.story`` (``storyline``, ``phases``,
    ``articles``, ``events``, ``signals``, ``ledger``); ``index`` the
    storyline's weekly risk index; ``outlook`` its scenarios (a
    ``markets.runs.Outlook``) or ``None`` with ``outlook_missing`` saying why;
    ``measures`` each priced asset's measure (``return`` or ``change``) and
    ``channels`` each asset's channel in the exposure map.
    """

    story: dict[str, pd.DataFrame]
    index: pd.DataFrame
    outlook: object | None
    outlook_missing: str = ""
    measures: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)


def collect(db: Detente, storyline_id: str) -> StorylineData:
    """Read one storyline's brief data; raises ``NotFound`` for an unknown id.

    The scenarios are computed without storing them (a brief reads the
    database, it does not write it); when they cannot be computed (no
    prices, too little data) the brief says why instead of failing.
    """
    from ..markets.exposures import exposure_map
    from ..markets.extra import stored_measures

    story = db.story(storyline_id)
    sid = str(story["storyline"].iloc[0]["id"])  # a merged id leads to the storyline it went into
    try:
        index = db.index(scope=f"storyline:{sid}", freq="W")
    except DetenteError as exc:
        index = pd.DataFrame(columns=["date", "index", "threat", "act", "articles"])
        index.attrs["missing"] = str(exc)
    try:
        outlook, missing = db.scenarios(sid, save=False), ""
    except DetenteError as exc:
        outlook, missing = None, str(exc)
    measures = stored_measures(db.store)
    channels = {}
    if outlook is not None and outlook.scenarios:
        mapping = exposure_map()
        channels = {i.asset: mapping.channel_of(i.asset) for i in outlook.scenarios[0].asset_impacts}
    return StorylineData(story=story, index=index, outlook=outlook, outlook_missing=missing, measures=measures,
                         channels=channels)
