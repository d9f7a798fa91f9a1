"""The markets verbs as a user runs them: real processes, real exit codes."""

import json

from tests.cli.test_cli import run
from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "data" / "markets"


def test_prices_load_list_and_study_by_dates(tmp_path):
    db = tmp_path / "m.duckdb"
    first = json.loads(run("--json", "prices", "load", SAMPLE / "brent-daily.csv", "--asset", "brent", "--unit",
                           "USD/bbl", db=db, check_rc=0).stdout)
    again = json.loads(run("--json", "prices", "load", SAMPLE / "brent-daily.csv", "--asset", "brent", "--unit",
                           "USD/bbl", db=db, check_rc=0).stdout)
    assert first["added"] > 9000 and again["added"] == 0 and again["already_stored"] == first["added"]
    listed = json.loads(run("--json", "prices", "list", db=db, check_rc=0).stdout)
    assert [s["asset"] for s in listed] == ["brent"] and listed[0]["frequency"] == "D"
    out = tmp_path / "study"
    done = run("study", "--dates", "2022-02-24,2022-03-29", "--asset", "brent", "--window", "0,5", "--out", out,
               db=db, check_rc=0)
    assert "2022-02-24" in done.stdout and "Patell" in done.stdout
    assert (out / "car.png").exists() and (out / "car.svg").exists() and (out / "summary.csv").exists()
    found = json.loads(run("--json", "study", "--dates", "2022-02-24,2022-03-29", "--asset", "brent",
                           "--out", out, db=db, check_rc=0).stdout)
    cars = {e["id"]: e["car"] for e in found["events"]}
    assert cars["2022-02-24"] > 0 > cars["2022-03-29"]
    dates = tmp_path / "dates.csv"
    dates.write_text("date,label\n2022-02-26,a Saturday\n")
    weekend = json.loads(run("--json", "study", "--dates-file", dates, "--asset", "brent", "--out", out,
                             db=db, check_rc=0).stdout)
    assert weekend["events"][0]["day0"] == "2022-02-28"
    reference = run("--json", "study", "--events", "reference:escalation", "--asset", "brent", "--model", "market",
                    "--market", "brent", "--out", out, db=db)
    assert reference.returncode == 1 and "residual variance" in reference.stderr  # the market is the asset itself


def test_bad_inputs_exit_1_with_one_line(tmp_path):
    db = tmp_path / "m.duckdb"
    one = tmp_path / "one.csv"
    one.write_text("Date,Price\n2022-01-03,1\n")
    done = run("prices", "load", one, "--asset", "x", "--unit", "USD", db=db, check_rc=1)
    assert "at least two" in done.stderr and "Traceback" not in done.stderr
    ambiguous = tmp_path / "amb.csv"
    ambiguous.write_text("Date,Price\n03/04/2022,1\n04/05/2022,2\n")
    assert "--date-format" in run("prices", "load", ambiguous, "--asset", "x", "--unit", "USD", db=db,
                                  check_rc=1).stderr
    assert "no price file" in run("prices", "load", tmp_path / "nope.csv", "--asset", "x", "--unit", "USD",
                                  db=db, check_rc=1).stderr
    run("prices", "load", SAMPLE / "brent-daily.csv", "--asset", "brent", "--unit", "USD/bbl", db=db, check_rc=0)
    short = run("study", "--dates", "2022-02-24", "--asset", "brent", "--estimation", "-5,-2", "--out",
                tmp_path / "s", db=db, check_rc=1)
    assert "too short" in short.stderr
    early = run("study", "--dates", "1987-06-01", "--asset", "brent", "--out", tmp_path / "s", db=db, check_rc=1)
    assert "estimation window too short" in early.stderr
    assert "no prices loaded for wheat" in run("study", "--dates", "2022-02-24", "--asset", "wheat", "--out",
                                               tmp_path / "s", db=db, check_rc=1).stderr
    assert "exactly one of" in run("study", "--asset", "brent", db=db, check_rc=1).stderr
    assert "not a date" in run("study", "--dates", "24/02/2022", "--asset", "brent", db=db, check_rc=1).stderr
    assert "no storyline" in run("scenarios", "--storyline", "nope", db=db, check_rc=1).stderr
