"""Who may do what. Every app asks these helpers rather than reading memberships itself.

A site administrator (Django superuser) may do everything. Anyone else acts
through their role in a team: viewers read, responders write their team's
records, leads also confirm and verify, admins also manage the team.
"""

from django.core.exceptions import PermissionDenied
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


def require_team_role(user, team, minimum=Role.RESPONDER):
    """Refuse (PermissionDenied: a 403 in pages and the API) anyone without at least `minimum` in team.

    The one rule for writing a team's records and for giving a record to a team: the team a new
    record names, or the team an edit moves it to. `team` is a Team or its id.
    """
    if not has_team_role(user, team, minimum):
        name = f"team {team.slug}" if hasattr(team, "slug") else "its team"
        raise PermissionDenied(f"You need a {Role(minimum).label.lower()} (or higher) role in {name} to do this.")


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


def _team_through(value):
    """The team a field's value names: the value itself, or its `team` (a service's)."""
    return getattr(value, "team", value)


class TargetTeamMixin:
    """API viewsets: creating a record, or moving it, needs a role in the team it will belong to.

    `target_team_field` names the field that decides the record's team: a Team, or a record with a
    `team` (a service). `team_of` (what TeamWritePermission asks) reads the team through it too.
    """

    target_team_field = "team"

    def team_of(self, record):
        return _team_through(getattr(record, self.target_team_field))

    def require_target_team(self, data):
        if self.target_team_field in data:
            require_team_role(self.request.user, _team_through(data[self.target_team_field]))

    def perform_create(self, serializer):
        self.require_target_team(serializer.validated_data)
        serializer.save()

    def perform_update(self, serializer):
        self.require_target_team(serializer.validated_data)
        serializer.save()
