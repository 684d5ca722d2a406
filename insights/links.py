"""Links from a figure to the filtered incident list behind it: every number can be checked."""

from datetime import timedelta

from django.urls import reverse
from django.utils.http import urlencode

from insights.models import Dimension

COUNTED = {"kind": "incident", "exclude_from_metrics": "false"}
DIMENSION_PARAMS = {
    Dimension.CLASS: "root_cause_class",
    Dimension.CLASS_TREE: "root_cause_family",
    Dimension.SERVICE: "service",
}


def incident_list(**params):
    return reverse("incidents:incident_list") + "?" + urlencode({k: v for k, v in params.items() if v})


def mtbf_incidents(row, *, kind="incident"):
    """The incidents (or near misses, game days) an MTBF row counts."""
    started_after = row.window_start.date().isoformat() if row.window_start else ""
    return incident_list(
        **{**COUNTED, "kind": kind, DIMENSION_PARAMS[row.dimension]: row.key, "started_after": started_after}
    )


def quarter_incidents(quarter, *, team="", severity=""):
    """The incidents a duration or unplanned-work row counts: started in the quarter, of the team and severity."""
    from insights.rollups import quarter_range

    start, end = quarter_range(quarter)
    return incident_list(
        **COUNTED,
        team=team,
        severity=severity,
        started_after=start.date().isoformat(),
        started_before=(end - timedelta(days=1)).date().isoformat(),
    )
