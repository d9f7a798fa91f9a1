"""Tone with VADER: sentence and article signals, cut-offs, the quoted speaker."""

from detente.extract.signals import tone_signals
from detente.extract.signals.tone import tone_label
from detente.records import Sentence, Span


def _sentences(*texts):
    out, start = [], 0
    for index, text in enumerate(texts):
        out.append(Sentence(article_id="a", index=index, span=Span(start=start, end=start + len(text)), text=text))
        start += len(text) + 1
    return out


def test_sentence_and_article_tone():
    sentences = _sentences("The talks were a great success.", "The ceasefire collapsed amid deadly shelling.",
                           "The delegation arrived on Tuesday.")
    found = tone_signals(sentences, "a", {0: "RUSGOV"})
    by_index = {s.provenance.sentence_index: s for s in found}
    assert set(by_index) == {0, 1, None}  # the neutral sentence has no signal of its own
    assert by_index[0].label == "positive" and by_index[0].actor == "RUSGOV" and by_index[0].value > 0.5
    assert by_index[1].label == "negative" and by_index[1].actor is None
    article = by_index[None]
    assert article.value == round((by_index[0].value + by_index[1].value + 0.0) / 3, 4)
    assert article.provenance.trigger == Span(start=0, end=sentences[-1].span.end)


def test_cutoffs_and_empty_input():
    assert [tone_label(v) for v in (0.05, 0.0499, -0.05, -0.0499)] == ["positive", "neutral", "negative", "neutral"]
    assert tone_signals([], "a") == []


def test_quoted_speaker_owns_the_sentence_tone(read):
    found = read('The Kremlin called the talks "useful and constructive."', kind="tone")
    sentence = next(s for s in found if s.provenance.sentence_index == 0)
    assert sentence.actor == "RUSGOV"
