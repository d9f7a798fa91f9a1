"""The online clusterer on small hand-made articles: joining, opening, dormancy, merging, bounded memory."""

import datetime as dt

from detente.index.storylines import StoryArticle, StorylineClusterer, StoryParams, lead_terms

DAY = dt.datetime(2022, 2, 1)


def article(number: int, days: float, text: str, actors: tuple[str, ...], dyads: tuple[str, ...] = ()):
    return StoryArticle(f"a{number}", DAY + dt.timedelta(days=days), text, actors, dyads)


def test_articles_on_the_same_story_join_and_others_open_their_own():
    clusterer = StorylineClusterer()
    first = clusterer.assign(article(1, 0, "Russian troops mass near the Ukrainian border", ("RUS", "UKR")))
    second = clusterer.assign(article(2, 1, "Ukraine says Russian troops shelled border villages", ("UKR", "RUS"),
                                      ("RUS~UKR",)))
    other = clusterer.assign(article(3, 1, "Japan and South Korea hold trade talks in Tokyo", ("JPN", "KOR")))
    assert first.opened and not second.opened
    assert second.storyline_id == first.storyline_id
    assert other.opened and other.storyline_id != first.storyline_id


def test_an_article_naming_no_actor_goes_nowhere():
    assert StorylineClusterer().assign(article(1, 0, "Stocks rose on Tuesday", ())) is None


def test_a_long_silence_raises_the_bar_to_rejoin():
    params = StoryParams()
    clusterer = StorylineClusterer(params)
    story = clusterer.assign(article(1, 0, "Russia and Ukraine trade artillery fire", ("RUS", "UKR")))
    storyline = clusterer.live[story.storyline_id]
    soon = clusterer._threshold(storyline, DAY + dt.timedelta(days=1))
    late = clusterer._threshold(storyline, DAY + dt.timedelta(days=1000))
    assert soon < late == params.join_threshold + params.dormancy_penalty


def test_storylines_that_grow_alike_merge_into_the_larger():
    clusterer = StorylineClusterer(StoryParams(join_threshold=0.45, merge_threshold=0.3))
    ukraine = clusterer.assign(article(1, 0, "Kyiv asks allies for air defence", ("UKR",)))
    russia = clusterer.assign(article(2, 0, "Moscow holds naval drills in the Black Sea", ("RUS",)))
    assert ukraine.storyline_id != russia.storyline_id
    merged = None
    for number in range(3, 8):
        merged = clusterer.assign(article(number, number, "Russia and Ukraine fight for Black Sea ports",
                                          ("RUS", "UKR"), ("RUS~UKR",)))
        if merged.merged:
            break
    assert merged is not None and merged.merged
    assert len([s for s in clusterer.live.values() if {"RUS", "UKR"} & set(s.actors)]) == 1


def test_live_storylines_are_bounded():
    clusterer = StorylineClusterer(StoryParams(max_storylines=5))
    for number in range(30):
        clusterer.assign(article(number, number, f"story number {number} word{number}", (f"C{number:02d}",)))
    assert len(clusterer.live) == 5


def test_document_frequencies_forget_beyond_their_window():
    clusterer = StorylineClusterer(StoryParams(idf_window=3))
    clusterer.warm_up(["alpha beta", "alpha gamma", "delta", "epsilon"])
    assert clusterer._document_frequency["alpha"] == 1
    assert len(clusterer._recent_terms) == 3


def test_lead_terms_drop_stop_words_and_keep_the_lead():
    terms = lead_terms("The talks in Miami were about the peace framework " + "filler " * 1000 + "tail")
    assert terms["miami"] == 1 and "the" not in terms and "tail" not in terms
