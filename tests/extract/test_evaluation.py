"""Event-coding evaluation: gold loading and the metrics, on small hand-made cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.extract.evaluation import HEADLINE, NONE, evaluate, intervals, load_gold, parse_gold, score

DEV_GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "gold" / "plover_gsr_dev.jsonl"


def _line(id_: str, event: str, source=None, target=None, text: str = "x") -> str:
    record = {"id": id_, "date": "2000-01-01", "event": event, "text": text}
    if source is not None:
        record["source"] = source
    if target is not None:
        record["target"] = target
    return json.dumps(record)


def _actor(code: str, text: str = "t") -> dict:
    return {"actorText": text, "code": code}


GOLD_LINES = [
    _line("a", "AGREE", [_actor("HUN"), _actor("ROU")], ""),  # target "" : no coded target
    _line("b", "ASSAULT", [_actor("IGO")], [_actor("SRB")]),
    _line("c", "ASSAULT", [_actor("ISR")], "diplomatic"),  # a bare string is not an actor
    _line("d", "DEMAND"),  # source and target missing
]


def test_parse_gold_reads_the_shapes_the_file_ships_with():
    gold = parse_gold(GOLD_LINES + [""])
    assert [r.id for r in gold] == ["a", "b", "c", "d"]
    assert gold[0].source_codes == {"HUN", "ROU"} and gold[0].targets == ()
    assert gold[1].source_codes == {"IGO"} and gold[1].target_codes == {"SRB"}
    assert gold[2].target_codes == frozenset()
    assert gold[3].sources == () and gold[3].event == "DEMAND"


def test_parse_gold_rejects_a_line_that_is_not_a_record():
    with pytest.raises(ValueError, match="gold line 2"):
        parse_gold([GOLD_LINES[0], "{not json"])


def test_score_by_hand():
    gold = parse_gold(GOLD_LINES)
    predictions = [
        ("AGREE", "ROU", "HUN"),  # type right, source in the gold set; the gold has no target code
        ("ASSAULT", "IGO", "BIH"),  # type and source right, target wrong
        ("DEMAND", "ISR", None),  # type wrong
        (None, None, None),  # nothing predicted
    ]
    report = score(gold, predictions)
    assert report.n == 4
    assert report.type_accuracy == pytest.approx(2 / 4)
    # sources coded in records a, b, c: all three right
    assert (report.source_accuracy, report.source_n) == (pytest.approx(1.0), 3)
    # only record b has a coded target, and it is wrong
    assert (report.target_accuracy, report.target_n) == (0.0, 1)
    agree, assault, demand = report.per_type["AGREE"], report.per_type["ASSAULT"], report.per_type["DEMAND"]
    assert (agree.precision, agree.recall, agree.f1) == (1.0, 1.0, 1.0)
    assert (assault.precision, assault.recall) == (1.0, 0.5)
    assert assault.f1 == pytest.approx(2 / 3)
    assert (demand.precision, demand.recall, demand.f1, demand.support, demand.predicted) == (0.0, 0.0, 0.0, 1, 1)
    assert report.macro_f1 == pytest.approx((1.0 + 2 / 3 + 0.0) / 3)
    assert report.confusion == {"AGREE": {"AGREE": 1}, "ASSAULT": {"ASSAULT": 1, "DEMAND": 1}, "DEMAND": {NONE: 1}}
    assert [e.id for e in report.errors] == ["b", "c", "d"]
    assert report.errors[0].gold == ("ASSAULT", ("IGO",), ("SRB",))
    assert report.errors[0].predicted == ("ASSAULT", "IGO", "BIH")


def test_macro_f1_counts_only_gold_types_but_precision_sees_false_alarms():
    gold = parse_gold([_line("a", "AGREE"), _line("b", "AGREE")])
    report = score(gold, [("AGREE", None, None), ("FIGHT", None, None)])
    assert report.per_type["FIGHT"].support == 0 and report.per_type["FIGHT"].predicted == 1
    assert report.per_type["AGREE"].recall == 0.5 and report.per_type["AGREE"].precision == 1.0
    assert report.macro_f1 == pytest.approx(2 / 3)  # AGREE only


def test_score_needs_one_prediction_per_record():
    with pytest.raises(ValueError):
        score(parse_gold(GOLD_LINES), [])


def test_evaluate_runs_the_predictor_with_text_and_date():
    gold = parse_gold([_line("a", "AGREE", text="Hungary agreed.")])
    seen = []

    def predict(text, date):
        seen.append((text, date))
        return "AGREE", None, None

    assert evaluate(gold, predict).type_accuracy == 1.0
    assert seen == [("Hungary agreed.", "2000-01-01")]


def test_bootstrap_intervals_hold_the_figures_and_repeat():
    gold = parse_gold(GOLD_LINES * 10)
    predictions = [("AGREE", "ROU", "HUN"), ("ASSAULT", "IGO", "BIH"), ("DEMAND", "ISR", None), (None, None, None)] * 10
    report = score(gold, predictions)
    found = intervals(gold, predictions, resamples=200)
    assert set(found) == set(HEADLINE)
    for name, (low, high) in found.items():
        assert 0.0 <= low <= getattr(report, name) <= high <= 1.0
    assert found["type_accuracy"][0] < 0.5 < found["type_accuracy"][1]
    assert intervals(gold, predictions, resamples=200) == found  # seeded
    assert intervals(gold[:1], predictions[:1]) == {}


def test_load_gold_reads_the_dev_file_as_shipped():
    gold = load_gold(DEV_GOLD)
    assert len(gold) == 213
    assert {r.event for r in gold} >= {"AGREE", "DEMAND", "FIGHT", "INVESTIGATE", "DISAPPROVE"}
    assert sum(1 for r in gold if r.target_codes) == 191


@pytest.mark.slow
def test_event_coder_floors_on_the_dev_set():
    """Floors a little below the measured figures, so accuracy cannot silently regress."""
    from detente.extract.actors import ArticleActors, actor_category
    from detente.extract.events import code_events
    from detente.extract.nlp import load_nlp

    nlp = load_nlp()

    def predict(text, date):
        resolver = ArticleActors()
        for sent in nlp(text).sents:
            events = code_events(sent, resolver.find(sent))
            if events:
                main = events[0]
                return (main.plover_type, main.source and actor_category(main.source),
                        main.target and actor_category(main.target))
        return None, None, None

    report = evaluate(load_gold(DEV_GOLD), predict)
    assert report.type_accuracy >= 0.75
    assert report.macro_f1 >= 0.68
    assert report.source_accuracy >= 0.80
    assert report.target_accuracy >= 0.835
