"""Coverage: for each service and fault type, is the service verified to behave as required?

A cell is one of:
- failing: the latest evidence (held or deviated experiment) deviated — required or not, a known failure shows;
- not required: no requirement asks for it;
- missing: required, and no held or deviated experiment was ever recorded;
- verified: required, the latest evidence held and is no older than the strictest requirement's maximum age;
- stale: required, the latest evidence held but is older than that.
Evidence age is counted from the experiment's start; evidence exactly the maximum age old is still verified.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from failure_catalog.choices import CellState, Outcome
from failure_catalog.models import Experiment, FailureModeAnalysis, ResilienceRequirement

SCORE_FORMULA = "score = 100 × (verified + ½ × stale) ÷ required fault types; failing and missing count 0"


def cell_state(*, required, max_age_days, latest_outcome, latest_at, now):
    """Return the CellState of one service under one fault type (see the module's docstring)."""
    if latest_outcome == Outcome.DEVIATED:
        return CellState.FAILING
    if not required:
        return CellState.NOT_REQUIRED
    if latest_outcome is None:
        return CellState.MISSING
    return CellState.VERIFIED if now - latest_at <= timedelta(days=max_age_days) else CellState.STALE


def score(counts):
    """Return the coverage score (0 to 100) for state counts, or None when nothing is required."""
    required = sum(counts.get(state, 0) for state in REQUIRED_STATES)
    if not required:
        return None
    # Half up, as people round: 62.5 is 63.
    return int(100 * (counts.get(CellState.VERIFIED, 0) + 0.5 * counts.get(CellState.STALE, 0)) / required + 0.5)


REQUIRED_STATES = (CellState.VERIFIED, CellState.STALE, CellState.FAILING, CellState.MISSING)


@dataclass
class Cell:
    fault_type: object
    state: str
    required: bool
    max_age_days: int | None = None
    evidence_on_version: bool = False
    latest_id: int | None = None
    latest_at: object = None
    latest_version: str = ""

    @property
    def label(self):
        return CellState(self.state).label


@dataclass
class ServiceCoverage:
    service: object
    cells: list
    analysis: object = None
    counts: dict = field(default_factory=dict)

    @property
    def score(self):
        return score(self.counts)

    @property
    def required_count(self):
        return sum(self.counts.get(state, 0) for state in REQUIRED_STATES)

    def analysis_state(self, *, now=None):
        """'none' with no failure-mode analysis, 'old' if the latest is over a year old, else 'current'."""
        if self.analysis is None:
            return "none"
        return "old" if self.analysis.is_old(now=now) else "current"


def strictest_requirements(requirements):
    """{(service_id, fault_type_id): (max_age_days, evidence_on_version)}: the shortest age and any version demand."""
    strictest = {}
    for service_id, fault_type_id, max_age, on_version in requirements:
        key = (service_id, fault_type_id)
        if key in strictest:
            previous_age, previous_version = strictest[key]
            strictest[key] = (min(previous_age, max_age), previous_version or on_version)
        else:
            strictest[key] = (max_age, on_version)
    return strictest


def latest_evidence(service_ids):
    """{(service_id, fault_type_id): (outcome, started_at, experiment id, version)} for these services, in one query."""
    rows = (
        Experiment.objects.filter(service_id__in=service_ids)
        .latest_evidence()
        .values_list("service_id", "fault_type_id", "outcome", "started_at", "id", "version")
    )
    return {(row[0], row[1]): row[2:] for row in rows}


def coverage_for(services, *, fault_types, now=None, requirements=None, with_analyses=True):
    """Return a ServiceCoverage per service, in their order, over `fault_types`, in three queries.

    `requirements` may be the services' requirements, already loaded (then two queries).
    """
    now = now or timezone.now()
    services = list(services)
    ids = [service.pk for service in services]
    if requirements is None:
        rows = ResilienceRequirement.objects.filter(service_id__in=ids).values_list(
            "service_id", "fault_type_id", "max_evidence_age_days", "evidence_on_version"
        )
    else:
        rows = [(r.service_id, r.fault_type_id, r.max_evidence_age_days, r.evidence_on_version) for r in requirements]
    strictest = strictest_requirements(rows)
    evidence = latest_evidence(ids)
    analyses = {}
    if with_analyses:
        for analysis in FailureModeAnalysis.objects.filter(service_id__in=ids).order_by("service_id", "-analysed_at"):
            analyses.setdefault(analysis.service_id, analysis)
    result = []
    for service in services:
        cells, counts = [], {}
        for fault_type in fault_types:
            requirement = strictest.get((service.pk, fault_type.pk))
            outcome, started_at, experiment_id, version = evidence.get((service.pk, fault_type.pk), (None,) * 4)
            state = cell_state(
                required=requirement is not None,
                max_age_days=requirement[0] if requirement else None,
                latest_outcome=outcome,
                latest_at=started_at,
                now=now,
            )
            # The score and roll-up count required cells; a failing cell nothing requires counts as not required.
            counted = state if requirement is not None else CellState.NOT_REQUIRED
            counts[counted] = counts.get(counted, 0) + 1
            cells.append(
                Cell(
                    fault_type=fault_type,
                    state=state,
                    required=requirement is not None,
                    max_age_days=requirement[0] if requirement else None,
                    evidence_on_version=requirement[1] if requirement else False,
                    latest_id=experiment_id,
                    latest_at=started_at,
                    latest_version=version or "",
                )
            )
        result.append(ServiceCoverage(service=service, cells=cells, analysis=analyses.get(service.pk), counts=counts))
    return result


def team_rollup(coverages):
    """Sum state counts per team: [{team, services, counts, score}], teams by name."""
    teams = {}
    for coverage in coverages:
        team = coverage.service.team
        entry = teams.setdefault(team.pk, {"team": team, "services": 0, "counts": {}})
        entry["services"] += 1
        for state, count in coverage.counts.items():
            entry["counts"][state] = entry["counts"].get(state, 0) + count
    rollup = sorted(teams.values(), key=lambda entry: entry["team"].name)
    for entry in rollup:
        entry["score"] = score(entry["counts"])
    return rollup
