"""The fast attribute ruler and lemmatizer give, token for token, what the stock en_core_web_sm components give.

The stock pipeline is loaded afresh from the model package (not through ``load_nlp``) and both run over
real text: the first 400 HuffPost items, the PLOVER gold sentences, the example articles and a few
sentences that trip the rare rules (DEP, IS_SPACE, REGEX and two-token patterns).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG

from detente.extract.nlp import load_nlp, load_stock
from detente.extract.pipeline import NER_ONLY_DISABLED
from tests.conftest import HUFFPOST, ROOT, SHARED

pytestmark = pytest.mark.slow

ATTRS = [ORTH, POS, TAG, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]

RARE_RULES = [
    "Y'all ain't gonna believe it: let's go, c'mon, there is nothin' left and I gotta run.",
    "But they said it would hurt you, and it did; give it to me or to you, because I have done that.",
    "Which one did he choose?  That is what we had.\n\nDo it, whoever does it.\t It  ends here .",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with HUFFPOST.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(400), handle)]
    huffpost = [f"{row['headline']}\n\n{row['short_description']}".strip() for row in rows]
    gold = SHARED / "gold" / "plover_gsr_dev.jsonl"
    sentences = [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = sorted((ROOT / "examples" / "data" / "articles").iterdir())
    articles = [path.read_text(encoding="utf-8") for path in examples]
    assert len(huffpost) == 400 and len(sentences) > 200 and articles
    return huffpost + sentences + articles + RARE_RULES


@pytest.fixture(scope="module")
def stock():
    return load_stock()


def test_the_fast_components_sit_where_the_stock_ones_do(stock):
    nlp = load_nlp()
    assert nlp.pipe_names == stock.pipe_names and nlp.component_names == stock.component_names
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "FastAttributeRuler"
    assert type(nlp.get_pipe("lemmatizer")).__name__ == "FastLemmatizer"
    fast, ruler = nlp.get_pipe("attribute_ruler"), stock.get_pipe("attribute_ruler")
    assert fast.patterns == ruler.patterns and fast.attrs == ruler.attrs and fast.indices == ruler.indices


@pytest.mark.parametrize("disable", [[], ["parser"], ["ner"], NER_ONLY_DISABLED], ids=str)
def test_every_token_is_annotated_as_by_the_stock_pipeline(stock, texts, disable):
    tokens = 0
    for ours, theirs in zip(load_nlp().pipe(texts, disable=disable), stock.pipe(texts, disable=disable)):
        assert np.array_equal(ours.to_array(ATTRS), theirs.to_array(ATTRS)), ours.text
        assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
        assert [str(t.morph) for t in ours] == [str(t.morph) for t in theirs]
        tokens += len(ours)
    assert tokens > 20_000


@pytest.mark.parametrize("disable", [["attribute_ruler", "lemmatizer", "ner"],
                                     ["parser", "attribute_ruler", "lemmatizer", "ner"]], ids=["parsed", "unparsed"])
def test_the_ruler_matches_what_the_stock_matcher_matches(stock, texts, disable):
    fast, ruler = load_nlp().get_pipe("attribute_ruler"), stock.get_pipe("attribute_ruler")
    matched = set()
    for doc in load_nlp().pipe(texts, disable=disable):
        expected = ruler.match(doc)
        assert fast.match(doc) == expected, doc.text
        matched.update(attr_id for attr_id, *_ in expected)
    rare = {i for i, rule in enumerate(ruler.patterns) if any(len(p) > 1 or "DEP" in p[0] for p in rule["patterns"])}
    assert len(rare & matched) >= (15 if "parser" not in disable else 6)  # the rare rules were exercised
