"""The package's entry points: cues, a sentence without a parse, stable ids, the pipeline's parse gate."""

from detente.extract.nlp import load_nlp
from detente.extract.pipeline import analyze
from detente.extract.signals import SIGNAL_CUES, sentence_signals, signal_cues
from detente.records import Mention, Span


def test_cues_are_lower_case_words():
    assert SIGNAL_CUES is signal_cues() and {"constructive", "insistence", "hinge", "pledged"} <= SIGNAL_CUES
    assert all(w == w.lower() and " " not in w for w in SIGNAL_CUES)
    assert not {"if", "will", "the", "for", "on"} & SIGNAL_CUES


def test_a_sentence_without_a_parse_gives_lexical_readings():
    text = "Ukrainian demands for territorial integrity came up in frank and constructive talks."
    doc = load_nlp().make_doc(text)  # tokens only: no tags, no parse
    mention = Mention(article_id="a", sentence_index=0, span=Span(start=100, end=109), text="Ukrainian",
                      actor_code="UKR", country="UKR")
    found = sentence_signals(doc[:], base=100, article_id="a", sentence_index=0, mentions=[mention], published=None)
    assert {(s.kind.value, s.actor, s.issue, s.stance) for s in found if s.kind == "position"} == {
        ("position", "UKR", "territory", "demand")}
    register = [s for s in found if s.kind == "register"]
    assert [(r.label, r.value, r.text) for r in register] == [("engagement", 0.0, "frank and constructive talks")]
    assert all(s.provenance.trigger.start >= 100 for s in found)


def test_odd_input_gives_nothing_and_never_raises():
    nlp = load_nlp()
    for text in ("", " ", "\x00\x01 ??? ;;", "demands for" * 50, '" " constructive'):
        doc = nlp.make_doc(text)
        assert isinstance(sentence_signals(doc[:], base=0, article_id="a", sentence_index=0, mentions=[],
                                           published=None), list)


def test_ids_are_stable_and_distinct():
    text = "The Kremlin described the talks as constructive. Kyiv demanded the return of occupied territory."
    first, second = analyze(text, article_id="x"), analyze(text, article_id="x")
    assert [s.id for s in first.signals] == [s.id for s in second.signals]
    assert len({s.id for s in first.signals}) == len(first.signals)


def test_a_signal_cue_sentence_naming_an_actor_is_parsed():
    analysis = analyze("The Kremlin termed the encounter cordial and businesslike.")
    assert analysis.parsed_sentences == 1
    (reading,) = [s for s in analysis.signals if s.kind == "register"]
    assert (reading.actor, reading.label) == ("RUSGOV", "engagement")
