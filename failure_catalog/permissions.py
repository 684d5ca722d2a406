"""Who may change a service's part of the catalog: its team's responders (and up), as for the service itself."""

from django.core.exceptions import PermissionDenied

from accounts.permissions import has_team_role


def require_service_role(user, service):
    """Refuse (403, in pages and the API) anyone without a responder (or higher) role in the service's team."""
    if not has_team_role(user, service.team_id):
        raise PermissionDenied(f"You need a responder (or higher) role in the team owning {service.slug}.")
