"""The base of what a run returns (ingest, extraction, storylines, index): counts and seconds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RunSummary:
    """Counts and seconds of one run; subclasses add the fields."""

    def as_dict(self) -> dict[str, object]:
        """The summary as plain values (for ``--json``)."""
        return dict(self.__dict__)
