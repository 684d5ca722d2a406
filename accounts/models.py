"""Teams, and the role each person holds in them."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import TimeStampedModel


class Role(models.TextChoices):
    """A member's role in a team, weakest first; each role can do what the ones before it can."""

    VIEWER = "viewer", "Viewer"
    RESPONDER = "responder", "Responder"
    LEAD = "lead", "Lead"
    ADMIN = "admin", "Admin"

    @property
    def rank(self):
        return list(Role).index(self)

    def at_least(self, minimum):
        """Return True if this role can do what `minimum` can."""
        return self.rank >= Role(minimum).rank


class Team(TimeStampedModel):
    """A group of people who own services and respond to their incidents."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:service_list") + f"?team={self.slug}"


class Membership(models.Model):
    """One person's role in one team."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESPONDER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="membership_unique_user_team")]
        ordering = ["team__name", "user__username"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.team}"
