"""Any text through ``detente.analyze`` gives valid signal records and never raises."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detente
from detente.records import Signal, SignalKind

_WORDS = st.sampled_from([
    "Russia", "Kyiv", "the Kremlin", "U.S.", "officials", "said", "described", "the talks", "as", "constructive",
    "frank", "but", "not", "formal negotiations", "demands", "for", "territorial integrity", "insistence", "on",
    "sanctions", "agreed", "to", "reconvene", "by", "Friday", "if", "unless", "would", "require", "hinge",
    "guarantees", "red line", "no", "breakthrough", '"', ",", ".", "'s", "will", "withdraw", "pledged", "\n",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=40).map(" ".join)))
def test_any_text_gives_valid_signals(text):
    analysis = detente.analyze(text, published="2025-12-06")
    for signal in analysis.signals:
        assert isinstance(signal, Signal) and signal.kind in set(SignalKind)
        assert Signal.model_validate(signal.model_dump()) == signal
        span = signal.provenance.trigger
        assert span is not None and 0 <= span.start <= span.end <= len(analysis.text)
        if signal.kind != SignalKind.TONE or signal.provenance.sentence_index is not None:
            assert analysis.text[span.start:span.end] == signal.text
        assert signal.value is None or -1.0 <= signal.value <= 1.0
