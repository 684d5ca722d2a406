"""Story data for the insights demo: two recurrence trends and the tier-1 SLOs with their burns.

Kept apart from the code that seeds them (demo/insights.py), like the other story tables.
"""

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
OPENSLO = """
apiVersion: openslo/v1
kind: SLO
metadata: {name: checkout-success, displayName: Place an order}
spec:
  service: checkout-api
  description: Checkout requests that complete without a server error.
  budgetingMethod: Occurrences
  timeWindow: [{duration: 30d, isRolling: true}]
  objectives: [{target: 0.999}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: payment-authorised, displayName: Pay by card}
spec:
  service: payments-api
  description: Authorisation attempts answered without an error of ours.
  budgetingMethod: Occurrences
  timeWindow: [{duration: 30d, isRolling: true}]
  objectives: [{target: 0.9995}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: search-fast, displayName: Find a product}
spec:
  service: search-api
  description: Search queries answered within 500 ms.
  budgetingMethod: Occurrences
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives: [{target: 0.995}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: sign-in, displayName: Sign in}
spec:
  service: auth-api
  description: Sign-in attempts that get an answer (right or wrong password) without an error.
  budgetingMethod: Occurrences
  timeWindow: [{duration: 30d, isRolling: true}]
  objectives: [{target: 0.999}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: edge-available, displayName: Reach the site}
spec:
  service: edge-gateway
  description: Requests the edge answers without a 5xx of its own.
  budgetingMethod: Occurrences
  timeWindow: [{duration: 30d, isRolling: true}]
  objectives: [{target: 0.9995}]
"""

# How each SLO's indicator behaved: a base error rate as a share of the budget, and an episode.
# A spike: the last 20 minutes fail hard (a bad deploy). A creep: four days just over budget.
BURNS = {
    "checkout-success": {"budget_share": 0.3},
    "payment-authorised": {"budget_share": 0.2, "spike": {"minutes": 20, "budget_share": 60}},
    "search-fast": {"budget_share": 0.4, "creep": {"days": 4, "budget_share": 1.8}},
    "sign-in": {"budget_share": 0.5},
    "edge-available": {"budget_share": 0.1},
}
