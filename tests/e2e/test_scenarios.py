"""The shipped scenario files run green through `python -m owner_app.admin eval`, as an owner runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((REPO / "scenarios").glob("*.yaml"))


def run_eval(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "owner_app.admin", "eval", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_ships_scenarios_for_the_demo_journey_and_the_safety_cases():
    names = {path.stem for path in SCENARIOS}
    assert {"demo_journey", "booking_rules", "safety"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_file_passes(path):
    completed = run_eval(str(path), "--json")
    report = json.loads(completed.stdout)
    failures = [r for r in report["results"] if not r["ok"]]
    assert failures == [] and completed.returncode == 0, completed.stderr


def test_a_failing_expectation_exits_non_zero_and_says_why(tmp_path):
    scenario = tmp_path / "wrong.yaml"
    scenario.write_text('now: "2026-06-15T09:00"\nscenarios:\n  - name: wrong\n    turns:\n'
                        '      - say: What are your working hours?\n        expect: {action: lead}\n')
    completed = run_eval(str(scenario))
    assert completed.returncode == 1
    assert "action was none, expected lead" in completed.stdout and "0 passed, 1 failed" in completed.stdout


def test_an_invalid_scenario_file_names_the_bad_field_without_a_traceback(tmp_path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("scenarios:\n  - name: x\n    turns:\n      - say: hi\n        expect: {action: dance}\n")
    completed = run_eval(str(scenario))
    assert completed.returncode == 1
    assert "scenarios[0].turns[0].expect.action" in completed.stderr and "Traceback" not in completed.stderr


def test_a_time_written_bare_in_a_scenario_stays_the_customers_text(tmp_path):
    from shared.services.scenarios import load_scenario_file
    scenario = tmp_path / "bare.yaml"
    scenario.write_text("scenarios:\n  - name: x\n    turns:\n      - say: 7:30\n      - say: 10\n")
    spec, _ = load_scenario_file(scenario)
    assert [turn.say for turn in spec.scenarios[0].turns] == ["7:30", "10"]


def test_a_turn_that_both_speaks_and_acts_for_the_owner_is_refused_with_its_path(tmp_path):
    scenario = tmp_path / "both.yaml"
    scenario.write_text('scenarios:\n  - name: both\n    turns:\n      - say: hi\n        owner: approve\n')
    completed = run_eval(str(scenario))
    assert completed.returncode == 1 and "scenarios[0].turns[0]" in completed.stderr
    assert "either says something" in completed.stderr
