"""The demo's playbooks and runbooks: about forty, some written from reviews, some with feedback, two stale."""

import pytest

from demo.playbooks import seed_playbooks
from playbooks.models import Playbook, PlaybookUse, parse_steps

pytestmark = pytest.mark.django_db


def test_it_seeds_about_forty_playbooks_and_runbooks(seeded):
    assert 38 <= Playbook.objects.count() <= 45
    assert set(Playbook.objects.values_list("kind", flat=True)) == {"playbook", "runbook"}


def test_exactly_two_are_past_their_review_date(seeded):
    assert Playbook.objects.review_due().count() == 2


def test_some_were_written_from_published_reviews(seeded):
    sources = Playbook.objects.filter(source_reviews__isnull=False).distinct()
    assert sources.count() >= 10
    assert all(review.is_published() for playbook in sources for review in playbook.source_reviews.all())


def test_some_carry_feedback_from_incidents(seeded):
    assert PlaybookUse.objects.filter(outcome="helped").count() >= 5
    assert PlaybookUse.objects.filter(outcome="did_not_help").exists()


def test_steps_cite_the_incidents_they_were_learned_from(seeded):
    cited = [
        step for playbook in Playbook.objects.all() for step in parse_steps(playbook.body)[1] if step.incident_numbers
    ]
    assert len(cited) >= 10


def test_seeding_again_changes_nothing(seeded):
    assert seed_playbooks() == 0
