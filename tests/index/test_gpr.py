"""The GPR search query (Caldara and Iacoviello 2022, Table 1) on hand-written sentences."""

from __future__ import annotations

import pytest

from detente.index.gpr import categories_of, category_mask, gpr_query, match_article, normalise_words


def test_query_has_the_eight_categories_of_table_1():
    query = gpr_query()
    assert [c.number for c in query.categories] == list(range(1, 9))
    assert [c.kind for c in query.categories] == ["threat"] * 5 + ["act"] * 3


@pytest.mark.parametrize("text, categories", [
    ("Russia warns of war as troops gather", (1,)),              # War N/2 Threat: "war" next to "warns"
    ("Fears of war grow in the region", (1,)),                    # two words apart, other order
    ("Talks fail as Iran rejects peace treaty", (2,)),            # Peace N/2 PeaceDisruption
    ("The military faces new sanctions over the border", (3,)),   # Military AND Buildup, far apart
    ("North Korea nuclear weapons test raises tensions", (4,)),   # NuclearBigrams AND Threat
    ("Officials fear a terrorist plot", (5,)),                    # Terror N/2 Threat, terror* wildcard
    ("War broke out on Monday", (6,)),                            # War N/2 WarBegin, phrase "broke out"
    ("Rebels launched an offensive", (7,)),                       # Actor N/2 ActorFight
    ("Terrorists bombed the station", (8,)),                      # Terror N/2 TerrorAct, bomb* wildcard
])
def test_each_category_matches_its_sentence(text, categories):
    assert match_article(text).categories == categories


def test_proximity_allows_at_most_two_words_between():
    assert match_article("war is a threat").categories == (1,)           # two words between
    assert match_article("war is a real threat").categories == ()        # three words between
    assert match_article("war is a real threat").categories_and == (1,)  # the AND variant matches


def test_wildcard_needs_the_stem_and_whole_words_without_one():
    assert match_article("threatened with war").categories == (1,)   # threat* → threatened
    assert match_article("warfare threat").categories == ()          # war has no *: warfare is not war
    assert match_article("the arms race worries").categories == ()   # "arms" alone is no category


def test_exclusion_words_drop_the_article():
    found = match_article("A new movie about the threat of war")
    assert found.categories == () and found.categories_and == ()
    assert found.excluded_by == "movie"
    assert match_article("The history of war threats").excluded_by == "history"
    assert match_article("Price war threat looms").excluded_by == "price war"


def test_hyphen_separates_words_and_threat_act_split():
    assert normalise_words("Anti-war h-bomb")[0] == "anti war h bomb"
    found = match_article("Rebels attack as war threat grows")
    assert found.categories == (1, 7) and found.threat and found.act
    assert categories_of(found.mask) == (1, 7) and category_mask((1, 7)) == 0b1000001


def test_words_name_each_match():
    found = match_article("Rebels attack the capital")
    assert found.words == ("escalation of war: rebels … attack",)
