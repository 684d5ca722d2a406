"""Who may change a service's part of the catalog: its team's responders (and up), as for the service itself."""

from accounts.permissions import require_team_role


def require_service_role(user, service):
    """Refuse (403, in pages and the API) anyone without a responder (or higher) role in the service's team."""
    require_team_role(user, service.team_id)
