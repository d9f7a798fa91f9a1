"""The conditions and commitments ledger of a storyline.

Conditions ("any agreement would require a Russian commitment to
de-escalation") and commitments ("agreed to reconvene") are signals of the
extraction stage; here each becomes a ledger item whose status moves
(open → met / broken / superseded) as later articles of the same storyline
bring events that match or contradict it. Every move keeps the event or
signal that caused it. The rules are data in ``resources/ledger.yaml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

OPEN, MET, BROKEN, SUPERSEDED = "open", "met", "broken", "superseded"


@dataclass(frozen=True)
class LedgerRules:
    """Which modalities count and which event types undo which promised action."""

    counted_modalities: frozenset[str]
    contradicted_by: dict[str, frozenset[str]]
    undone_without_counterpart: frozenset[str] = frozenset()  # promised actions a promiser alone can undo


@cache
def ledger_rules() -> LedgerRules:
    """Load the ledger rules shipped with the package (once)."""
    raw = yaml.safe_load(resources.files("detente.resources").joinpath("ledger.yaml").read_text(encoding="utf-8"))
    return LedgerRules(frozenset(raw["counted_modalities"]),
                       {k: frozenset(v) for k, v in raw["contradicted_by"].items()},
                       frozenset(raw.get("undone_without_counterpart", ())))


@dataclass(frozen=True)
class LedgerItem:
    """A condition or commitment as the ledger holds it."""

    signal_id: str
    storyline_id: str
    kind: str  # "commitment" or "condition"
    article_id: str
    made_on: dt.date
    actor: str | None
    counterpart: str | None
    action: str | None  # PLOVER type promised or required
    issue: str | None = None
    due: dt.date | None = None


@dataclass(frozen=True)
class LedgerEvent:
    """What the ledger reads of a coded event."""

    id: str
    article_id: str
    day: dt.date
    event_type: str
    modality: str
    source: str | None
    target: str | None


@dataclass(frozen=True)
class LedgerUpdate:
    """An item's new status, the day it moved, what moved it and why."""

    item: LedgerItem
    status: str
    day: dt.date
    evidence_id: str | None
    reason: str


def _party(code: str | None) -> str | None:
    """The party an actor code stands for: its country (first three letters), or the whole code for IGOs."""
    if not code:
        return None
    return code if code.startswith(("IGO", "NGO", "MNC")) else code[:3]


def _parties_match(item: LedgerItem, event: LedgerEvent) -> bool:
    parties = {_party(item.actor), _party(item.counterpart)} - {None}
    sides = {_party(event.source), _party(event.target)} - {None}
    if not parties or not sides:
        return False
    if item.counterpart:  # both parties of a joint promise take part in the event
        return parties <= sides
    return _party(item.actor) in sides


def judge(item: LedgerItem, event: LedgerEvent, rules: LedgerRules | None = None) -> LedgerUpdate | None:
    """What a later event does to an open item: meet it, break it, or nothing (``None``)."""
    rules = rules or ledger_rules()
    if event.article_id == item.article_id or event.day <= item.made_on or not item.action:
        return None
    if not _parties_match(item, event):
        return None
    if event.event_type == item.action:
        if event.modality in rules.counted_modalities:
            return LedgerUpdate(item, MET, event.day, event.id, f"{event.event_type} between the parties")
        if event.modality == "negated":
            return LedgerUpdate(item, BROKEN, event.day, event.id, f"{event.event_type} negated")
        return None
    if event.event_type in rules.contradicted_by.get(item.action, ()) and event.modality in rules.counted_modalities \
            and _undoes(item, event, rules):
        return LedgerUpdate(item, BROKEN, event.day, event.id, f"{event.event_type} undoes {item.action}")
    return None


def _undoes(item: LedgerItem, event: LedgerEvent, rules: LedgerRules) -> bool:
    """Whether a contradicting event can undo the item: one between its parties does; a promise made to no
    one in particular is undone only by its maker's own act, and only for ``undone_without_counterpart``."""
    if item.counterpart:
        return True
    return item.action in rules.undone_without_counterpart and _party(event.source) == _party(item.actor)


def supersedes(newer: LedgerItem, older: LedgerItem) -> bool:
    """Whether a newer item replaces an older one: same kind, parties and action, made later."""
    return (newer.kind == older.kind and newer.action == older.action and newer.made_on >= older.made_on
            and newer.signal_id != older.signal_id
            and {_party(newer.actor), _party(newer.counterpart)} == {_party(older.actor), _party(older.counterpart)})


class Ledger:
    """The open items of the live storylines, and the moves later evidence makes."""

    def __init__(self, items: list[LedgerItem] = ()) -> None:
        self.open: dict[str, list[LedgerItem]] = {}
        for item in items:
            self.open.setdefault(item.storyline_id, []).append(item)

    def add(self, item: LedgerItem) -> list[LedgerUpdate]:
        """Open a new item; earlier open items it replaces become superseded."""
        held = self.open.setdefault(item.storyline_id, [])
        updates = [LedgerUpdate(old, SUPERSEDED, item.made_on, item.signal_id, "a later item of the same parties")
                   for old in held if supersedes(item, old)]
        gone = {u.item.signal_id for u in updates}
        held[:] = [old for old in held if old.signal_id not in gone]
        held.append(item)
        return [LedgerUpdate(item, OPEN, item.made_on, item.signal_id, f"{item.kind} made"), *updates]

    def observe(self, storyline_id: str, event: LedgerEvent) -> list[LedgerUpdate]:
        """Apply an event of the storyline to its open items; return the moves."""
        updates = []
        held = self.open.get(storyline_id, [])
        for item in list(held):
            update = judge(item, event)
            if update is not None:
                updates.append(update)
                held.remove(item)
        return updates

    def expire(self, storyline_id: str, today: dt.date) -> list[LedgerUpdate]:
        """Break the open items of a storyline whose due date passed before ``today``."""
        held = self.open.get(storyline_id, [])
        late = [item for item in held if item.due is not None and item.due < today]
        for item in late:
            held.remove(item)
        return [LedgerUpdate(item, BROKEN, item.due, None, "deadline passed") for item in late]

    def move(self, source: str, target: str) -> None:
        """Carry a merged storyline's open items over to the storyline it merged into."""
        moved = self.open.pop(source, [])
        self.open.setdefault(target, []).extend(
            LedgerItem(**{**item.__dict__, "storyline_id": target}) for item in moved)
