"""Read one text through the real pipeline and pick its signals."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.extract.pipeline import analyze


@pytest.fixture(scope="session")
def read():
    """``read(text, published=None, kind=None)`` → the Analysis' signals of that kind (tone left out unless asked)."""

    def _read(text: str, published: dt.date | None = None, kind: str | None = None):
        analysis = analyze(text, published)
        found = [s for s in analysis.signals if (s.kind == kind if kind else s.kind != "tone")]
        for signal in found:  # every span points at the words it quotes
            span = signal.provenance.trigger
            if signal.kind != "tone" or signal.provenance.sentence_index is not None:
                assert analysis.text[span.start:span.end] == signal.text
        return found

    return _read
