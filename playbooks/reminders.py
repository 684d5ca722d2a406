"""Stale playbooks in the daily reminder email, to the leads of the teams that own them (see actions.reminders)."""

from collections import defaultdict

from accounts.models import Membership, Role
from actions.reminders import ReminderItem, register_reminder_section
from playbooks.models import Playbook

LEAD_ROLES = [role for role in Role if role.at_least(Role.LEAD)]


def stale_playbooks_by_lead(*, today):
    """{lead: [ReminderItem]}: each team's stale playbooks (past their review date, or not helpful twice)."""
    stale = list(Playbook.objects.stale(today=today).with_use_counts().select_related("team").order_by("title", "pk"))
    if not stale:
        return {}
    by_team = defaultdict(list)
    for playbook in stale:
        reasons = ", ".join(str(reason.label).lower() for reason in playbook.stale_reasons(today=today))
        by_team[playbook.team_id].append(ReminderItem(playbook.title, playbook.get_absolute_url(), reasons))
    by_lead = defaultdict(list)
    memberships = Membership.objects.filter(team_id__in=list(by_team), role__in=LEAD_ROLES).select_related("user")
    for membership in memberships.order_by("team__name", "pk"):
        by_lead[membership.user].extend(by_team[membership.team_id])
    return by_lead


def register():
    register_reminder_section("playbooks", heading="Playbooks to review", items=stale_playbooks_by_lead)
