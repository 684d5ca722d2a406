from rest_framework import viewsets

from accounts.api.serializers import TeamSerializer
from accounts.models import Role, Team
from accounts.permissions import TeamWritePermission


class TeamPermission(TeamWritePermission):
    """Any member may read; creating a team needs a site admin; changing one needs its admin role."""

    message = "You need the admin role in this team (or site admin) to change it."

    def has_permission(self, request, view):
        if request.method == "POST":
            return request.user.is_authenticated and request.user.is_superuser
        return super().has_permission(request, view)


class TeamViewSet(viewsets.ModelViewSet):
    """Teams own services and respond to incidents. Addressed by slug."""

    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    lookup_field = "slug"
    permission_classes = [TeamPermission]
    write_role = Role.ADMIN
    filterset_fields = ["slug"]

    def team_of(self, team):
        return team
