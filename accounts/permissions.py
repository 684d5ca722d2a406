"""Who may do what. Every app asks these helpers rather than reading memberships itself.

A site administrator (Django superuser) may do everything. Anyone else acts
through their role in a team: viewers read, responders write their team's
records, leads also confirm and verify, admins also manage the team.
"""

from rest_framework import permissions

from accounts.models import Role


def _roles(user):
    """Return {team_id: Role} for user, cached on the user object for the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_hindsight_roles", None)
    if cached is None:
        cached = {team_id: Role(role) for team_id, role in user.memberships.values_list("team_id", "role")}
        user._hindsight_roles = cached
    return cached


def role_in(user, team):
    """Return the user's Role in team, or None if they are not a member."""
    if team is None:
        return None
    return _roles(user).get(team.pk if hasattr(team, "pk") else team)


def has_team_role(user, team, minimum=Role.RESPONDER):
    """Return True if user is a site admin or holds at least `minimum` in team."""
    if user.is_authenticated and user.is_superuser:
        return True
    role = role_in(user, team)
    return role is not None and role.at_least(minimum)


def teams_with_role(user, minimum=Role.RESPONDER):
    """Return the ids of the teams in which user holds at least `minimum`."""
    return {team_id for team_id, role in _roles(user).items() if role.at_least(minimum)}


def can_write_anywhere(user, minimum=Role.RESPONDER):
    """Return True if user may write at least some team's records."""
    return user.is_authenticated and (user.is_superuser or bool(teams_with_role(user, minimum)))


class TeamWritePermission(permissions.BasePermission):
    """API: anyone signed in reads; writes need `write_role` in the object's team.

    Views name how to find the team with `team_of(obj)`; on create, the team is
    checked by the serializer (see `require_team_role`).
    """

    message = "You need a responder (or higher) role in the owning team to change this."

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_write_anywhere(request.user, getattr(view, "write_role", Role.RESPONDER))

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return has_team_role(request.user, view.team_of(obj), getattr(view, "write_role", Role.RESPONDER))
