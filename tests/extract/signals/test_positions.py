"""Positions: holder, issue and stance, nominal and verbal."""


def _rows(signals):
    return {(s.actor, s.issue, s.stance) for s in signals}


def test_nominal_positions_with_possessors(read):
    found = read("Mediators struggled to reconcile Israel's demands for the release of all hostages with "
                 "Hamas's insistence on a permanent ceasefire.", kind="position")
    assert _rows(found) == {("ISR", "prisoners", "demand"), ("PSEREB", "ceasefire", "insist")}
    demand = next(s for s in found if s.actor == "ISR")
    assert demand.text == "Israel's demands for the release of all hostages"


def test_verbal_demand(read):
    found = read("Kyiv demanded the withdrawal of all Russian troops from its territory.", kind="position")
    assert _rows(found) == {("UKRGOV", "de-escalation", "demand"), ("UKRGOV", "territory", "demand")}


def test_verbal_insistence_and_rejection_and_offer(read):
    assert _rows(read("Moscow insists on recognition of its annexation of Crimea.", kind="position")) == {
        ("RUSGOV", "territory", "insist")}
    assert _rows(read("Tehran rejected any limits on uranium enrichment.", kind="position")) == {
        ("IRNGOV", "nuclear", "reject")}
    assert _rows(read("Beijing offered to host a new round of talks on a ceasefire.", kind="position")) == {
        ("CHNGOV", "ceasefire", "offer")}


def test_red_line(read):
    (found,) = read("NATO membership for Ukraine is a red line for the Kremlin.", kind="position")
    assert (found.actor, found.issue, found.stance) == ("RUSGOV", "nato membership", "red line")
    assert found.text == "NATO membership for Ukraine is a red line for the Kremlin"


def test_negated_stance_is_no_position(read):
    assert read("Kyiv did not demand the withdrawal of Russian troops.", kind="position") == []


def test_no_issue_no_position(read):
    assert read("Russia demanded an apology from the newspaper.", kind="position") == []
