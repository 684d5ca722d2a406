"""Story data for the insights demo: two recurrence trends and the tier-1 SLOs with their burns.

Kept apart from the code that seeds them (demo/insights.py), like the other story tables.
"""

from pathlib import Path

# One class of failure on one service, the incidents' ages in days, and the preventive action
# meant to stop it (done that many days ago). The first story gets better after its action;
# the second gets worse, and its action is still open.
TRENDS = [
    {
        "class": "time-clock",
        "service": "warehouse-loader",
        "title": "Warehouse Loader: nightly batch loaded twice after a clock jump ({n})",
        "summary": "The scheduler fired the nightly load twice when the host clock stepped; the warehouse held "
        "duplicate rows until finance noticed the totals.",
        "severity": "sev3",
        "hours": 5,
        # Monthly until the jobs ran on UTC with idempotency keys, then roughly quarterly.
        "days_ago": [720, 690, 660, 632, 601, 570, 541, 512, 480, 451, 420, 392, 340, 250, 160, 70],
        "action": {
            "title": "Run every scheduled job in UTC with an idempotency key per run",
            "done_days_ago": 380,
        },
    },
    {
        "class": "capacity-load",
        "service": "search-api",
        "title": "Search API: query queue saturated at peak ({n})",
        "summary": "Query latency climbed past two seconds at peak while the worker queue stayed full; "
        "autocomplete timed out for most users.",
        "severity": "sev2",
        "hours": 9,
        # Every few months a year ago; every couple of weeks now, as traffic outgrows the cluster.
        "days_ago": [400, 330, 262, 200, 150, 118, 95, 77, 62, 50, 39, 30, 22, 15, 9, 4],
        "action": {"title": "Shard the search cluster by catalog region", "done_days_ago": None},
    },
]

# OpenSLO v1 definitions of the tier-1 services' SLOs, imported through the API's importer.
OPENSLO = (Path(__file__).resolve().parent / "slos.yaml").read_text()

# How each SLO's indicator behaved: a base error rate as a share of the budget, and an episode.
# A spike: the last 20 minutes fail hard (a bad deploy). A creep: four days just over budget.
BURNS = {
    "checkout-success": {"budget_share": 0.3},
    "payment-authorised": {"budget_share": 0.2, "spike": {"minutes": 20, "budget_share": 60}},
    "search-fast": {"budget_share": 0.4, "creep": {"days": 4, "budget_share": 1.8}},
    "sign-in": {"budget_share": 0.5},
    "edge-available": {"budget_share": 0.1},
}
