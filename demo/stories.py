"""The demo's story tables, read from the YAML files in demo/stories/ (the comments there say their shapes)."""

from functools import cache
from pathlib import Path

import yaml

STORIES = Path(__file__).parent / "stories"

# Phases of an incident's story lines (incidents.yaml): before the cause was known, up to mitigation, after.
D, F, A = "diagnosis", "fix", "after"


@cache
def load(name):
    """The tables of demo/stories/<name>.yaml."""
    with open(STORIES / f"{name}.yaml", encoding="utf-8") as file:
        # The C loader when PyYAML has it: the same safe subset, several times faster.
        return yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


_incidents, _reviews, _actions = load("incidents"), load("reviews"), load("actions")

CAUSES = _incidents["causes"]
JOURNEYS = _incidents["journeys"]
PROVIDERS = _incidents["providers"]

SCENARIOS = _reviews["scenarios"]
UNALERTED = _reviews["unalerted"]
DRAFT_SECTIONS = _reviews["draft_sections"]
SCENARIO_FOR_CAUSE = {
    (entry["cause"], entry["symptom"]) if "symptom" in entry else entry["cause"]: entry["scenario"]
    for entry in _reviews["scenario_for_cause"]
}
FALLBACK_SCENARIOS = _reviews["fallback_scenarios"]
NEAR_MISSES = _reviews["near_misses"]
EXPERIMENTS = _reviews["experiments"]

TEMPLATES = _actions["templates"]
FINDINGS = _actions["findings"]
WONT_DO_REASONS = _actions["wont_do_reasons"]
